package docfixtures

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/internal/testdb"
)

// Mixed writes a folder of realistic size for benchmarks: spreadsheets,
// Word, PowerPoint and OpenDocument files, PDFs, zips of CSV exports (one
// nested), a tar.gz of logs and a SQLite database, about scale MiB in all
// (scale ≥ 1), with personal data here and there. It returns the total
// size of the files written.
func Mixed(dir string, scale int) (int64, error) {
	scale = max(scale, 1)
	rng := rand.New(rand.NewPCG(uint64(scale), 42))
	fnr := testdb.Fnrs(200, 1)
	email := func(i int) string { return fmt.Sprintf("kunde%d@fjordpost.no", i) }
	files := map[string][]byte{}

	var rows [][]Cell
	rows = append(rows, []Cell{S("Kundenr"), S("Navn"), S("Fødselsnummer"), S("E-post"), S("Beløp"), S("Merknad")})
	for i := 0; i < 4000*scale; i++ {
		rows = append(rows, []Cell{N(fmt.Sprint(100000 + i)), S(fmt.Sprintf("Kunde %d", i)), S(fnr[i%len(fnr)]),
			S(email(i)), N(fmt.Sprintf("%d.%02d", rng.IntN(100000), rng.IntN(100))), S(fmt.Sprintf("ordre %d levert", rng.IntN(1e6)))})
	}
	files["hr/kunder.xlsx"] = XLSX(Sheet{Name: "Kunder", Rows: rows})
	files["hr/kunder.ods"] = ODS(Sheet{Name: "Kunder", Rows: rows[:len(rows)/2]})

	var paras []string
	for i := 0; i < 3000*scale; i++ {
		p := fmt.Sprintf("Avsnitt %d: saken gjelder ordre %d og ble behandlet %d. mars.", i, rng.IntN(1e7), 1+rng.IntN(28))
		if i%50 == 0 {
			p += " Kontakt " + email(i) + ", fødselsnummer |" + fnr[i%len(fnr)][:6] + "|" + fnr[i%len(fnr)][6:] + "."
		}
		paras = append(paras, p)
	}
	files["saker/rapport.docx"] = DOCX(paras, [][]string{{"Navn", "E-post"}, {"Kari", email(1)}}, "Intern", "Saksbehandler")
	files["saker/referat.odt"] = ODT(paras[:len(paras)/2]...)
	var slides []string
	for i := 0; i < 100*scale; i++ {
		slides = append(slides, strings.Join(paras[i*5%len(paras):i*5%len(paras)+5], "\n"))
	}
	files["salg/deck.pptx"] = PPTX(slides...)
	var pages []string
	for i := 0; i < 60*scale; i++ {
		pages = append(pages, strings.Join(paras[i*20%len(paras):i*20%len(paras)+20], "\n"))
	}
	files["saker/rapport.pdf"] = PDF(pages...)

	var csvs []Member
	for k := 0; k < 4; k++ {
		var b strings.Builder
		b.WriteString("kundenr;navn;fødselsnummer;e-post;telefon\n")
		for i := 0; b.Len() < 256<<10*scale; i++ {
			fmt.Fprintf(&b, "%d;Kunde %d;%s;%s;9%07d\n", i, i, fnr[(i+k)%len(fnr)], email(i), rng.IntN(1e7))
		}
		csvs = append(csvs, Member{Name: fmt.Sprintf("eksport/%d.csv", 2020+k), Data: []byte(b.String())})
	}
	files["eksport/alle.zip"] = Zip(append(csvs[:2:2], Member{Name: "eldre.zip", Data: Zip(csvs[2:]...)})...)

	var logs []Member
	for k := 0; k < 3; k++ {
		var b bytes.Buffer
		if _, _, err := corpus.Write(&b, int64(512<<10*scale), corpus.Options{Seed: uint64(k + 1), PIIEvery: 500}); err != nil {
			return 0, err
		}
		logs = append(logs, Member{Name: fmt.Sprintf("var/log/app.log.%d", k), Data: b.Bytes()})
	}
	files["logs/app-logs.tar.gz"] = TarGz(logs...)

	var total int64
	for rel, data := range files {
		if err := write(dir, rel, data); err != nil {
			return 0, err
		}
		total += int64(len(data))
	}
	dbPath := filepath.Join(dir, "data", "app.db")
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return 0, err
	}
	stmts := []string{`CREATE TABLE kunder (id INTEGER PRIMARY KEY, navn TEXT, epost TEXT, fnr TEXT, notat TEXT)`, "BEGIN"}
	for i := 0; i < 5000*scale; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO kunder (navn, epost, fnr, notat) VALUES ('Kunde %d', '%s', '%s', 'ordre %d')`, i, email(i), fnr[i%len(fnr)], rng.IntN(1e7)))
	}
	stmts = append(stmts, "COMMIT")
	if err := SQLite(dbPath, stmts...); err != nil {
		return 0, err
	}
	fi, err := os.Stat(dbPath)
	if err != nil {
		return 0, err
	}
	return total + fi.Size(), nil
}
