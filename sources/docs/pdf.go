package docs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// Limits for PDF.
const (
	// maxPages bounds the pages read from one PDF (its page count is
	// data in the file).
	maxPages = 100_000
	// maxTreeDepth bounds the page-tree nodes open at once; the nodes
	// below are not read.
	maxTreeDepth = 64
)

// ReadPDF is the files.FormatReader for PDF: the text of every page, in
// order, through files.Reader.ReadText. Content without random access
// (a PDF inside a tar.gz) is spooled first (at most MaxArchiveBytes). The
// PDF library runs inside recover(): a PDF it cannot parse is a failure of
// that file, never a crash. A page whose text cannot be extracted is
// reported and the other pages are read. An encrypted PDF that opens
// without a password is read; one that needs a password is skipped as
// "encrypted PDF".
func ReadPDF(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	r, err := openPDF(ra, size)
	if err != nil {
		if isEncrypted(err) {
			sink.Skipped(f.Loc, "encrypted PDF")
			return nil
		}
		return err
	}
	pr := &pdfText{ctx: ctx}
	// A tree of n pages whose inner nodes have two kids or more has fewer
	// than n of them: a walk past 2n+64 nodes, or past n pages, is in a
	// tree whose kids lead back to an ancestor, which would never end.
	pr.pages = min(numPages(r), maxPages)
	pr.tree.maxVisits = 2*pr.pages + 64
	if err := pr.tree.start(r); err != nil {
		return fmt.Errorf("read %s: %w", f.Loc.Path, err)
	}
	if err := rd.ReadText(ctx, pr, f.Loc, sink); err != nil {
		return err
	}
	if len(pr.failed) > 0 {
		sink.Failed(f.Loc, fmt.Errorf("read %s: text of %d page(s) could not be extracted (first: page %d: %w)",
			f.Loc.Path, len(pr.failed), pr.failed[0], pr.firstErr))
	}
	return nil
}

func isEncrypted(err error) bool {
	return errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "unsupported PDF: encryption")
}

// openPDF opens a PDF, turning a panic of the library into an error.
func openPDF(ra io.ReaderAt, size int64) (r *pdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("malformed PDF: %v", p)
		}
	}()
	r, err = pdf.NewReader(ra, size)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// pdfText reads the text of a PDF page by page.
type pdfText struct {
	ctx      context.Context
	tree     pageTree
	fonts    pdfFonts
	pages    int // the document's page count (at most maxPages)
	next     int // pages read
	out      string
	failed   []int
	firstErr error
}

// Read implements io.Reader.
func (p *pdfText) Read(b []byte) (int, error) {
	for p.out == "" {
		if err := p.ctx.Err(); err != nil {
			return 0, err
		}
		if p.next >= p.pages {
			return 0, io.EOF
		}
		pg, ok, err := p.tree.next()
		if !ok {
			return 0, io.EOF
		}
		p.next++
		var text string
		if err == nil {
			text, err = pageText(pg, &p.fonts)
		}
		if err != nil {
			p.failed = append(p.failed, p.next)
			if p.firstErr == nil {
				p.firstErr = err
			}
			continue
		}
		p.out = text + "\n"
	}
	n := copy(b, p.out)
	p.out = p.out[n:]
	return n, nil
}

// numPages is the page count the document's root gives (inside
// recover(): 0 when it cannot be read).
func numPages(r *pdf.Reader) (n int) {
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	return max(r.NumPage(), 0)
}

// pageText extracts the text of a page inside recover(), with fonts.
func pageText(pg pdf.Page, fonts *pdfFonts) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	// Fonts are page resources: names like F1 differ between pages.
	return pg.GetPlainText(fonts.page(pg))
}

// pdfFonts builds the font tables of a document's pages (what the
// library's GetPlainText(nil) builds for a page) and keeps the fonts that
// are objects of their own from page to page, by reference: their
// dictionaries resolved and their encodings (a font's character map)
// parsed once per document, not once per page. The library also resolves
// a page's resources and font dictionary again for the names and for each
// font, and each resolution parses the object again (from a compressed
// object stream, inflating it again): most of the time of a PDF of many
// fonts.
type pdfFonts struct {
	byRef map[string]*pdf.Font // "12 0": the font object 12 0 R
}

// maxKeptFonts bounds pdfFonts.byRef; past it the kept fonts are dropped.
const maxKeptFonts = 1024

