package sources

import (
	"strings"
	"testing"
)

func TestDataLike(t *testing.T) {
	for _, c := range []string{
		"kari.nordmann@example.no", " ola@firma.no ", "+47 912 34 567", "91234567", "01.02.2024", "2024-01-31",
		"2024-01-31 10:00:00", "10.0.0.1", "12345678901", "123", "12,50", "1", "50 %", "(22) 33 44 55",
		"NULL", "true", "FALSE", "e19f3298-1f13-9031-0dcb-40dd742cc49c", "3f9a1c0b", "DEADBEEF12",
		"1.2.3", "2.6.1", "1.5.0-alpha-0", "2.0.0+build.7", "10.20.30rc1",
	} {
		if !DataLike([]byte(c)) {
			t.Errorf("DataLike(%q) = false, want true (a value)", c)
		}
	}
	for _, c := range []string{
		"", "  ", "navn", "e-post", "E-post", "@timestamp", "@version", "user@", "fødselsnummer", "2024", " 1999 ",
		"Telefon (mobil)", "Q3 2024", "sum (NOK)", "column 1", "id", "address2", "sha256", "ipv4", "bad", "facade",
		"decade", "Kari Nordmann", "kontonr.", "tlf.", "utf-8", "beef-cafe", "2fa_enabled", "3d.model", "1.5x", "Null", "True",
	} {
		if DataLike([]byte(c)) {
			t.Errorf("DataLike(%q) = true, want false (a name)", c)
		}
	}
}

// TestFirstRow: what a table's first row is, from its cells and, when they
// do not tell, from the row below.
func TestFirstRow(t *testing.T) {
	rows := func(s string) [][]byte {
		var cs [][]byte
		for _, c := range strings.Split(s, ";") {
			cs = append(cs, []byte(c))
		}
		return cs
	}
	for _, tc := range []struct {
		first, second string
		want          bool // a header
	}{
		{"navn;epost;telefon", "Kari;kari@x.no;91234567", true},
		{"Field;Type;Null;Key", "id;int;NO;PRI", true},
		{"@timestamp;navn;2024", "2024-01-31;Kari;12", true},
		{"kari@x.no;Kari", "ola@x.no;Ola", false},                                  // an address: data
		{"+47 912 34 567;Kari", "", false},                                         // a phone number: data
		{"15038510190;Kari", "", false},                                            // a long number
		{"10.0.0.1;web", "", false},                                                // an IP address
		{"ID;Navn;Telefon;2023-01-01;2023-02-01", "1;Kari;91234567;1234;99", true}, // a column per month
		{"Navn;Uke 1;Uke 2", "Kari;12;7", true},
		{"2024-01-31;Kari Nordmann;Oslo", "2024-02-01;Ola Hansen;Bergen", false}, // dates in data
		{"Robbins;Arnold;12345-6789;USA", "Kernighan;Brian;07974;USA", false},
		{"2024-01-31;Kari", "", false},                    // one record of a date: data
		{"Navn;2023-01-01;2023-02-01", "Kari;12;3", true}, // a date above a number
		{"Navn;2023-01", "Kari;12,50", true},              // a month above an amount
		{"Kari;12,50", "Ola;3", false},                    // amounts in data
		{"01.02.2024;Kari", "02.02.2024;Ola", false},      // dates below dates
		{"Navn;1;2;3;4", "Kari;12;7;3;0", true},           // columns numbered 1, 2, 3, 4
		{"Navn;10;11;12;13", "Kari;1;1;1;1", true},
		{"Kari;1;5;3", "Ola;2;2;2", false}, // numbers in data
		{"Kari;1;2;3", "Ola;2;2;2", false},
	} {
		var second [][]byte
		if tc.second != "" {
			second = rows(tc.second)
		}
		got := false
		switch FirstRowOf(rows(tc.first)) {
		case FirstRowHeader:
			got = true
		case FirstRowUnsure:
			got = HeaderAbove(rows(tc.first), second)
		}
		if got != tc.want {
			t.Errorf("%q over %q: header %v, want %v", tc.first, tc.second, got, tc.want)
		}
	}
}
