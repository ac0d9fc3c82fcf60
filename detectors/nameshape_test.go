package detectors

import "testing"

func TestNameShaped(t *testing.T) {
	for _, v := range []string{
		"Kari Nordmann", "Ola", "KARI NORDMANN", "Anne-Lise Ødegård", "Nordmann, Kari", "Jan van der Berg",
		"O'Brien", "As Nordmann", "Leonardo da Vinci", "J. R. R. Tolkien", "J.R. Smith", "Martin Luther King Jr.", "Åsa Öberg", "José María Aznar", "Zoë d’Arc-Smith", "Søren Kierkegaard",
	} {
		if !NameShaped([]byte(v)) {
			t.Errorf("NameShaped(%q) = false, want true", v)
		}
	}
	for _, v := range []string{
		"", "requests", "left-pad", "ariga.io/atlas", "0.0.1", "AbrarJahin.DiffMatchPatch2", "kari nordmann",
		"Kari  Nordmann", " Kari", "Kari ", "Blue T-shirt 42", "A B C D E F", "kari@example.com", "Kari_Nordmann",
		"Fjordbakst AS", "Acme Ltd", "Volvo AB", "Nokia Oyj", "Siemens AG Berlin", "KARI NORDMANN AS",
		"van der", "Kari-", "Microsoft.Extensions.Logging", "AbrarJahin.DiffMatchPatch", "-Kari", "Kari--Lise", "Oslo, Norway, Europe,", "@types/node", "x",
	} {
		if NameShaped([]byte(v)) {
			t.Errorf("NameShaped(%q) = true, want false", v)
		}
	}
}

func FuzzNameShaped(f *testing.F) {
	for _, s := range []string{"Kari Nordmann", "Nordmann, Kari", "ariga.io/atlas", "J. R. R. Tolkien", "J.R. Smith", "Martin Luther King Jr.", "van der Berg", "Zoë d’Arc"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		got := NameShaped(v)
		if got && (len(v) > nameShapeMax || len(v) == 0) {
			t.Fatalf("NameShaped(%q) = true for a value of %d bytes", v, len(v))
		}
		if got && (v[0] == ' ' || v[len(v)-1] == ' ') {
			t.Fatalf("NameShaped(%q) = true with a space at an end", v)
		}
	})
}

func TestNamesThings(t *testing.T) {
	for name, want := range map[string]bool{
		"public.products": true, "exports/kategorier.csv": true, "shop.product_categories": true, "produkter.csv": true,
		"crm.companies": true, "x.zip!teams.csv": true, "public.ProductVariants": true,
		"public.customers": false, "kunder.csv": false, "hr.employees": false, "users": false, "exports/ansatte.csv": false,
		"public.email_recipients": false, "logs/app.log": false,
	} {
		if got := NamesThings(name); got != want {
			t.Errorf("NamesThings(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNameShapedAllocates(t *testing.T) {
	v := []byte("Anne-Lise van der Ødegård")
	if n := testing.AllocsPerRun(100, func() { NameShaped(v) }); n != 0 {
		t.Errorf("NameShaped allocates %v times per value", n)
	}
}
