package docfixtures

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/piimap/piimap/internal/testdb"
)

// Want is a finding a scan of the tree must report: the location (file
// path relative to the root with "!" members, and field) and the category.
type Want struct {
	Path, Field, Category string
}

// Key renders w as the tests compare findings: "path#field category".
func (w Want) Key() string { return w.Path + "#" + w.Field + " " + w.Category }

// Values are the personal data written into the tree: none may appear in
// a report without --show-values.
type Values struct {
	Fnr    []string // valid fødselsnumre
	Emails []string
}

// Tree writes the good fixtures under dir: one of every supported document
// and archive kind, a SQLite database, Windows-1252 and UTF-16 exports and
// a PNG, and returns the findings a scan must report (at least these) and
// the values written.
func Tree(dir string) ([]Want, Values, error) {
	fnr := testdb.Fnrs(40, 7)
	// A fødselsnummer with a leading zero, for numbers stored without it.
	var zero string
	for _, f := range testdb.Fnrs(400, 100) {
		if f[0] == '0' {
			zero = f
			break
		}
	}
	if zero == "" {
		return nil, Values{}, fmt.Errorf("no fødselsnummer with a leading zero")
	}
	emails := []string{"kari.nordmann@fjordpost.no", "ola.hansen@blaabaer.no", "per.berg@nordlys.no", "anne.lie@fjordpost.no"}
	vals := Values{Fnr: append(fnr, zero), Emails: emails}

	csv2024 := "kundenr;fødselsnummer;e-post\n"
	for i := 0; i < 5; i++ {
		csv2024 += fmt.Sprintf("%d;%s;%s\n", 1000+i, fnr[i], emails[i%len(emails)])
	}
	innerZip := Zip(Member{Name: "notater.txt", Data: []byte("Ring tilbake.\nKontakt: " + emails[1] + "\n")})
	brev := DOCX([]string{"Hei,", "Fødselsnummer: |" + fnr[5][:6] + "|" + fnr[5][6:]}, nil, "Brev", "Saksbehandler")
	appDB := filepath.Join(dir, "data", "app.db")
	files := map[string][]byte{
		"hr/ansatte.xlsx": XLSX(
			Sheet{Name: "Ark1", Rows: [][]Cell{
				{S("Navn"), S("Fødselsnummer"), S("E-post"), S("Merknad")},
				{S("Kari Nordmann"), S(fnr[6]), S(emails[0]), S("ok")},
				{S("Ola Hansen"), N(strings.TrimPrefix(zero, "0")), S(emails[1]), S("ok")},
				{S("Per Berg"), S(fnr[7]), S(emails[2]), S("sendt til " + emails[3])},
			}},
			Sheet{Name: "Notater", FirstRow: 3, Rows: [][]Cell{{S("Tekst")}, {S("ring " + emails[3])}}},
		),
		"hr/kontrakt.docx": DOCX(
			[]string{"Arbeidsavtale", "Arbeidstaker har fødselsnummer |" + fnr[8][:4] + "|" + fnr[8][4:] + "| og e-post " + emails[0] + "."},
			[][]string{{"Navn", "Fødselsnummer"}, {"Kari Nordmann", fnr[9]}},
			"Konfidensielt – kontakt "+emails[2], "Kari Nordmann",
		),
		"salg/presentasjon.pptx": PPTX("Salgstall 2024", "Kundekontakt\nE-post: "+emails[3]+"\nfnr "+fnr[10]),
		"docs/referat.odt":       ODT("Referat fra møte", "Deltaker  fødselsnummer "+fnr[11], "Kontakt: "+emails[1]),
		"docs/liste.ods": ODS(Sheet{Name: "Kunder", Rows: [][]Cell{
			{S("navn"), S("fnr"), S("epost")},
			{S("Kari"), S(fnr[12]), S(emails[0])},
			{S("Ola"), N(fnr[13]), S(emails[1])},
		}}),
		"docs/rapport.pdf": PDF("Kvartalsrapport\nIngen personopplysninger her.",
			"Vedlegg\nKunde med fnr "+fnr[14]+" har klaget.\nSvar sendt til "+emails[2]),
		"exports/2024.zip": Zip(
			Member{Name: "kunder/2024.csv", Data: []byte(csv2024)},
			Member{Name: "kunder/inner.zip", Data: innerZip, Store: true},
			Member{Name: "brev.docx", Data: brev},
			Member{Name: "kunder/excel-eksport.csv", Data: Windows1252("fødselsnummer;navn\n" + fnr[28] + ";Åse\n")},
			Member{Name: "tom/", Data: nil},
		),
		"exports/logs.tar.gz": TarGz(
			Member{Name: "./logs/app.log", Data: []byte("2024-01-01 start\n2024-01-01 user=" + emails[2] + "\n2024-01-02 fnr=" + fnr[15] + " saved\n")},
			Member{Name: "logs/arkiv.zip", Data: Zip(Member{Name: "gammel.csv", Data: []byte("navn,fnr\nPer," + fnr[16] + "\n")})},
			Member{Name: "logs/utf16.log", Data: UTF16LE("kontakt " + emails[0] + "\r\n")},
		),
		"legacy/latin1.csv":        Windows1252("fødselsnummer;navn;by\n" + fnr[17] + ";Åse Ødegård;Tromsø\n" + fnr[18] + ";Bjørn Ås;Bodø\n"),
		"legacy/eksport-utf16.txt": UTF16LE("Eksport fra HR-systemet\r\nKontakt: " + emails[3] + "\r\nfnr: " + fnr[19] + "\r\n"),
		// Legacy Office: a Word 97 document (8-bit text between binary
		// structures, a UTF-16 summary) and an Outlook message with an
		// attachment.
		"legacy/avtale.doc": CFB(
			CFBStream{Path: "WordDocument", Data: append([]byte{0xEC, 0xA5, 0xC1, 0, 0x1F, 0x20, 9, 4}, Windows1252("Avtale\rFødselsnummer "+fnr[29]+"\rE-post "+emails[0]+"\r")...)},
			CFBStream{Path: "1Table", Data: []byte{0, 1, 2, 3, 4, 5, 6, 7}},
		),
		"post/lonn.msg": CFB(
			CFBStream{Path: "__substg1.0_0037001F", Data: utf16NoBOM("Lønnsslipp")},
			CFBStream{Path: "__substg1.0_1000001F", Data: utf16NoBOM("Hei,\r\nsvar til " + emails[1] + ".\r\n")},
			CFBStream{Path: "__attach_version1.0_#00000000/__substg1.0_3707001F", Data: utf16NoBOM("kontrakt.txt")},
			CFBStream{Path: "__attach_version1.0_#00000000/__substg1.0_37010102", Data: []byte("Ansatt med fnr " + fnr[30] + "\n")},
		),
		// An e-mail as saved from a mail client: the address cut by a
		// quoted-printable soft line break, an attachment in base64.
		"post/velkommen.eml": []byte(strings.ReplaceAll("From: hr@firma.no\nTo: ny@firma.no\nDate: Mon, 2 Mar 2026 09:14:00 +0100\n"+
			"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n"+
			"Content-Transfer-Encoding: quoted-printable\n\nVelkommen! Skriv til "+emails[2][:6]+"=\n"+emails[2][6:]+" ved sp=C3=B8rsm=C3=A5l.\n"+
			"--b\nContent-Type: text/plain; name=\"kontrakt.txt\"\nContent-Disposition: attachment; filename=\"kontrakt.txt\"\n"+
			"Content-Transfer-Encoding: base64\n\n"+base64.StdEncoding.EncodeToString([]byte("Ansatt med fnr "+fnr[31]+"\n"))+"\n--b--\n", "\n", "\r\n")),
		// An Excel 97–2003 workbook: fødselsnummer stored as numbers and as text.
		"legacy/lonn.xls": XLS("Lønn", [][]string{
			{"Navn", "Fødselsnummer", "E-post"},
			{"Kari Nordmann", fnr[33], emails[0]},
			{"Ola Hansen", fnr[34], emails[1]},
		}),
		// RTF as Word writes it: the fødselsnummer split over two runs.
		"legacy/brev.rtf": []byte(`{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times New Roman;}}{\info{\author Saksbehandler}}` +
			`\pard {\insrsid1 F\'f8dselsnummer: ` + fnr[32][:4] + `}{\insrsid2 ` + fnr[32][4:] + `}\par}`),
		"misc/logo.png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"),
	}
	for rel, data := range files {
		if err := write(dir, rel, data); err != nil {
			return nil, Values{}, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(appDB), 0o755); err != nil {
		return nil, Values{}, err
	}
	stmts := []string{
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, navn TEXT, epost TEXT, fnr TEXT, fnr_tall INTEGER, saldo REAL)`,
		`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, note TEXT) STRICT`,
	}
	for i := 0; i < 4; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO customers (navn, epost, fnr, fnr_tall, saldo) VALUES ('Kunde %d', '%s', '%s', %s, %d.5)`,
			i, emails[i], fnr[20+i], strings.TrimPrefix(fnr[24+i], "0"), i))
	}
	stmts = append(stmts, `INSERT INTO orders (customer, note) VALUES (1, 'levert'), (2, 'ring `+emails[1]+`')`)
	if err := SQLite(appDB, stmts...); err != nil {
		return nil, Values{}, err
	}
	db, err := os.ReadFile(appDB)
	if err != nil {
		return nil, Values{}, err
	}
	// The same database inside a zip (stored: read in place) and a tar.gz
	// (spooled), under a name that does not say what it is.
	if err := write(dir, "data/backup.zip", Zip(Member{Name: "app.db", Data: db, Store: true})); err != nil {
		return nil, Values{}, err
	}
	if err := write(dir, "data/backup.tgz", TarGz(Member{Name: "dump.bin", Data: db})); err != nil {
		return nil, Values{}, err
	}

	want := []Want{
		{"hr/ansatte.xlsx!Ark1", "Fødselsnummer", "national_id"},
		{"hr/ansatte.xlsx!Ark1", "E-post", "email"},
		{"hr/ansatte.xlsx!Ark1", "Merknad", "email"},
		{"hr/ansatte.xlsx!Notater", "Tekst", "email"},
		{"hr/kontrakt.docx", "", "national_id"},
		{"hr/kontrakt.docx", "", "email"},
		{"salg/presentasjon.pptx", "", "email"},
		{"salg/presentasjon.pptx", "", "national_id"},
		{"docs/referat.odt", "", "national_id"},
		{"docs/referat.odt", "", "email"},
		{"docs/liste.ods!Kunder", "fnr", "national_id"},
		{"docs/liste.ods!Kunder", "epost", "email"},
		{"docs/rapport.pdf", "", "national_id"},
		{"docs/rapport.pdf", "", "email"},
		{"exports/2024.zip!kunder/2024.csv", "fødselsnummer", "national_id"},
		{"exports/2024.zip!kunder/2024.csv", "e-post", "email"},
		{"exports/2024.zip!kunder/inner.zip!notater.txt", "", "email"},
		{"exports/2024.zip!brev.docx", "", "national_id"},
		{"exports/2024.zip!kunder/excel-eksport.csv", "fødselsnummer", "national_id"},
		{"exports/logs.tar.gz!logs/utf16.log", "", "email"},
		{"exports/logs.tar.gz!logs/app.log", "", "email"},
		{"exports/logs.tar.gz!logs/app.log", "", "national_id"},
		{"exports/logs.tar.gz!logs/arkiv.zip!gammel.csv", "fnr", "national_id"},
		{"legacy/latin1.csv", "fødselsnummer", "national_id"},
		{"legacy/eksport-utf16.txt", "", "email"},
		{"legacy/eksport-utf16.txt", "", "national_id"},
		{"legacy/avtale.doc", "", "national_id"},
		{"legacy/avtale.doc", "", "email"},
		{"post/lonn.msg", "", "email"},
		{"post/lonn.msg!kontrakt.txt", "", "national_id"},
		{"legacy/brev.rtf", "", "national_id"},
		{"legacy/lonn.xls!Lønn", "Fødselsnummer", "national_id"},
		{"legacy/lonn.xls!Lønn", "E-post", "email"},
		{"post/velkommen.eml", "", "email"},
		{"post/velkommen.eml!kontrakt.txt", "", "national_id"},
	}
	for _, db := range []string{"data/app.db", "data/backup.zip!app.db", "data/backup.tgz!dump.bin"} {
		want = append(want,
			Want{db + "!customers", "epost", "email"},
			Want{db + "!customers", "fnr", "national_id"},
			Want{db + "!customers", "fnr_tall", "national_id"},
			Want{db + "!orders", "note", "email"},
		)
	}
	return want, vals, nil
}

// Bad writes the files a scan must report as failures, and returns their
// paths: a zip bomb (5 GiB of zeros in about 5 MB), a truncated zip and a
// corrupt PDF.
func Bad(dir string) ([]string, error) {
	good := Zip(Member{Name: "a.csv", Data: []byte("fnr\n" + testdb.Fnrs(1, 3)[0] + "\n")}, Member{Name: "b.txt", Data: []byte(strings.Repeat("tekst ", 2000))})
	files := map[string][]byte{
		"bad/bomb.zip":      ZipBomb("nuller.bin", 5<<30),
		"bad/truncated.zip": good[:len(good)/2],
		"bad/corrupt.pdf":   CorruptPDF(),
	}
	var paths []string
	for rel, data := range files {
		if err := write(dir, rel, data); err != nil {
			return nil, err
		}
		paths = append(paths, rel)
	}
	return paths, nil
}

func write(dir, rel string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}
