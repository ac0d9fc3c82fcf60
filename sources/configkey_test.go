package sources

import (
	"slices"
	"testing"
)

// configReader is a YAMLKeyReader of configuration files: a nil state is
// a configuration file's start (ConfigState).
type configReader struct{ YAMLKeyReader }

func (r *configReader) ResetState(line []byte, st *YAMLState) {
	if st == nil {
		c := ConfigState()
		st = &c
	}
	r.YAMLKeyReader.ResetState(line, st)
}

func TestConfigKeyAt(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"[client]\nuser = root\npassword = ⟨s3cret\n", "client.password"},
		{"[client]\nuser = ⟨root\n[mysqld]\nport = 3306\n", "client.user"},
		{"[client]\nuser = root\n[mysqld]\nport = ⟨3306\n", "mysqld.port"},
		{"spring.datasource.password=⟨hunter2\n", "spring.datasource.password"},
		{"export DB_PASSWORD=⟨x\n", "DB_PASSWORD"},
		{"key: ⟨value\n", "key"},
		{"[user]\n\tname = Kari Nordmann\n\temail = ⟨kari@firma.no\n", "user.email"},
		{"[remote \"origin\"]\n\turl = ⟨https://x.no/r.git\n", "remote.origin.url"},
		{"[[servers]]\nname = ⟨a\n", "servers[].name"},
		{"[tool.poetry]\nauthors = [\n  \"Kari <⟨kari@firma.no>\",\n]\n", "tool.poetry.authors"},
		{"[a]\nb = \"\"\"\nname = ⟨not a key\n\"\"\"\nc = 1\n", "a.b"},
		{"[a]\nb = \"\"\"\nx\n\"\"\"\nc = ⟨1\n", "a.c"},
		{"[a]\nb = 1\n# a comment with ⟨kari@firma.no\n", "a"},
		{"[a]\nb = 1\n\nc d e f: ⟨x\n", "a"}, // a sentence, not a key
		{"⟨top = 1\n", "top"},                // a line has its key's path, as in YAML
		{"[users]\nkari@example.no = ⟨1\n", "users.*"},
		{"[x] = 1\n⟨y\n", ""}, // not a section
		{"nameserver 2001:db8::⟨1\n", ""},
		{"A=1\n2026-03-01T10:00:00 by ⟨kari@firma.no\n", "A"}, // a time, not a key
		{"port1: ⟨8080\n", "port1"},
		{"First Name = ⟨Kari\n", "First Name"},
		{"[a\"]\nb = ⟨1\n", "a\".b"}, // a quote at the end alone (found by fuzzing)
	} {
		doc, pos := splitMarker(c.doc)
		if got := pathAt[YAMLState](&configReader{}, doc, pos); got != c.want {
			t.Errorf("%q: %q, want %q", c.doc, got, c.want)
		}
	}
}

func TestConfigState(t *testing.T) {
	docs := []string{
		"# my.cnf\n[client]\nuser = root\npassword = \"s3 cr3t\" ; comment\n\n[mysqld]\nport=3306\n",
		"[tool.poetry]\nname = \"x\"\ndescription = '''\nname = y\n'''\n[[tool.poetry.source]]\nurl = \"https://x\"\n",
	}
	for _, d := range docs {
		doc := []byte(d)
		everyCut(doc, 7, func(starts []int) {
			checkChunksCut[YAMLState](t, &configReader{}, &configReader{}, doc, starts, 0, true)
			checkChunksCut[YAMLState](t, &configReader{}, &configReader{}, doc, starts, 4, true)
		})
	}
}

func TestConfigEachValue(t *testing.T) {
	doc := []byte("[client]\nuser = root\npassword = \"s3 cr3t\" ; comment\nhost=db.local # primary\nempty =\n" +
		"desc = \"\"\"\nname = Kari\n\"\"\"\n[user]\n\tname = Kari Nordmann\nexport API_KEY='abc'\n")
	var r configReader
	r.ResetState(doc, nil)
	var got []string
	r.EachValue(0, len(doc), func(key []byte, s, e int) {
		got = append(got, string(key)+"="+string(doc[s:e])+"@"+r.CurrentPath())
	})
	want := []string{"user=root@client.user", "password=s3 cr3t@client.password", "host=db.local@client.host",
		"name=Kari Nordmann@user.name", "API_KEY=abc@user.API_KEY"}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
}

func FuzzConfigState(f *testing.F) {
	f.Add([]byte("[a]\nb = 1\nc: \"\"\"\nd = 2\n\"\"\"\n[[e]]\nexport F=g\n"), uint64(3), uint8(2))
	f.Add([]byte("[remote \"origin\"]\n\turl = x\n"), uint64(5), uint8(1))
	f.Fuzz(func(t *testing.T, doc []byte, seed uint64, overlap uint8) {
		if len(doc) > 512 {
			return
		}
		starts := fuzzCuts(doc, seed)
		checkChunksCut[YAMLState](t, &configReader{}, &configReader{}, doc, starts, int(overlap%8), true)
		var r configReader
		r.ResetState(doc, nil)
		r.EachValue(0, len(doc), func(key []byte, s, e int) {
			if s >= e || e > len(doc) || r.CurrentPath() == "" {
				t.Fatalf("%q: EachValue reported %q [%d, %d)", doc, key, s, e)
			}
		})
	})
}

// TestConfigSectionLeavesTextAlone: a quoted section name with spaces
// before its quote ([remote  "origin"]) is joined in a new slice; an
// append to the trimmed name wrote its '.' over the first space of the
// text the detectors then read.
func TestConfigSectionLeavesTextAlone(t *testing.T) {
	doc := []byte("[remote  \"origin\"]\nurl = x\n")
	orig := string(doc)
	var r configReader
	r.ResetState(doc, nil)
	if got := r.At(len(doc) - 2); got != "remote.origin.url" {
		t.Errorf("path %q, want remote.origin.url", got)
	}
	if string(doc) != orig {
		t.Errorf("text changed to %q", doc)
	}
}
