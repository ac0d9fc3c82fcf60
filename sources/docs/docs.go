// Package docs extracts the text of office documents and PDFs for the
// files reader: Word (docx), PowerPoint (pptx), OpenDocument text and
// presentations (odt, odp) become plain text with one line per paragraph;
// spreadsheets (xlsx, ods) become cells under their header row's column
// names, like CSV; PDF becomes the text of its pages.
//
// Documents are zip packages: the archive reader (package archive) opens
// the zip, asks Detect what it is and hands it to Read with an Opener that
// applies its decompression limits to each part. XML parts are streamed
// through a purpose-built XML scanner (xmlscan.go) with bounded memory
// (long text runs are split, markup longer than 1 MiB is an error), which
// reads them as encoding/xml's RawToken would; only an xlsx workbook's
// shared strings are held in memory, at most MaxSharedStrings bytes.
//
// Locations (Location.Path as given by the caller, "hr/ansatte.xlsx"):
//
//   - docx, pptx, odt, odp, PDF: the document's path; Chunk.Line is the
//     line of the extracted text: one line per paragraph (and per line
//     break), the parts in order (docx: body, headers, footers, notes,
//     comments; pptx: slides, then speaker notes), the author and title
//     properties last. PDF: the pages in order, each starting a new line.
//   - xlsx, ods: one location per sheet, Path "hr/ansatte.xlsx!Ark1".
//     The first row with a value is the header row: its cells name the
//     columns (Location.Field), like a CSV header; a column without a
//     header cell is named by its letter ("column C"). Every other
//     non-empty cell is one chunk with Line = the sheet's row number and
//     Row = that row's number below the header, so column C's finding on
//     line 7 is cell C7. Columns are announced with Type "column C".
//     Numbers are written without exponent; ten-digit integers get a
//     leading zero (a fødselsnummer stored as a number), as for database
//     integer columns.
package docs

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// Kind is a document format inside a zip package.
type Kind string

// Document kinds.
const (
	DOCX Kind = "docx"
	XLSX Kind = "xlsx"
	PPTX Kind = "pptx"
	ODT  Kind = "odt"
	ODS  Kind = "ods"
	ODP  Kind = "odp"
)

// Opener opens a part of a document package for reading. The archive
// reader's opener checks its limits (bytes, ratio, entries) first.
type Opener func(*zip.File) (io.ReadCloser, error)

// maxSmallPart bounds the parts read whole: relationships, the ODF
// mimetype.
const maxSmallPart = 1 << 20

// Detect tells whether the zip package zr is a document and which: an
// OOXML package by its main part (named in _rels/.rels, else the usual
// word/document.xml, xl/workbook.xml, ppt/presentation.xml), an
// OpenDocument package by its mimetype member. It returns "" for other
// zip files.
func Detect(zr *zip.Reader, open Opener) Kind {
	byName := names(zr)
	if zf := byName["mimetype"]; zf != nil && byName["content.xml"] != nil {
		if b, err := readSmall(open, zf, 256); err == nil {
			switch mt := strings.TrimSpace(string(b)); {
			case strings.HasPrefix(mt, "application/vnd.oasis.opendocument.text"):
				return ODT
			case strings.HasPrefix(mt, "application/vnd.oasis.opendocument.spreadsheet"):
				return ODS
			case strings.HasPrefix(mt, "application/vnd.oasis.opendocument.presentation"):
				return ODP
			}
		}
	}
	if byName["[Content_Types].xml"] == nil {
		return ""
	}
	switch main := mainPart(byName, open); {
	case strings.HasPrefix(main, "word/"):
		return DOCX
	case strings.HasPrefix(main, "xl/"):
		return XLSX
	case strings.HasPrefix(main, "ppt/"):
		return PPTX
	}
	return ""
}

// names maps the members of zr by name (the first of duplicates).
func names(zr *zip.Reader) map[string]*zip.File {
	m := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		if _, dup := m[f.Name]; !dup {
			m[f.Name] = f
		}
	}
	return m
}

// mainPart returns the path of an OOXML package's main part.
func mainPart(byName map[string]*zip.File, open Opener) string {
	if zf := byName["_rels/.rels"]; zf != nil {
		if rels, err := readRels(open, zf, ""); err == nil {
			for _, r := range rels {
				if strings.HasSuffix(r.typ, "/officeDocument") && byName[r.target] != nil {
					return r.target
				}
			}
		}
	}
	for _, p := range []string{"word/document.xml", "xl/workbook.xml", "ppt/presentation.xml"} {
		if byName[p] != nil {
			return p
		}
	}
	return ""
}

