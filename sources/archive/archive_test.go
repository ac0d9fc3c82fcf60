package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

type member = docfixtures.Member

// recSink records what the readers report.
type recSink struct {
	texts   map[string]string // path#field -> text (owned ranges)
	failed  map[string]string
	skipped map[string]string
}

func newSink() *recSink {
	return &recSink{texts: map[string]string{}, failed: map[string]string{}, skipped: map[string]string{}}
}

func (s *recSink) Text(_ context.Context, c *sources.Chunk) error {
	return sources.EachField(c, s.text1)
}

func (s *recSink) text1(c *sources.Chunk) error {
	l := c.Limit
	if l == 0 {
		l = len(c.Data)
	}
	k := c.Loc.Path
	if c.Loc.Field != "" {
		k += "#" + c.Loc.Field
	}
	s.texts[k] += string(c.Data[c.Skip:l])
	return nil
}
func (s *recSink) Column(sources.Column) {}
func (s *recSink) Table(sources.Table)   {}
func (s *recSink) Failed(loc sources.Location, err error) {
	s.failed[loc.Path] += err.Error()
}
func (s *recSink) Skipped(loc sources.Location, reason string) { s.skipped[loc.Path] = reason }
func (s *recSink) Scanned(sources.Location, int64, int64)      {}

func (s *recSink) paths() []string {
	var out []string
	for k := range s.texts {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// read reads data named name as a file with random access.
func read(t testing.TB, name string, data []byte, opt sources.Options) *recSink {
	t.Helper()
	rd := files.NewReader(opt, nil, files.WithFormat(files.KindZip, ReadZip), files.WithFormat(files.KindTar, ReadTar))
	sink := newSink()
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: name}, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

func TestNestedMembers(t *testing.T) {
	deep := docfixtures.TarGz(
		member{Name: "./logs/", Data: nil},
		member{Name: "./logs/c.log", Data: []byte("ola@firma.no\n")},
	)
	inner := docfixtures.Zip(member{Name: "b.txt", Data: []byte("b-tekst\n")}, member{Name: "deep.tgz", Data: deep})
	outer := docfixtures.Zip(
		member{Name: "kunder/a.csv", Data: []byte("fnr;navn\n01019012345;Kari\n")},
		member{Name: "kunder/inner.zip", Data: inner, Store: true},
		member{Name: "/abs/name.txt", Data: []byte("abs\n")},
		member{Name: `win\dir\f.txt`, Data: []byte("win\n")},
		member{Name: "tom/", Data: nil},
	)
	sink := read(t, "x/ut.zip", outer, sources.Options{})
	want := []string{
		"x/ut.zip!abs/name.txt",
		"x/ut.zip!kunder/a.csv#fnr",
		"x/ut.zip!kunder/a.csv#navn",
		"x/ut.zip!kunder/inner.zip!b.txt",
		"x/ut.zip!kunder/inner.zip!deep.tgz!logs/c.log",
		"x/ut.zip!win/dir/f.txt",
	}
	if got := sink.paths(); !slices.Equal(got, want) {
		t.Errorf("paths:\n%s", strings.Join(got, "\n"))
	}
	if sink.texts["x/ut.zip!kunder/inner.zip!deep.tgz!logs/c.log"] != "ola@firma.no\n" {
		t.Errorf("texts %v", sink.texts)
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v skipped %v", sink.failed, sink.skipped)
	}
}

func TestTarEntries(t *testing.T) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	add := func(h *tar.Header, data string) {
		h.Size = int64(len(data))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(data))
	}
	add(&tar.Header{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755}, "")
	add(&tar.Header{Name: "d/a.txt", Typeflag: tar.TypeReg, Mode: 0o644}, "a-tekst\n")
	add(&tar.Header{Name: "d/lenke", Typeflag: tar.TypeSymlink, Linkname: "a.txt"}, "")
	add(&tar.Header{Name: "d/hard", Typeflag: tar.TypeLink, Linkname: "d/a.txt"}, "")
	add(&tar.Header{Name: "d/fifo", Typeflag: tar.TypeFifo}, "")
	add(&tar.Header{Name: "d/b.txt", Typeflag: tar.TypeReg, Mode: 0o644}, "b-tekst\n")
	_ = tw.Close()
	sink := read(t, "t.tar", b.Bytes(), sources.Options{})
	if got := sink.paths(); !slices.Equal(got, []string{"t.tar!d/a.txt", "t.tar!d/b.txt"}) {
		t.Errorf("paths %v", got)
	}
	if len(sink.skipped) != 3 || sink.skipped["t.tar!d/lenke"] != "link in archive" || sink.skipped["t.tar!d/fifo"] == "" {
		t.Errorf("skipped %v", sink.skipped)
	}
	// Truncated: what came before is read, the archive fails.
	sink = read(t, "t.tar", b.Bytes()[:2048+300], sources.Options{})
	if sink.texts["t.tar!d/a.txt"] != "a-tekst\n" || !strings.Contains(sink.failed["t.tar"], "t.tar") {
		t.Errorf("truncated tar: texts %v failed %v", sink.texts, sink.failed)
	}
}

