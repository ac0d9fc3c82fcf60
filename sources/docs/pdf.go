package docs

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	// maxMissingPages: this many pages in a row that cannot be found end
	// the document.
	maxMissingPages = 100
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
	pr := &pdfText{ctx: ctx, r: r}
	pr.pages = min(pr.numPages(), maxPages)
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
	r        *pdf.Reader
	pages    int
	next     int // last page read
	missing  int
	out      string
	failed   []int
	firstErr error
}

func (p *pdfText) numPages() (n int) {
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	return p.r.NumPage()
}

// Read implements io.Reader.
func (p *pdfText) Read(b []byte) (int, error) {
	for p.out == "" {
		if err := p.ctx.Err(); err != nil {
			return 0, err
		}
		if p.next >= p.pages || p.missing >= maxMissingPages {
			return 0, io.EOF
		}
		p.next++
		text, found, err := p.page(p.next)
		switch {
		case err != nil:
			p.failed = append(p.failed, p.next)
			if p.firstErr == nil {
				p.firstErr = err
			}
		case !found:
			p.missing++
		default:
			p.missing = 0
			p.out = text + "\n"
		}
	}
	n := copy(b, p.out)
	p.out = p.out[n:]
	return n, nil
}

// page extracts the text of page i inside recover().
func (p *pdfText) page(i int) (text string, found bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, found, err = "", true, fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	pg := p.r.Page(i)
	if pg.V.IsNull() {
		return "", false, nil
	}
	// Fonts are page resources: names like F1 differ between pages.
	text, err = pg.GetPlainText(nil)
	return text, true, err
}
