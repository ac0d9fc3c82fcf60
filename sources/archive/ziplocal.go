package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// Signatures of a zip's local file header and data descriptor.
const (
	localHeaderSig    = 0x04034b50
	dataDescriptorSig = 0x08074b50
	localHeaderLen    = 30
)

// errNoCentralDirectory is how a zip without its central directory (the
// end of a truncated download or copy) is reported once its members have
// been read by their local headers.
var errNoCentralDirectory = errors.New("zip central directory missing (truncated?)")

// readZipLocal reads the members of a zip whose central directory cannot
// be read, in order, by their local file headers, as unzip's recovery
// does: a truncated archive gives up the members before the cut. Stored
// and deflated members are read; a member of another method, or
// encrypted, is skipped when its size is in its header. The walk ends at
// the first bytes that are not a local header (the central directory, or
// the cut), or at a member whose end cannot be found; what is left is
// reported as a failure of the archive, with how many members were read.
func readZipLocal(ctx context.Context, ra io.ReaderAt, size int64, f *files.Format, rd *files.Reader, sink sources.Sink, t *tracker, names *memberNames) error {
	read := 0
	off := int64(0)
	var cause error
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var h [localHeaderLen]byte
		if _, err := ra.ReadAt(h[:], off); err != nil || binary.LittleEndian.Uint32(h[:]) != localHeaderSig {
			break
		}
		flags := binary.LittleEndian.Uint16(h[6:])
		method := binary.LittleEndian.Uint16(h[8:])
		csize := int64(binary.LittleEndian.Uint32(h[18:]))
		usize := int64(binary.LittleEndian.Uint32(h[22:]))
		nameLen := int64(binary.LittleEndian.Uint16(h[26:]))
		extraLen := int64(binary.LittleEndian.Uint16(h[28:]))
		raw := make([]byte, nameLen)
		if _, err := ra.ReadAt(raw, off+localHeaderLen); err != nil {
			break
		}
		name := memberName(string(raw))
		data := off + localHeaderLen + nameLen + extraLen
		known := flags&8 == 0 && csize != 0xFFFFFFFF && usize != 0xFFFFFFFF
		if data > size || (known && data+csize > size) {
			cause = fmt.Errorf("member %q is cut off", name)
			break
		}
		if name == "" || name[len(name)-1] == '/' {
			off = data
			if known {
				off += csize
			}
			continue // a directory
		}
		names.add(name)
		loc := memberLoc(f.Loc, name)
		var end int64 // where the member's data ends, once known
		switch {
		case flags&1 != 0 || (method != 0 && method != 8):
			if !known {
				why := fmt.Sprintf("compressed with method %d", method)
				if flags&1 != 0 {
					why = "encrypted"
				}
				cause = fmt.Errorf("member %q: its end cannot be found (%s, its size not in its header)", name, why)
				break
			}
			if flags&1 != 0 {
				sink.Skipped(loc, "encrypted archive member")
			} else {
				sink.Skipped(loc, fmt.Sprintf("unsupported format: zip compression method %d", method))
			}
			end = data + csize
		default:
			if known {
				if err := t.admit(name, usize, csize); err != nil {
					limitFailure(sink, f.Loc, err, false)
					return nil
				}
			} else if err := t.admit(name, 0, -1); err != nil {
				limitFailure(sink, f.Loc, err, false)
				return nil
			}
			var err error
			end, err = readLocalMember(ctx, ra, size, data, csize, method, known, name, loc, f.Depth+1, t, rd, sink)
			if err != nil {
				return err
			}
			switch {
			case end == endCut:
				cause = fmt.Errorf("member %q is cut off (read up to the cut)", name)
			case end < 0:
				cause = fmt.Errorf("member %q: its end cannot be found", name)
			default:
				read++
			}
		}
		if cause != nil || end < 0 {
			break
		}
		off = end
		if flags&8 != 0 {
			off = skipDataDescriptor(ra, off)
		}
	}
	if err := names.read(ctx, f.Loc, sink); err != nil {
		return err
	}
	members := "members"
	if read == 1 {
		members = "member"
	}
	msg := fmt.Sprintf("%s: %v; %d %s read by their local headers", f.Loc.Path, errNoCentralDirectory, read, members)
	if cause != nil {
		msg += ", then " + cause.Error()
	}
	sink.Failed(f.Loc, errors.New(msg))
	return nil
}

// endCut is what readLocalMember returns for a member whose deflate
// stream the end of the archive cuts short.
const endCut = -2

