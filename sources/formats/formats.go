// Package formats plugs the readers for archives (zip, tar), documents
// (docx, xlsx, pptx, odt, ods, odp, PDF, RTF, and the OLE2 compound files
// of legacy doc, xls, ppt and Outlook msg), mail (.eml, Maildir, mbox,
// Exchange's winmail.dat, Outlook's .pst and .ost) and SQLite databases into the files reader, for
// every source that reads files: local trees and file shares alike.
package formats

import (
	"github.com/piimap/piimap/sources/archive"
	"github.com/piimap/piimap/sources/docs"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/mail"
	"github.com/piimap/piimap/sources/sqlite"
)

// Options returns the files options that register every format reader:
// pass them to files.New, files.NewReader or smb.New.
func Options() []files.Option {
	return []files.Option{
		files.WithFormat(files.KindZip, archive.ReadZip),
		files.WithFormat(files.KindTar, archive.ReadTar),
		files.WithFormat(files.KindPDF, docs.ReadPDF),
		files.WithFormat(files.KindSQLite, sqlite.ReadFormat),
		files.WithFormat(files.KindOLE2, docs.ReadOLE2),
		files.WithFormat(files.KindTNEF, docs.ReadTNEF),
		files.WithFormat(files.KindPST, docs.ReadPST),
		files.WithFormat(files.KindMail, mail.Read),
		files.WithFormat(files.KindRTF, docs.ReadRTF),
	}
}