func TestLimits(t *testing.T) {
	text := func(n int) []byte { return bytes.Repeat([]byte("tekst "), n/6) }
	var five []member
	for i := 1; i <= 5; i++ {
		five = append(five, member{Name: fmt.Sprintf("m%d.txt", i), Data: text(600)})
	}
	// Members of 1 MiB of zeros, each deflated to about 1 KiB: each is
	// under the ratio floor, together they are not.
	var zeros []member
	for i := 1; i <= 30; i++ {
		zeros = append(zeros, member{Name: fmt.Sprintf("z%02d.txt", i), Data: make([]byte, 1<<20)})
	}
	deep := docfixtures.Zip(member{Name: "d.txt", Data: []byte("dypt\n")})
	for i := 0; i < 3; i++ {
		deep = docfixtures.Zip(member{Name: fmt.Sprintf("l%d.zip", i), Data: deep})
	}
	nested := docfixtures.Zip(
		member{Name: "inner.zip", Data: docfixtures.Zip(member{Name: "x.txt", Data: text(600)}, member{Name: "y.txt", Data: text(600)})},
		member{Name: "z.txt", Data: text(60)},
	)
	for _, c := range []struct {
		name      string
		data      []byte
		opt       sources.Options
		read      []string // paths read
		failAt    string   // path reported failed
		err       error
		errSubstr string
	}{
		{"entries", docfixtures.Zip(five...), sources.Options{MaxArchiveEntries: 3},
			[]string{"a.zip!m1.txt", "a.zip!m2.txt", "a.zip!m3.txt"}, "a.zip", ErrTooManyEntries, `member "m4.txt"`},
		{"bytes", docfixtures.Zip(five...), sources.Options{MaxArchiveBytes: 1000},
			[]string{"a.zip!m1.txt"}, "a.zip", files.ErrDecompressedSize, `member "m2.txt", which declares 600 bytes`},
		{"member ratio", docfixtures.ZipBomb("b.bin", 8<<20), sources.Options{MaxArchiveBytes: 16 << 20, MaxArchiveRatio: 100},
			nil, "a.zip", files.ErrCompressionRatio, `member "b.bin"`},
		{"archive ratio", docfixtures.Zip(zeros...), sources.Options{MaxArchiveBytes: 64 << 20, MaxArchiveRatio: 100},
			nil, "a.zip", files.ErrCompressionRatio, "from an archive of"},
		{"depth", deep, sources.Options{MaxArchiveDepth: 2},
			nil, "a.zip!l2.zip!l1.zip", ErrTooDeep, "(2)"},
		{"nested budget", nested, sources.Options{MaxArchiveBytes: 1000},
			[]string{"a.zip!inner.zip!x.txt"}, "a.zip!inner.zip", files.ErrDecompressedSize, `member "y.txt"`},
		{"zip bomb, defaults", docfixtures.ZipBomb("nuller.bin", 5<<30), sources.Options{},
			nil, "a.zip", files.ErrDecompressedSize, "4294967296 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sink := read(t, "a.zip", c.data, c.opt)
			var read []string
			for _, p := range sink.paths() {
				if sink.texts[p] != "" {
					read = append(read, p)
				}
			}
			if c.read != nil && !slices.Equal(read, c.read) {
				t.Errorf("read %v, want %v", read, c.read)
			}
			msg := sink.failed[c.failAt]
			if !strings.Contains(msg, c.err.Error()) || !strings.Contains(msg, c.errSubstr) {
				t.Errorf("failure at %s: %q, want %q and %q (all: %v)", c.failAt, msg, c.err, c.errSubstr, sink.failed)
			}
		})
	}
	// The nested budget also stops the outer archive, which says so.
	sink := read(t, "a.zip", nested, sources.Options{MaxArchiveBytes: 1000})
	if !strings.Contains(sink.failed["a.zip"], "in an archive inside it") || sink.texts["a.zip!z.txt"] != "" {
		t.Errorf("outer archive: failed %v texts %v", sink.failed, sink.paths())
	}
	// --max-file-size skips large members.
	sink = read(t, "a.zip", docfixtures.Zip(member{Name: "big.txt", Data: text(60000)}, member{Name: "s.txt", Data: text(60)}), sources.Options{MaxFileSize: 1000})
	if sink.skipped["a.zip!big.txt"] != files.TooLargeReason(1000) || sink.texts["a.zip!s.txt"] == "" {
		t.Errorf("max file size: skipped %v", sink.skipped)
	}
}

