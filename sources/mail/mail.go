// Package mail reads Internet mail (RFC 5322 with MIME: .eml files,
// Maildir messages, the messages attached to messages) for the files
// reader: the headers and the text of every part, decoded (base64,
// quoted-printable, RFC 2047 words, charsets), as one text at the file's
// location, and the attachments as files of their own. Read as plain text
// a message hides what base64 encodes and breaks what quoted-printable
// wraps ("kari.nordm=\nann@example.no").
package mail

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// Limits on one message.
const (
	// maxDepth bounds multiparts and messages nested in one another.
	maxDepth = 20
	// maxParts bounds the parts of one message.
	maxParts = 10_000
)

// Read is the files.FormatReader for Internet mail: one message, or an
// mbox file of messages one after the other (each starting with a
// "From " line after a blank line). The messages are read twice: once for
// their text (for each, its headers, then every inline text part in order,
// decoded to UTF-8), handed to files.Reader.ReadText at the file's
// location (in an mbox, each message's to ReadItemText, on the line of its
// number), and once for their attachments, each read as a file of its
// own at "mail.eml!name" (in an mbox, "Inbox!12/name": the 12th message;
// within the archive depth limit), their names then read as values
// ("mail.eml!#(file names)") unless Options.Names is off. A part that
// cannot be decoded is reported and the others are read; a message whose
// structure is broken is also read as plain text.
func Read(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	msgs, err := messages(ctx, ra, size)
	if err != nil {
		return err
	}
	// The text: of the one message, or of each message of an mbox on the
	// line of its number.
	for i, m := range msgs {
		item := int64(i + 1)
		if len(msgs) == 1 {
			item = 0 // a message file: its own lines
		}
		if err := readText(ctx, rd, f.Loc, m, item, sink); err != nil {
			return err
		}
	}

	// The attachments.
	var names []string
	seen := map[string]bool{}
	prefix := "" // in an mbox, the message's number: "Inbox!12/liste.csv"
	w := &walker{onAttach: func(name string, r io.Reader) error {
		name = uniqueName(seen, name)
		names = append(names, name)
		loc := f.Loc
		loc.Field = ""
		loc.Path += "!" + prefix + name
		if f.TooDeep(rd, loc, sink) {
			return nil
		}
		return rd.ReadStream(ctx, files.Stream{Loc: loc, Name: name, R: &ctxReader{ctx: ctx, r: r}, Size: -1, Depth: f.Depth + 1}, sink)
	}}
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.parts = 0
		if len(msgs) > 1 {
			prefix = strconv.Itoa(i+1) + "/"
			clear(seen)
		}
		if err := w.message(io.NewSectionReader(m, 0, m.Size()), 0); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// Already reported by the text pass, which met it first.
		}
	}
	if len(names) > 0 && rd.Options().Names {
		u := &sources.NamesUnit{Loc: sources.Location{Target: f.Loc.Target, Path: f.Loc.Path + "!"}, Names: sources.NameListOf(names...)}
		return u.Read(ctx, sink)
	}
	return nil
}

// readText reads the text of message m at loc: its headers, then every
// inline text part in order, decoded to UTF-8; with item > 0 as the text
// of that item (files.Reader.ReadItemText: an mbox's message by its
// number). A part that cannot be decoded is reported; a message whose
// structure is broken is also read as the plain text it is.
func readText(ctx context.Context, rd *files.Reader, loc sources.Location, m *io.SectionReader, item int64, sink sources.Sink) error {
	read := func(r io.Reader) error {
		if item > 0 {
			return rd.ReadItemText(ctx, r, loc, item, sink)
		}
		return rd.ReadText(ctx, r, loc, sink)
	}
	// Through a pipe: the walk writes, the reader reads.
	pr, pw := io.Pipe()
	var partErrs []error
	broken := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		w := &walker{onText: func(r io.Reader) error {
			_, err := io.Copy(pw, r)
			if err == nil {
				_, err = io.WriteString(pw, "\n")
			}
			return err
		}, onHeader: func(h textproto.MIMEHeader) error {
			_, err := io.WriteString(pw, headerText(h))
			return err
		}}
		err := ctx.Err()
		if err == nil {
			err = w.message(io.NewSectionReader(m, 0, m.Size()), 0)
		}
		broken, partErrs = w.isBroken, w.errs
		pw.CloseWithError(err)
	}()
	err := read(pr)
	_ = pr.Close() // ends the walk if reading stopped early
	<-done
	if err != nil {
		return err
	}
	for _, e := range partErrs {
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, e))
	}
	if broken {
		// What a broken structure hides is read as the plain text it is,
		// so that nothing is passed over.
		return read(io.NewSectionReader(m, 0, m.Size()))
	}
	return nil
}