// readLocalMember reads one stored or deflated member whose data starts at
// data, and returns where its data ends: -1 when that cannot be found (a
// stored member without its size whose data descriptor is not found, a
// corrupt deflate stream), endCut when the archive ends inside it. A
// member of unknown size is read under the archive's remaining byte
// budget.
func readLocalMember(ctx context.Context, ra io.ReaderAt, size, data, csize int64, method uint16, known bool, name string, loc sources.Location, depth int, t *tracker, rd *files.Reader, sink sources.Sink) (int64, error) {
	if known {
		sec := io.NewSectionReader(ra, data, csize)
		s := files.Stream{Loc: loc, Name: path.Base(name), R: sec, Size: csize, Depth: depth}
		if method == 0 {
			s.ReaderAt = sec
		} else {
			fr := rd.DeflateDecompressor()(sec) // pooled, as for zip members read by the central directory
			defer func() { _ = fr.Close() }()
			s.R, s.Size = fr, -1
		}
		return data + csize, rd.ReadStream(ctx, s, sink)
	}
	if method == 0 {
		n := storedLength(ra, data, size)
		if n < 0 {
			return -1, nil
		}
		sec := io.NewSectionReader(ra, data, n)
		return data + n, rd.ReadStream(ctx, files.Stream{Loc: loc, Name: path.Base(name), R: sec, ReaderAt: sec, Size: n, Depth: depth}, sink)
	}
	// Deflate ends itself: the inflater reads ahead, and gives back what
	// it read past the stream's end (Unread).
	sec := io.NewSectionReader(ra, data, size-data)
	fr, done := rd.Inflater(sec)
	defer done()
	budget := max(t.lim.bytes-t.b.bytes, 0)
	lr := &io.LimitedReader{R: fr, N: budget + 1}
	err := rd.ReadStream(ctx, files.Stream{Loc: loc, Name: path.Base(name), R: lr, Size: -1, Depth: depth}, sink)
	if err != nil {
		return -1, err
	}
	// Read to the end of the deflate stream, should the member's reader
	// have stopped early (a binary member is skipped after its head).
	if _, err := io.Copy(io.Discard, lr); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return endCut, nil // what came before the cut was read
		}
		return -1, nil
	}
	if lr.N <= 0 {
		limitFailure(sink, loc, fmt.Errorf("%w (%d bytes) at member %q", files.ErrDecompressedSize, t.lim.bytes, name), false)
		return -1, nil
	}
	t.b.bytes += budget + 1 - lr.N
	taken, _ := sec.Seek(0, io.SeekCurrent) // what the inflater took from the archive
	return data + taken - int64(len(fr.Unread())), nil
}

// storedLength finds the length of a stored member whose size is in its
// data descriptor only: the first descriptor after data whose compressed
// size is its distance from data. It returns -1 when there is none.
func storedLength(ra io.ReaderAt, data, size int64) int64 {
	sig := []byte{'P', 'K', 7, 8}
	const window = 1 << 16
	buf := make([]byte, window+16)
	for at := data; at < size; at += window {
		n, _ := ra.ReadAt(buf, at)
		for i := 0; i+16 <= n; {
			j := bytes.Index(buf[i:n-12], sig)
			if j < 0 {
				break
			}
			p := i + j
			if int64(binary.LittleEndian.Uint32(buf[p+8:])) == at+int64(p)-data {
				return at + int64(p) - data
			}
			i = p + 1
		}
		if n < len(buf) {
			break
		}
	}
	return -1
}

// skipDataDescriptor returns the offset after the data descriptor at off:
// its signature is optional, and its sizes are 32-bit, or 64-bit in a
// zip64 archive (streamed members of 4 GiB or more, zip -fz). The 64-bit
// form is taken when a zip header follows it and none follows the 32-bit
// one; when the archive ends before either can be told, the 32-bit form.
func skipDataDescriptor(ra io.ReaderAt, off int64) int64 {
	var b [4 + 20 + 4]byte
	n, _ := ra.ReadAt(b[:], off)
	p := 0
	if n >= 4 && binary.LittleEndian.Uint32(b[:]) == dataDescriptorSig {
		p = 4
	}
	if !zipHeaderAt(b[:n], p+12) && zipHeaderAt(b[:n], p+20) {
		return off + int64(p) + 20
	}
	return off + int64(p) + 12
}

// zipHeaderAt reports whether b holds a zip header's signature at i: a
// local file header, a central directory header, or a (zip64) end of the
// central directory.
func zipHeaderAt(b []byte, i int) bool {
	if i+4 > len(b) {
		return false
	}
	switch binary.LittleEndian.Uint32(b[i:]) {
	case localHeaderSig, 0x02014b50, 0x06054b50, 0x06064b50:
		return true
	}
	return false
}