func TestBrokenZips(t *testing.T) {
	good := docfixtures.Zip(member{Name: "a.txt", Data: bytes.Repeat([]byte("abc "), 1000)}, member{Name: "b.txt", Data: []byte("b\n")})
	sink := read(t, "t.zip", good[:len(good)/2], sources.Options{})
	if !strings.Contains(sink.failed["t.zip"], "central directory missing") || sink.texts["t.zip!b.txt"] != "b\n" {
		t.Errorf("truncated: failed %v, texts %v", sink.failed, sink.paths())
	}
	// Corrupt deflate data in the first member: that member fails, the
	// second is read.
	bad := bytes.Clone(good)
	i := bytes.Index(bad, []byte("a.txt")) + len("a.txt") + 4
	for j := i; j < i+8; j++ {
		bad[j] ^= 0xff
	}
	sink = read(t, "t.zip", bad, sources.Options{})
	if sink.failed["t.zip!a.txt"] == "" || sink.texts["t.zip!b.txt"] != "b\n" {
		t.Errorf("corrupt member: failed %v texts %v", sink.failed, sink.paths())
	}
}

func TestMemberKinds(t *testing.T) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	w.RegisterCompressor(methodZstd, zstd.ZipCompressor())
	add := func(h *zip.FileHeader, data string) {
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(data))
	}
	add(&zip.FileHeader{Name: "zstd.txt", Method: methodZstd}, "zstd-tekst\n")
	add(&zip.FileHeader{Name: "hemmelig.txt", Method: zip.Deflate, Flags: 0x1}, "kryptert\n")
	if _, err := w.CreateRaw(&zip.FileHeader{Name: "lzma.txt", Method: 14}); err != nil {
		t.Fatal(err)
	}
	add(&zip.FileHeader{Name: "k\x94r.txt", Method: zip.Store, NonUTF8: true}, "cp437\n")
	_ = w.Close()
	sink := read(t, "k.zip", b.Bytes(), sources.Options{})
	if sink.texts["k.zip!zstd.txt"] != "zstd-tekst\n" || sink.texts["k.zip!kör.txt"] != "cp437\n" {
		t.Errorf("texts %v", sink.texts)
	}
	if sink.skipped["k.zip!hemmelig.txt"] != "encrypted archive member" || !strings.Contains(sink.skipped["k.zip!lzma.txt"], "compression method 14") {
		t.Errorf("skipped %v", sink.skipped)
	}
}