// readSmall reads a whole part of at most limit bytes.
func readSmall(open Opener, zf *zip.File, limit int64) ([]byte, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", zf.Name, limit)
	}
	return b, nil
}

type rel struct{ id, typ, target string }

// readRels reads a relationships part; targets are resolved against dir
// (the directory of the part the relationships belong to).
func readRels(open Opener, zf *zip.File, dir string) ([]rel, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(io.LimitReader(rc, maxSmallPart))
	var out []rel
	for {
		kind, err := sc.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", zf.Name, err)
		}
		if kind != tokStart || string(sc.local()) != "Relationship" {
			continue
		}
		var r rel
		external := false
		for i := range sc.attrs {
			switch v := sc.attrValue(i); string(sc.attrLocal(i)) {
			case "Id":
				r.id = string(v)
			case "Type":
				r.typ = string(v)
			case "Target":
				r.target = string(v)
			case "TargetMode":
				external = string(v) == "External"
			}
		}
		if external {
			continue
		}
		if strings.HasPrefix(r.target, "/") {
			r.target = strings.TrimPrefix(r.target, "/")
		} else {
			r.target = path.Join(dir, r.target)
		}
		out = append(out, r)
	}
}

// Read reads the document of the given kind in the zip package zr into
// sink as loc. Parts are opened with open. A failure of the whole
// document is returned; a failed sheet is reported with sink.Failed and
// the other sheets are read.
func Read(ctx context.Context, kind Kind, zr *zip.Reader, open Opener, loc sources.Location, rd *files.Reader, sink sources.Sink) error {
	byName := names(zr)
	part := func(name string, rules *textRules) xmlPart {
		zf := byName[name]
		return xmlPart{name: name, rules: rules, open: func() (io.ReadCloser, error) { return open(zf) }}
	}
	var parts []xmlPart
	switch kind {
	case XLSX, ODS:
		// With Options.Names the sheets' names are read as values too
		// (sources.SheetNamesField): a sheet per employee, named so.
		var sheets []string
		var err error
		if kind == XLSX {
			sheets, err = readXLSX(ctx, byName, open, loc, sink)
		} else if zf := byName["content.xml"]; zf == nil {
			err = errors.New("content.xml missing")
		} else {
			err = readODS(ctx, zf, open, loc, sink, &sheets)
		}
		if err != nil || len(sheets) == 0 || rd == nil || !rd.Options().Names {
			return err
		}
		u := &sources.NamesUnit{Loc: sources.Location{Target: loc.Target, Path: loc.Path + "!"}, Names: sources.NameListOf(sheets...), Sheets: true}
		return u.Read(ctx, sink)
	case DOCX:
		main := mainPart(byName, open)
		if main == "" {
			return errors.New("main document part missing")
		}
		parts = append(parts, part(main, wordRules))
		var extra []string
		for name := range byName {
			base := path.Base(name)
			if path.Dir(name) == path.Dir(main) && name != main && strings.HasSuffix(base, ".xml") &&
				(strings.HasPrefix(base, "header") || strings.HasPrefix(base, "footer") ||
					base == "footnotes.xml" || base == "endnotes.xml" || base == "comments.xml") {
				extra = append(extra, name)
			}
		}
		slices.SortFunc(extra, naturalCompare)
		for _, n := range extra {
			parts = append(parts, part(n, wordRules))
		}
	case PPTX:
		var slides, notes []string
		for name := range byName {
			switch {
			case strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml"):
				slides = append(slides, name)
			case strings.HasPrefix(name, "ppt/notesSlides/notesSlide") && strings.HasSuffix(name, ".xml"):
				notes = append(notes, name)
			}
		}
		slices.SortFunc(slides, naturalCompare)
		slices.SortFunc(notes, naturalCompare)
		for _, n := range append(slides, notes...) {
			parts = append(parts, part(n, slideRules))
		}
	case ODT, ODP:
		if byName["content.xml"] == nil {
			return errors.New("content.xml missing")
		}
		parts = append(parts, part("content.xml", odfRules))
	default:
		return fmt.Errorf("unknown document kind %q", kind)
	}
	for _, meta := range []string{"docProps/core.xml", "meta.xml"} {
		if byName[meta] != nil {
			parts = append(parts, part(meta, metaRules))
		}
	}
	return rd.ReadText(ctx, newTextReader(ctx, parts), loc, sink)
}

// naturalCompare orders names with numbers by value: slide2 before slide10.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da > 0 && db > 0 {
			na, _ := strconv.ParseUint(a[:min(da, 18)], 10, 64)
			nb, _ := strconv.ParseUint(b[:min(db, 18)], 10, 64)
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