// messages returns the messages of ra: one, or those of an mbox file,
// which start with a line "From " at the start of the file or after a
// blank line (lines of a body that start so are written ">From ").
func messages(ctx context.Context, ra io.ReaderAt, size int64) ([]*io.SectionReader, error) {
	var head [5]byte
	if n, _ := ra.ReadAt(head[:], 0); n < 5 || string(head[:]) != "From " {
		return []*io.SectionReader{io.NewSectionReader(ra, 0, size)}, nil
	}
	var starts []int64
	br := bufio.NewReaderSize(io.NewSectionReader(ra, 0, size), 64<<10)
	off, blank, lineStart := int64(0), true, true
	for {
		line, err := br.ReadSlice('\n')
		if lineStart && blank && bytes.HasPrefix(line, []byte("From ")) {
			if len(starts)%4096 == 0 {
				if cerr := ctx.Err(); cerr != nil {
					return nil, cerr
				}
			}
			starts = append(starts, off)
		}
		off += int64(len(line))
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: its rest follows.
			lineStart, blank = false, false
			continue
		}
		if lineStart {
			blank = len(bytes.TrimRight(line, "\r\n")) == 0
		} else {
			blank = false
		}
		lineStart = true
		if err != nil {
			break
		}
	}
	msgs := make([]*io.SectionReader, len(starts))
	for i, s := range starts {
		end := size
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		msgs[i] = io.NewSectionReader(ra, s, end-s)
	}
	return msgs, nil
}

// ctxReader ends a read when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// uniqueName returns name, or name with " (2)", " (3)" … before its
// extension when seen has it already (two attachments "image001.png" are
// two locations), and adds what it returns to seen.
func uniqueName(seen map[string]bool, name string) string {
	n := name
	ext := path.Ext(name)
	for i := 2; seen[n]; i++ {
		n = strings.TrimSuffix(name, ext) + " (" + strconv.Itoa(i) + ")" + ext
	}
	seen[n] = true
	return n
}

// walker walks a message's MIME tree, handing each part to its callbacks:
// onHeader the headers of the message and of the messages in it, onText
// the decoded text of inline text parts, onAttach the decoded content of
// attachments with their file names. A callback left nil is not called
// (and the parts it would take are skipped unread).
type walker struct {
	onHeader func(textproto.MIMEHeader) error
	onText   func(io.Reader) error
	onAttach func(name string, r io.Reader) error
	parts    int
	errs     []error // parts that could not be decoded, and what broke the structure
	isBroken bool    // the structure is broken: the message is also read as plain text
}

// message reads a message (headers, blank line, body) from r. An mbox
// "From " line before the headers is passed over.
func (w *walker) message(r io.Reader, depth int) error {
	br := bufio.NewReader(r)
	if first, err := br.Peek(5); err == nil && string(first) == "From " {
		// The envelope sender and the time: text like any other.
		line, err := br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return w.broken(fmt.Errorf("message header: %w", quiet(err)))
		}
		if w.onText != nil {
			if err := w.onText(bytes.NewReader(bytes.TrimRight(line, "\r\n"))); err != nil {
				return err
			}
		}
	}
	tp := textproto.NewReader(br)
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return w.broken(fmt.Errorf("message header: %w", quiet(err)))
	}
	if err := w.header(h); err != nil {
		return err
	}
	return w.part(h, tp.R, depth)
}

// header hands a header to onHeader.
func (w *walker) header(h textproto.MIMEHeader) error {
	if w.onHeader == nil || len(h) == 0 {
		return nil
	}
	return w.onHeader(h)
}

// errMalformedHeader stands for textproto's errors, which quote the
// header line they could not read, and a header line may hold personal
// data.
var errMalformedHeader = errors.New("a malformed header line")

// quiet returns err without the text of the line it quotes.
func quiet(err error) error {
	var pe textproto.ProtocolError
	if errors.As(err, &pe) {
		return errMalformedHeader
	}
	return err
}

// broken records that the message's structure is broken (a header that
// cannot be parsed, a multipart cut short, limits passed): what follows
// in the message is not read as parts.
func (w *walker) broken(err error) error {
	w.errs = append(w.errs, err)
	w.isBroken = true
	return nil
}