// TestSpooled reads a zip that has no random access: inside a tar.gz.
func TestSpooled(t *testing.T) {
	z := docfixtures.Zip(member{Name: "a.txt", Data: []byte("i zip i tar\n")})
	sink := read(t, "x.tgz", docfixtures.TarGz(member{Name: "z.zip", Data: z}), sources.Options{})
	if sink.texts["x.tgz!z.zip!a.txt"] != "i zip i tar\n" {
		t.Errorf("texts %v failed %v", sink.texts, sink.failed)
	}
}

func TestMemberName(t *testing.T) {
	for in, want := range map[string]string{"./a/b": "a/b", "/x": "x", `a\b`: "a/b", "../up": "../up", "k\x94r": "kör"} {
		if got := memberName(in); got != want {
			t.Errorf("memberName(%q) = %q, want %q", in, got, want)
		}
	}
	if !errors.Is(fmt.Errorf("x: %w", ErrTooDeep), ErrTooDeep) {
		t.Error("wrapping")
	}
}

func FuzzZip(f *testing.F) {
	f.Add(docfixtures.Zip(member{Name: "a.csv", Data: []byte("fnr\n01019012345\n")}, member{Name: "i.zip", Data: docfixtures.Zip(member{Name: "b", Data: []byte("x")}), Store: true}))
	f.Add(docfixtures.DOCX([]string{"a|b"}, [][]string{{"c"}}, "h", "x"))
	f.Add(docfixtures.XLSX(docfixtures.Sheet{Name: "A", Rows: [][]docfixtures.Cell{{docfixtures.S("fnr")}, {docfixtures.N("1019012345")}}}))
	f.Add(docfixtures.ODS(docfixtures.Sheet{Name: "A", Rows: [][]docfixtures.Cell{{docfixtures.S("fnr")}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		read(t, "f.zip", data, sources.Options{MaxArchiveBytes: 1 << 20})
	})
}

func FuzzTar(f *testing.F) {
	f.Add(docfixtures.Tar(member{Name: "a.txt", Data: []byte("hei\n")}, member{Name: "b.zip", Data: docfixtures.Zip(member{Name: "c", Data: []byte("x")})}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := files.NewReader(sources.Options{MaxArchiveBytes: 1 << 20}, nil, files.WithFormat(files.KindZip, ReadZip))
		f := &files.Format{Kind: files.KindTar, Stream: files.Stream{Loc: sources.Location{Path: "f.tar"}, R: bytes.NewReader(data), Size: -1}}
		_ = ReadTar(context.Background(), f, rd, newSink())
	})
}

// TestZipBuffers: reading a zip that holds one small CSV member allocates
// the CSV reader's record buffer (one chunk size) once, not also a text
// chunk buffer for the zip itself and for the member, which neither uses.
func TestZipBuffers(t *testing.T) {
	const chunk = 16 << 20
	z := docfixtures.Zip(member{Name: "kunder.csv", Data: []byte("navn;epost\nKari;kari@example.no\n")})
	opt := sources.Options{ChunkSize: chunk}
	read(t, "warm.zip", z, opt) // package-level set-up, once
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	sink := read(t, "x.zip", z, opt)
	runtime.ReadMemStats(&m1)
	if got := sink.texts["x.zip!kunder.csv#epost"]; !strings.Contains(got, "kari@example.no") {
		t.Fatalf("member not read: %q", sink.texts)
	}
	if a := m1.TotalAlloc - m0.TotalAlloc; a > chunk+chunk/2 {
		t.Errorf("allocated %d MiB reading a zip of one small CSV member, want about %d MiB", a>>20, chunk>>20)
	}
}

// TestMemberNames: with Options.Names the names of an archive's members
// are read as values, one column per directory in the archive (its
// folders listed in their parent), as on disk; without it, none.
func TestMemberNames(t *testing.T) {
	files := []member{
		{Name: "hr/15038510190_kontrakt.pdf", Data: []byte("x\n")},
		{Name: "hr/2024/22079110098-lonnsslipp.pdf", Data: []byte("y\n")},
		{Name: "rutiner.txt", Data: []byte("z\n")},
	}
	for _, kind := range []string{"zip", "tgz"} {
		data := docfixtures.Zip(files...)
		if kind == "tgz" {
			data = docfixtures.TarGz(files...)
		}
		sink := read(t, "a."+kind, data, sources.Options{Names: true})
		want := map[string]string{
			"a." + kind + "!#(file names)":         "hr" + "rutiner", // the fields, one after the other
			"a." + kind + "!hr/#(file names)":      "15038510190 kontrakt" + "2024",
			"a." + kind + "!hr/2024/#(file names)": "22079110098 lonnsslipp",
		}
		for k, w := range want {
			if got := sink.texts[k]; got != w {
				t.Errorf("%s: %s = %q, want %q", kind, k, got, w)
			}
		}
		for _, k := range sink.paths() {
			if _, ok := want[k]; !ok && strings.Contains(k, sources.NamesField) {
				t.Errorf("%s: unexpected names column %s", kind, k)
			}
		}
		if off := read(t, "a."+kind, data, sources.Options{}); slices.ContainsFunc(off.paths(), func(k string) bool { return strings.Contains(k, sources.NamesField) }) {
			t.Errorf("%s: names read without Options.Names: %v", kind, off.paths())
		}
	}
}

// TestTruncatedZip cuts zips (deflated and stored members, written with
// data descriptors as Go's and Java's writers do, and with sizes in the
// local headers as Info-ZIP writes them) at every length: the members
// whose data lies wholly before the cut are read by their local headers,
// the archive is reported as failed with how many were read, and nothing
// else is reported for a member cut short.
func TestTruncatedZip(t *testing.T) {
	members := []member{
		{Name: "a/kunder.txt", Data: []byte(strings.Repeat("kari.nordmann@example.no ", 40))},
		{Name: "b.txt", Data: []byte("ola@firma.no\n"), Store: true},
		{Name: "c.log", Data: bytes.Repeat([]byte("2024-01-31 login 10.1.2.3\n"), 30)},
	}
	for _, kind := range []string{"descriptor", "sizes", "zip64"} {
		var z []byte
		var ends []int
		switch kind {
		case "descriptor":
			z = docfixtures.Zip(members...)
		case "sizes":
			z = zipWithLocalSizes(t, members)
		case "zip64":
			z, ends = zipWithZip64Descriptors(t, members)
		}
		if ends == nil {
			ends = memberEnds(t, z, len(members))
		}
		for cut := 4; cut <= len(z); cut += max(1, len(z)/97) { // from the signature on: less is no zip
			sink := read(t, "t.zip", z[:cut], sources.Options{})
			for i, m := range members {
				p := "t.zip!" + m.Name
				if got, whole := sink.texts[p], ends[i] <= cut; whole && got != string(m.Data) {
					t.Fatalf("%s cut at %d of %d: %s read %d bytes, want all %d", kind, cut, len(z), m.Name, len(got), len(m.Data))
				}
			}
			if cut < ends[len(ends)-1] && sink.failed["t.zip"] == "" && len(sink.skipped) == 0 {
				t.Fatalf("%s cut at %d: nothing reported for the archive", kind, cut)
			}
		}
	}
}

// memberEnds returns, for each of the n members of the zip z in order,
// the offset at which its local data (and data descriptor) ends.
func memberEnds(t *testing.T, z []byte, n int) []int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var ends []int
	for _, f := range zr.File {
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		end := int(off) + int(f.CompressedSize64)
		if f.Flags&8 != 0 {
			end += 16
		}
		ends = append(ends, end)
	}
	if len(ends) != n {
		t.Fatalf("%d members, want %d", len(ends), n)
	}
	return ends
}

// zipWithZip64Descriptors writes members as a streaming zip64 writer
// does (a zip64 extra field in each local header, 64-bit sizes in each
// data descriptor), and no central directory: a zip cut short before it.
// It returns the zip and where each member's descriptor ends.
func zipWithZip64Descriptors(t *testing.T, members []member) ([]byte, []int) {
	t.Helper()
	var z []byte
	var ends []int
	le := binary.LittleEndian
	for _, m := range members {
		data, method := m.Data, uint16(zip.Store)
		if !m.Store {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.DefaultCompression)
			fw.Write(m.Data)
			fw.Close()
			data, method = c.Bytes(), zip.Deflate
		}
		z = le.AppendUint32(z, 0x04034b50)
		z = le.AppendUint16(z, 45)     // version needed: zip64
		z = le.AppendUint16(z, 8)      // sizes in the data descriptor
		z = le.AppendUint16(z, method) // method
		z = le.AppendUint32(z, 0)      // time and date
		z = le.AppendUint32(z, 0)      // CRC-32, in the descriptor
		z = le.AppendUint32(z, 0xFFFFFFFF)
		z = le.AppendUint32(z, 0xFFFFFFFF)
		z = le.AppendUint16(z, uint16(len(m.Name)))
		z = le.AppendUint16(z, 20) // the zip64 extra field
		z = append(z, m.Name...)
		z = le.AppendUint16(z, 0x0001)
		z = le.AppendUint16(z, 16)
		z = le.AppendUint64(z, 0)
		z = le.AppendUint64(z, 0)
		z = append(z, data...)
		z = le.AppendUint32(z, 0x08074b50)
		z = le.AppendUint32(z, crc32.ChecksumIEEE(m.Data))
		z = le.AppendUint64(z, uint64(len(data)))
		z = le.AppendUint64(z, uint64(len(m.Data)))
		ends = append(ends, len(z))
	}
	return z, ends
}