// page returns pg's font table.
func (c *pdfFonts) page(pg pdf.Page) map[string]*pdf.Font {
	fd := pg.Resources().Key("Font")
	names := fd.Keys()
	refs, ok := fontRefs(fd.String())
	if ok {
		// The form's names are the dictionary's (a name with a space in
		// it could shift them); Keys sorts them as the form does.
		ok = slices.EqualFunc(refs, names, func(r fontRef, n string) bool { return r.name == n })
	}
	if !ok {
		// Fonts written into the page's dictionary, not objects of
		// their own (or a form not read as references): resolved for
		// this page.
		fonts := make(map[string]*pdf.Font, len(names))
		for _, name := range names {
			fonts[name] = &pdf.Font{V: fd.Key(name)}
		}
		return fonts
	}
	if c.byRef == nil || len(c.byRef) >= maxKeptFonts {
		c.byRef = make(map[string]*pdf.Font)
	}
	fonts := make(map[string]*pdf.Font, len(refs))
	for _, r := range refs {
		f := c.byRef[r.ref]
		if f == nil {
			f = &pdf.Font{V: fd.Key(r.name)}
			c.byRef[r.ref] = f
		}
		fonts[r.name] = f
	}
	return fonts
}

// fontRef is an entry of a font dictionary that refers to a font object:
// its name (F1) and the object's number and generation ("12 0").
type fontRef struct{ name, ref string }

// fontRefs reads a font dictionary in the library's canonical form
// (Value.String: "<</F1 12 0 R /F2 14 0 R>>", keys sorted, references as
// "N G R") as the references it holds; ok is false unless every entry is
// a reference.
func fontRefs(s string) (refs []fontRef, ok bool) {
	body, pre := strings.CutPrefix(s, "<<")
	body, suf := strings.CutSuffix(body, ">>")
	if !pre || !suf || strings.HasPrefix(s, "<<<") {
		return nil, false
	}
	f := strings.Fields(body)
	if len(f)%4 != 0 {
		return nil, false
	}
	for i := 0; i < len(f); i += 4 {
		name, num, gen, r := f[i], f[i+1], f[i+2], f[i+3]
		if len(name) < 2 || name[0] != '/' || r != "R" || !allDigits(num) || !allDigits(gen) {
			return nil, false
		}
		refs = append(refs, fontRef{name: name[1:], ref: num + " " + gen})
	}
	return refs, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// pageTree walks a PDF's page tree in order, resolving each node once.
// The library's Reader.Page(i) walks the tree from its root for each page
// and resolves (parses from the file again) every kid before the i-th: a
// document's pages took time quadratic in their number, most of the time
// spent on a long PDF.
type pageTree struct {
	stack     []pageNode // the nodes open, innermost last
	visits    int        // nodes resolved
	maxVisits int
}

// pageNode is a page-tree node being walked: its kids, the next one's
// index and their number. The root is the one kid of a node of its own.
type pageNode struct {
	root pdf.Value
	kids pdf.Value
	i, n int
}

func (n *pageNode) kid(i int) pdf.Value {
	if n.kids.IsNull() {
		return n.root
	}
	return n.kids.Index(i)
}

// start starts the walk at r's root node (inside recover()).
func (t *pageTree) start(r *pdf.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed PDF: %v", p)
		}
	}()
	t.stack = append(t.stack[:0], pageNode{root: r.Trailer().Key("Root").Key("Pages"), n: 1})
	return nil
}

// next returns the next page: ok is false at the end of the tree, or past
// maxVisits nodes. A node that cannot be resolved is err (the library
// panicked, inside recover()); the walk goes on with the next node.
func (t *pageTree) next() (page pdf.Page, ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			page, ok, err = pdf.Page{}, true, fmt.Errorf("malformed PDF: %v", p)
		}
	}()
	for len(t.stack) > 0 {
		top := &t.stack[len(t.stack)-1]
		if top.i >= top.n {
			t.stack = t.stack[:len(t.stack)-1]
			continue
		}
		if t.visits++; t.visits > t.maxVisits {
			return pdf.Page{}, false, nil
		}
		top.i++ // first: a kid that panics is passed over
		kid := top.kid(top.i - 1)
		switch kid.Key("Type").Name() {
		case "Pages":
			if len(t.stack) < maxTreeDepth {
				kids := kid.Key("Kids")
				t.stack = append(t.stack, pageNode{kids: kids, n: kids.Len()})
			}
		case "Page":
			return pdf.Page{V: kid}, true, nil
		}
	}
	return pdf.Page{}, false, nil
}