// part reads one part with header h and raw (transfer-encoded) body.
func (w *walker) part(h textproto.MIMEHeader, body io.Reader, depth int) error {
	if w.parts++; w.parts > maxParts {
		return w.broken(fmt.Errorf("more than %d parts", maxParts))
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt, params = "text/plain", nil // RFC 2045: the default
	}
	decoded := transferDecoder(h.Get("Content-Transfer-Encoding"), body)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth >= maxDepth {
			return w.broken(fmt.Errorf("parts nested more than %d deep", maxDepth))
		}
		boundary := params["boundary"]
		if boundary == "" {
			// No way to tell the parts: the body is read as text.
			return w.text(decoded, mt, params)
		}
		mr := multipart.NewReader(decoded, boundary)
		for {
			p, err := mr.NextRawPart()
			switch {
			case err == io.EOF:
				return nil
			case errors.Is(err, io.EOF):
				// The closing boundary is missing (a message cut short
				// after its last part, or written so): what came before
				// was read.
				return nil
			case err != nil:
				return w.broken(fmt.Errorf("%s: %w", mt, quiet(err)))
			}
			if err := w.header(p.Header); err != nil {
				return err
			}
			if err := w.part(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	case mt == "message/rfc822" || mt == "message/global":
		if depth >= maxDepth {
			return w.broken(fmt.Errorf("messages nested more than %d deep", maxDepth))
		}
		if name := fileName(h, params); name != "" && w.attachment(h, mt) {
			return w.attach(name, decoded)
		}
		return w.message(decoded, depth+1)
	case w.attachment(h, mt):
		return w.attach(partName(h, params, w.parts), decoded)
	}
	return w.text(decoded, mt, params)
}

// attachment reports whether a part is an attachment rather than text to
// read inline: a disposition "attachment", a file name, or a type other
// than text.
func (w *walker) attachment(h textproto.MIMEHeader, mt string) bool {
	disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case disp == "attachment":
		return true
	case mt == "text/plain" || mt == "text/html" || mt == "text/enriched" || mt == "text/calendar" || mt == "text/vcard" || mt == "text/x-vcard":
		return false
	case strings.HasPrefix(mt, "message/"):
		return disp == "attachment"
	}
	return true
}

func (w *walker) attach(name string, r io.Reader) error {
	if w.onAttach == nil {
		return nil
	}
	err := w.onAttach(name, decodeErrs{r})
	var de decodeError
	if errors.As(err, &de) {
		w.errs = append(w.errs, fmt.Errorf("attachment %q: %w", name, err))
		return nil
	}
	return err
}

// text hands an inline text part, in UTF-8, to onText; HTML as the text
// it shows (files.HTMLText).
func (w *walker) text(r io.Reader, mt string, params map[string]string) error {
	if w.onText == nil {
		return nil
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		if enc, err := htmlindex.Get(cs); err == nil {
			r = enc.NewDecoder().Reader(r)
		}
	}
	if mt == "text/html" {
		r = files.HTMLText(r)
	}
	err := w.onText(decodeErrs{r})
	var de decodeError
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// The message ends inside the part (its closing boundary is
		// missing): what it holds was read.
		return nil
	}
	if errors.As(err, &de) {
		w.errs = append(w.errs, fmt.Errorf("part %s: %w", mt, err)) // the type only: its parameters may name a file
		return nil
	}
	return err
}

// decodeError is an error of reading a part (its transfer encoding, its
// end): the part is reported, the message goes on. Other errors (the
// sink's, the context's) end the walk.
type decodeError struct{ err error }

func (e decodeError) Error() string { return e.err.Error() }
func (e decodeError) Unwrap() error { return e.err }

// decodeErrs marks the errors of reading a part as decodeError.
type decodeErrs struct{ r io.Reader }

func (d decodeErrs) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	var de decodeError
	if err != nil && err != io.EOF && !errors.As(err, &de) {
		err = decodeError{err}
	}
	return n, err
}

// transferDecoder undoes a Content-Transfer-Encoding (base64 or
// quoted-printable; 7bit, 8bit and binary are as they are).
func transferDecoder(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeErrs{base64.NewDecoder(base64.StdEncoding, &base64Text{r: r})}
	case "quoted-printable":
		return decodeErrs{quotedprintable.NewReader(r)}
	}
	return r
}

// base64Text passes only the bytes of base64 text: the line breaks and
// spaces mail wraps it with, and anything else a sender added, are
// dropped, as mail readers do.
type base64Text struct{ r io.Reader }

func (b *base64Text) Read(p []byte) (int, error) {
	for {
		n, err := b.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// fileName is a part's file name (Content-Disposition filename, else
// Content-Type name; RFC 2231 and RFC 2047 decoded), its last path
// element, or "" when it has none.
func fileName(h textproto.MIMEHeader, params map[string]string) string {
	name := ""
	if _, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		name = dp["filename"]
	}
	if name == "" {
		name = params["name"]
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
		name = dec
	}
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" {
		return ""
	}
	return strings.ReplaceAll(name, "!", "_")
}

// partName is a part's file name, or "part N" when it has none.
func partName(h textproto.MIMEHeader, params map[string]string, n int) string {
	if name := fileName(h, params); name != "" {
		return name
	}
	return "part " + strconv.Itoa(n)
}

// headerText renders a header as text, a line per field in sorted order,
// RFC 2047 words decoded: "Subject: Lønnsslipp".
func headerText(h textproto.MIMEHeader) string {
	var b strings.Builder
	dec := new(mime.WordDecoder)
	dec.CharsetReader = charsetReader
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range h[k] {
			if d, err := dec.DecodeHeader(v); err == nil {
				v = d
			}
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// charsetReader decodes the charsets of RFC 2047 words beyond UTF-8,
// US-ASCII and ISO-8859-1.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(input), nil
}
