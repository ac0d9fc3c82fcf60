package sources

import "testing"

func TestCleanTarget(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:pw@db:5432/shop?sslmode=disable&password=x": "postgres://db:5432/shop",
		"mysql://root@127.0.0.1:3306/app#frag":                    "mysql://127.0.0.1:3306/app",
		"smb://CORP;revisor:pw@fs01//files/":                      "smb://fs01/files",
		"smb://host/files/hr//2024/":                              "smb://host/files/hr/2024",
		"logs/app.log":                                            "logs/app.log",
	} {
		if got := CleanTarget(in); got != want {
			t.Errorf("CleanTarget(%q) = %q, want %q", in, got, want)
		}
	}
	// A location of the target alone has no trailing slash.
	if got := (Location{Target: "postgres://db:5432/shop"}).String(); got != "postgres://db:5432/shop" {
		t.Errorf("target location %q", got)
	}
	if got := (Location{Target: "smb://h/s", Path: "a.txt"}).String(); got != "smb://h/s/a.txt" {
		t.Errorf("file location %q", got)
	}
}
