package archive

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"path"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// ReadTar is the files.FormatReader for tar content (after the files
// reader has decompressed a tar.gz, tar.zst, …): every regular member is
// read in order as it streams by; links and special files are skipped.
func ReadTar(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	lim := limitsOf(rd.Options())
	ctx, b := withBudget(ctx)
	if b.tripped != nil {
		return b.tripped
	}
	if err := checkDepth(f, lim); err != nil {
		return err
	}
	t := &tracker{lim: lim, b: b, size: -1}
	tr := tar.NewReader(f.R)
	members := 0
	names := newMemberNames(rd.Options())
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return names.read(ctx, f.Loc, sink)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("after %d members: %w", members, err)
		}
		members++
		name := memberName(hdr.Name)
		loc := memberLoc(f.Loc, name)
		switch hdr.Typeflag {
		case tar.TypeReg, 0, tar.TypeGNUSparse, '7': // 0: old regular file, '7': contiguous file
			names.add(name)
		case tar.TypeDir, tar.TypeXGlobalHeader:
			continue
		case tar.TypeSymlink, tar.TypeLink:
			sink.Skipped(loc, "link in archive")
			continue
		default:
			sink.Skipped(loc, "link or special file in archive")
			continue
		}
		if lim.maxFile > 0 && hdr.Size > lim.maxFile {
			sink.Skipped(loc, files.TooLargeReason(lim.maxFile))
			continue
		}
		inner := b.tripped != nil
		if err := t.admit(name, hdr.Size, -1); err != nil {
			limitFailure(sink, f.Loc, err, inner)
			return nil
		}
		s := files.Stream{Loc: loc, Name: path.Base(name), R: tr, Size: hdr.Size, Depth: f.Depth + 1}
		if err := rd.ReadStream(ctx, s, sink); err != nil {
			return err
		}
	}
}
