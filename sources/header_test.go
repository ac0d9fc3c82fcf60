package sources

import "testing"

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