// zipWithLocalSizes writes members with their sizes in the local headers
// and no data descriptors (zip.Writer.CreateRaw).
func zipWithLocalSizes(t *testing.T, members []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		data, method := m.Data, zip.Store
		if !m.Store {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.DefaultCompression)
			fw.Write(m.Data)
			fw.Close()
			data, method = c.Bytes(), zip.Deflate
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: m.Name, Method: method, CRC32: crc32.ChecksumIEEE(m.Data),
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(m.Data))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// countingReaderAt counts the reads at an offset of the ReaderAt it wraps.
type countingReaderAt struct {
	ra    io.ReaderAt
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.ra.ReadAt(p, off)
}

// TestSmallZipInMemory: a zip file on disk of at most spoolMemory is read
// with one read at an offset, then its members from memory; a larger one
// is read in place, two reads per member (a local header, then the data).
func TestSmallZipInMemory(t *testing.T) {
	var small []member
	for i := range 40 {
		small = append(small, member{Name: fmt.Sprintf("logs/%02d.log", i), Data: fmt.Appendf(nil, "bruker %d: kari%d@example.no\n", i, i)})
	}
	noise := make([]byte, spoolMemory+1)
	for i := range noise {
		noise[i] = byte(i*7 + i>>8) // stored, not deflated: a large zip
	}
	large := append([]member{{Name: "noise.bin", Data: noise, Store: true}}, small...)
	for _, c := range []struct {
		name     string
		members  []member
		maxReads int
		minReads int
	}{{"small", small, 1, 1}, {"large", large, 1 << 20, 2 * len(small)}} {
		path := filepath.Join(t.TempDir(), c.name+".zip")
		if err := os.WriteFile(path, docfixtures.Zip(c.members...), 0o644); err != nil {
			t.Fatal(err)
		}
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		fi, _ := file.Stat()
		ra := &countingReaderAt{ra: file}
		rd := files.NewReader(sources.Options{}, nil, files.WithFormat(files.KindZip, ReadZip))
		sink := newSink()
		f := &files.Format{Kind: files.KindZip, Stream: files.Stream{Loc: sources.Location{Path: c.name + ".zip"}, R: file, File: file, ReaderAt: ra, Size: fi.Size()}}
		if err := ReadZip(context.Background(), f, rd, sink); err != nil {
			t.Fatal(err)
		}
		for i := range small {
			loc := fmt.Sprintf("%s.zip!logs/%02d.log", c.name, i)
			if got := sink.texts[loc]; !strings.Contains(got, fmt.Sprintf("kari%d@example.no", i)) {
				t.Fatalf("%s: %s = %q", c.name, loc, got)
			}
		}
		if ra.reads > c.maxReads || ra.reads < c.minReads {
			t.Errorf("%s zip: %d reads at an offset, want %d to %d", c.name, ra.reads, c.minReads, c.maxReads)
		}
	}
}
