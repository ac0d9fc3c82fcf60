package detectors

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers/v2"
	"github.com/nyaruka/phonenumbers/v2/metadata"
)

func TestPhoneExamples(t *testing.T) {
	genericCheckExamples(t, NewPhone(), 20, 20)
}

func TestPhoneConfidence(t *testing.T) {
	genericCheckCases(t, NewPhone(), []genericCase{
		{text: "91234567", want: "+4791234567", conf: Low},
		{text: "tlf 91234567", want: "+4791234567", conf: Medium},
		{text: "91234567", key: "mobilnummer", want: "+4791234567", conf: Medium},
		{text: "91234567", key: "order_id", want: ""},
		{text: "ordre 91234567", want: ""},
		{text: "912 34 567", key: "melding", want: "+4791234567", conf: Medium},
		{text: "telefon: 912 34 567", want: "+4791234567", conf: High},
		{text: "kundenr 912 34 567", want: "+4791234567", conf: Low},
		{text: "+47 912 34 567", key: "melding", want: "+4791234567", conf: Medium},
		{text: "tel:+4791234567", want: "+4791234567", conf: High},
		{text: "puhelin +358 40 123 4567", want: "+358401234567", conf: High},
		// A column of phone numbers stored without '+' (MSISDNs, numeric
		// cells) or a Swedish mobile without its trunk 0: only as a whole
		// value, only in a phone column.
		{text: "46701234567", key: "telefon", want: "+46701234567", conf: High},
		{text: "4521345678", key: "phone", want: "+4521345678", conf: High},
		{text: "358401234567", key: "msisdn", want: "+358401234567", conf: High},
		{text: "701234567", key: "mobil", want: "+46701234567", conf: Medium},
		{text: "46701234567", key: "ordrenr", want: ""},
		{text: "46701234567", key: "", want: ""},
		{text: "tlf 46701234567", want: ""},
		{text: "46701234567-2", key: "telefon", want: ""},
		{text: "id 46701234567", key: "telefon", want: ""},
		{text: "  46701234567 \r\n", key: "telefon", want: "+46701234567", conf: High},
		{text: "+358 40 123 4567", key: "puhelinnumero", want: "+358401234567", conf: High},
		{text: "4791234567", want: ""},
		{text: "msisdn=4791234567", want: "+4791234567", conf: Medium},
		{text: "0701234567", want: "+46701234567", conf: Low},
		{text: "070-123 45 67", key: "melding", want: "+46701234567", conf: Medium},
		{text: "070-1234567", key: "melding", want: "+46701234567", conf: Medium},
		{text: "08-123 456 79", key: "melding", want: "+46812345679", conf: Medium},
		// Placeholders and examples (Google API descriptions in the module cache):
		{text: "Fax number with international code (i.e. +441234567890).", want: "+441234567890", conf: Low, labels: []string{LabelTestData}},
		{text: "URI should include the entire dial sequence (e.g., tel:+12345678900,,,123456789;1234)", want: "+12345678900", conf: Low, labels: []string{LabelTestData}},
		{text: "08-123 456 78", key: "telefon", want: "+46812345678", conf: Low, labels: []string{LabelTestData}},
		{text: "mobil: 99999999", want: "+4799999999", conf: Low, labels: []string{LabelTestData}},
		{text: "0980-123 45", key: "melding", want: "+4698012345", conf: Medium},
		{text: "0046 70 123 45 67", want: "+46701234567", conf: Low}, // 00 without + is also how hex begins
		{text: "tlf 0046 70 123 45 67", want: "+46701234567", conf: Medium},
		{text: "+46701234567", key: "melding", want: "+46701234567", conf: Medium},
		{text: "+47 (0)912 34 567", key: "melding", want: "+4791234567", conf: Medium},
		{text: "+4722123456", key: "melding", want: "+4722123456", conf: Medium},
		{text: "+47 42 12 34 56", want: ""}, // 42 is not an allocated mobile series
		{text: "+47 800 12 345", want: ""},  // freephone: not personal
		{text: "070 - 123 45 67", key: "melding", want: "+46701234567", conf: Medium},
		{text: "912\u00a034\u00a0567", key: "melding", want: "+4791234567", conf: Medium},
		{text: "«912 34 567»", key: "melding", want: "+4791234567", conf: Medium},
		{text: "912 34 567:8080", want: ""},
		{text: "12:912 34 567", want: ""},
		{text: "2001:db8::912:3456", want: ""},
		{text: "1.912.34.567", want: ""},
		{text: "912 34 567 1234", want: "+4791234567", conf: Low}, // inside a longer chain of groups
		{text: "sms 912 34 567 1234", want: "+4791234567", conf: Medium},
		// Real-world false positives (Debian /usr/share/doc, the Go module cache):
		{text: "* CVE-2104-7817 The wordexp function", want: ""},
		{text: "+ 02-687531-fix-missing-ldflags.patch: Ditto.", want: ""},
		{text: "* tests/strace-Y-0123456789.c: Likewise.", want: ""},
		{text: "#commitcomment-69643079", want: ""},
		{text: `of TXT RRs with a string like "example.com. 2345 1234" with`, want: "+4723451234", conf: Low},
		{text: "    7408-2005", want: "+4774082005", conf: Low},
		{text: "00000020  35 35 31 39 2d 73 68 61  32 35 36 2c 63 75 72 76  |5519-sha256,curv|", want: "+4763757276", conf: Low},
		{text: "// Prints: [ <Buffer 30 31 32 33>, <Buffer 31 32 33 34> ]", want: "+4731323334", conf: Low},
		{text: ".32 LW 76 642 72 642 DL", want: "+4764272642", conf: Low},
		{text: "0 0 468 155.417 re", want: ""},
		{text: "     041 117 132", want: "+4641117132", conf: Low},
		{text: "// # 00CC; 0069 0307 0300; 00CC;", want: "+6903070300", conf: Low},
		{text: "{{0 0 80 11} {40 12 40 12}}", want: "+4740124012", conf: Low},
		{text: "91 23 45 67 89", want: ""}, // 2-2-2-2 only as a whole chain
		{text: "Kari (91234567)", want: "+4791234567", conf: Low},
		{text: "Kari (+47 912 34 567)", key: "melding", want: "+4791234567", conf: Medium},
		{text: "(912 34 567", key: "melding", want: "+4791234567", conf: Medium},
		{text: "7,91234567,x", want: "+4791234567", conf: Low},
		{text: "7.91234567", want: ""},
		// Outside a record (no time of day, no column or key) and without a
		// phone word: a number mentioned in prose, documentation or code.
		{text: "912 34 567", want: "+4791234567", conf: Low},
		{text: "Kari (+47 912 34 567)", want: "+4791234567", conf: Low},
		{text: `// Switzerland office will be written as "+41 44 668 1800" in`, want: "+41446681800", conf: Low},
		{text: `    "phone": "+1 (915) 479-2908"`, want: "+19154792908", conf: High}, // a key, but see the test-path rule in the scanner
		{text: "Ring meg på 912 34 567", want: "+4791234567", conf: High},
	})
}

func TestPhoneSeveralInOrder(t *testing.T) {
	text := "tlf 912 34 567 / 22 12 34 56, +46 70 123 45 67; 0047 41234567 og 99999999\n+44 20 7946 0018"
	ms := genericFind(NewPhone(), text, "")
	genericCheckMatches(t, NewPhone(), []byte(text), ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Value)
	}
	want := "+4791234567 +4722123456 +46701234567 +4741234567 +4799999999 +442079460018"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v\nwant %s", got, want)
	}
}

// The native Norwegian series must agree with libphonenumber's NO metadata
// for every two-digit prefix.
func TestPhoneNOSeriesAgreeWithLibphonenumber(t *testing.T) {
	for p := 10; p <= 99; p++ {
		nsn := []byte{byte('0' + p/10), byte('0' + p%10), '1', '2', '3', '4', '5', '6'}
		num, err := phonenumbers.Parse("+47"+string(nsn), "")
		if err != nil {
			t.Fatal(err)
		}
		typ := phonenumbers.GetNumberType(num)
		lib := phonenumbers.IsValidNumber(num) && (typ == phonenumbers.MOBILE || typ == phonenumbers.FIXED_LINE || typ == phonenumbers.FIXED_LINE_OR_MOBILE)
		if got := phoneNOValid(nsn); got != lib {
			t.Errorf("prefix %d: native %v, libphonenumber %v (type %v)", p, got, lib, typ)
		}
	}
}

// Swedish mobiles validated natively must be valid mobiles for libphonenumber too.
func TestPhoneSEMobilesAgreeWithLibphonenumber(t *testing.T) {
	for _, p := range []string{"70", "71", "72", "73", "74", "75", "76", "77", "78", "79"} {
		e := []byte("46" + p + "1234567")
		num, err := phonenumbers.Parse("+"+string(e), "")
		if err != nil {
			t.Fatal(err)
		}
		lib := phonenumbers.IsValidNumber(num) && phonenumbers.GetNumberType(num) != phonenumbers.SHARED_COST
		budget := phoneLibCalls
		if got := phoneSEValid(e, &budget, nil); got != lib {
			t.Errorf("07%s: native %v, libphonenumber %v", p[1:], got, lib)
		}
	}
}

// Crafted chains must not multiply libphonenumber calls.
func TestPhoneLibBudget(t *testing.T) {
	budget := 1
	if !phoneValidE164([]byte("442079460018"), &budget, nil, nil) || budget != 0 {
		t.Fatalf("valid UK number: budget %d", budget)
	}
	if phoneValidE164([]byte("442079460018"), &budget, nil, nil) {
		t.Fatal("validated with an exhausted budget")
	}
	// An Italian number keeps its leading zero (ItalianLeadingZero).
	budget = 1
	if !phoneValidE164([]byte("390612345678"), &budget, nil, nil) {
		t.Error("+39 06 1234 5678 rejected")
	}
}

func TestPhoneZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewPhone(), "2024-01-31T12:30:45+01:00 31.01.2024 10.0.0.1 1.2.3.4 fnr 010190 12345 "+
		"1234.56.78903 12 345 678 x91234567 +0100 12345678901234 42123456 1+91234567 v1.2.3 "+
		"550e8400-e29b-41d4-a716-446655440000 [31/Jan/2024:12:30:45 +0100] 200 5123")
}

func FuzzPhone(f *testing.F) {
	genericFuzz(f, NewPhone(), func(v string) bool {
		num, err := phonenumbers.Parse(v, "")
		return err == nil && phonenumbers.IsValidNumber(num) && phonenumbers.Format(num, phonenumbers.E164) == v
	}, "+47 (0) 912 34 567", "(+46) (0)70-123 45 67", "((+47) 912", "+47 912 34 567 91 23 45 67 9123 4567",
		"00 47 912 34 567", "0046 (0) 8 123 45 67", "+1 (650) 253-0000 x", "(070)(123) 45 67")
}

func BenchmarkPhone(b *testing.B) { genericBench(b, NewPhone()) }

// phoneRefFind is Find as one chain at a time, without the segment scan,
// the shape pre-check and the lazy boundaries: every chain is built by
// phoneBuildChain and every window with enough digits between boundaries
// goes to window. Find must report exactly what it reports.
func phoneRefFind(d *phoneDetector, in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	var ch phoneChain
	// In a column of phone numbers or a JSON document, a lone group no
	// window takes is read as a whole value (columnNumber).
	column := in.KeyAt != nil || in.KeyContext(d.boost, d.against) == Boost
	emitted := 0
	count := func(m Match) { emitted++; emit(m) }
	for i := 0; i < len(runs); {
		nd := phoneBuildChain(b, runs, i, &ch)
		before := emitted
		if nd >= phoneMinE164 {
			groups := runs[ch.first : ch.first+ch.n]
			startOK := phoneBefore(b, ch.start)
			endOK := !ch.cut && phoneAfter(b, groups[ch.n-1].End)
			for a := 0; a < ch.n; {
				next := a + 1
				if (a == 0 && startOK) || (a > 0 && ch.gaps[a-1] == phoneGapSpace) {
					for z := ch.n - 1; z >= a; z-- {
						n := 0
						for _, r := range groups[a : z+1] {
							n += r.End - r.Start
						}
						if n < phoneMinE164 {
							break
						}
						if n > phoneMaxE164+2 || (z < ch.n-1 && ch.gaps[z] != phoneGapSpace) || (z == ch.n-1 && !endOK) {
							continue
						}
						if d.window(in, groups, &ch, a, z, n, count) {
							next = z + 1
							break
						}
					}
				}
				a = next
			}
		}
		if column && ch.n == 1 && emitted == before {
			d.columnNumber(in, runs[i], count)
		}
		i += ch.n
	}
}

// phoneRandText builds text from the pieces phone numbers and their
// look-alikes are made of.
func phoneRandText(r *rand.Rand) []byte {
	pieces := []string{" ", " ", "-", ".", "(", ")", " - ", ") ", ")-", " (", "\u00a0", "+", "+47 ", "+46 ", "00", "0",
		":", "/", "x", "tlf ", "ordre ", "\n", ",", "#", "@", "_", "«", "T", "2026-03-20T03:54:10.644+01:00 ", "é"}
	var sb strings.Builder
	for range 1 + r.IntN(20) {
		if r.IntN(2) == 0 {
			n := 1 + r.IntN(11)
			for j := range n {
				c := byte('0' + r.IntN(10))
				if j == 0 && r.IntN(2) == 0 {
					c = "9470"[r.IntN(4)]
				}
				sb.WriteByte(c)
			}
		} else {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return []byte(sb.String())
}

// phoneCheckAgainstRef fails when Find and phoneRefFind differ on text.
func phoneCheckAgainstRef(t *testing.T, d *phoneDetector, text []byte, key string) {
	t.Helper()
	checkAgainstRef(t, d.Find, func(in *Input, emit func(Match)) { phoneRefFind(d, in, emit) }, text, key)
}

// Find's segment scan and shape checks are shortcuts only: on random
// phone-like text and on every example, it reports what the plain chain
// by chain walk reports.
// TestPhoneJSONKeyNumbers: in a JSON document, a whole value under a
// phone key stored without its '+' is read, as in a column; under
// another key, or inside a longer string, it is not.
func TestPhoneJSONKeyNumbers(t *testing.T) {
	d := NewPhone()
	for _, tc := range []struct{ key, text, want string }{
		{"msisdn", `{"msisdn":"46701234567"}`, "+46701234567"},
		{"user.phone", `{"user":{"phone": 4521345678}}`, "+4521345678"},
		{"msisdn", `{"msisdn":"Tel 46701234567"}`, ""},
		{"order.id", `{"id":"46701234567"}`, ""},
		{"order.id", `{"id":46701234567}`, ""},
	} {
		if got := keyAtValues(d, tc.text, tc.key); got != tc.want {
			t.Errorf("%s under %s: got %q, want %q", tc.text, tc.key, got, tc.want)
		}
	}
}

func TestPhoneFindAgreesWithChainWalk(t *testing.T) {
	d := NewPhone().(*phoneDetector)
	r := rand.New(rand.NewPCG(3, 5))
	found := 0
	for range 20000 {
		text := phoneRandText(r)
		phoneCheckAgainstRef(t, d, text, []string{"", "mobil", "ordre_id"}[r.IntN(3)])
		found += len(genericFind(d, string(text), ""))
	}
	if found < 500 {
		t.Fatalf("only %d numbers found in the random texts: the comparison proves little", found)
	}
	for _, ex := range append(d.Positives(), d.Negatives()...) {
		phoneCheckAgainstRef(t, d, []byte(ex.Text), "")
	}
	// Edges of the scan: a 7-digit number (Niue), a segment of more
	// groups than a chain holds, and one of more digits.
	for _, text := range phoneEdgeTexts {
		phoneCheckAgainstRef(t, d, []byte(text), "")
	}
	if ms := genericFind(d, "ring +683 4002 kl 12", ""); len(ms) != 1 || ms[0].Value != "+6834002" {
		t.Errorf("ring +683 4002 kl 12: got %+v, want +6834002", ms)
	}
	phoneCheckAgainstRef(t, d, genericBenchLog(1<<18), "")
}

var phoneEdgeTexts = []string{
	"+683 4002", "ring +683 4002 kl 12", "tel +6834002. 1", "1 2 3 4 5 6 912 34 567", "1 2 3 4 5 6 7 912 34 567", "12 34 56 78 91 23 45 67 89",
	"1234 5678 9012 3456 912 34 567", "(1 2) 3 4 5 6 7 8 912 34 567", "9 1 2 3 4 5 6 7\u00a08",
}

// phoneShape only rejects windows that window rejects too.
func TestPhoneShapeNeverRejectsAValidWindow(t *testing.T) {
	d := NewPhone().(*phoneDetector)
	r := rand.New(rand.NewPCG(8, 13))
	valid := 0
	for range 20000 {
		var in Input
		in.Reset(phoneRandText(r), "")
		b, runs := in.Buf, in.Runs()
		var ch phoneChain
		for i := 0; i < len(runs); i += ch.n {
			phoneBuildChain(b, runs, i, &ch)
			groups := runs[ch.first : ch.first+ch.n]
			for a := range ch.n {
				nd := 0
				for z := a; z < ch.n; z++ {
					nd += groups[z].End - groups[z].Start
					if nd < phoneMinE164 || nd > phoneMaxE164+2 {
						continue
					}
					shape := phoneShape(b, groups, &ch, a, z, nd)
					ch.budget = phoneLibCalls
					if d.window(&in, groups, &ch, a, z, nd, func(Match) {}) {
						valid++
						if !shape {
							t.Fatalf("%q: window %d..%d is valid, phoneShape rejects it", b, a, z)
						}
					}
				}
			}
		}
	}
	if valid < 500 {
		t.Fatalf("only %d valid windows: the comparison proves little", valid)
	}
}

// A reported Norwegian number or Swedish mobile (validated without
// libphonenumber) costs no allocation: its value is made in the Input's
// block of values (valueString).
func TestPhoneNoAllocPerMatch(t *testing.T) {
	text := "tlf 912 34 567, 22 12 34 56 og 0701234567\nmobil: +47 41234567 / 070-123 45 67 (+46) 73 123 45 67"
	var in Input
	in.Reset([]byte(text), "")
	n := 0
	d := NewPhone()
	d.Find(&in, func(Match) { n++ })
	if n != 6 {
		t.Fatalf("%d matches, want 6", n)
	}
	allocs := testing.AllocsPerRun(50, func() {
		in.Reset(in.Buf, "")
		d.Find(&in, func(Match) {})
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations for %d matches, want none", allocs, n)
	}
}

func FuzzPhoneFindAgreesWithChainWalk(f *testing.F) {
	d := NewPhone().(*phoneDetector)
	for _, ex := range append(d.Positives(), d.Negatives()...) {
		f.Add([]byte(ex.Text))
	}
	f.Add([]byte("(+47) 912 34 567 (0)70-123 45 67 (070)(123) 45 67 1 2 3 4 5 6 7 8 9 0 1 2"))
	f.Add([]byte("12345678901234567890 1 (2) 3-4.5 6\u00a07 - 8 ) 9 (10"))
	for _, text := range phoneEdgeTexts {
		f.Add([]byte(text))
	}
	f.Add([]byte("46701234567\n\x00701234567\n\x00 4521345678 \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		phoneCheckAgainstRef(t, d, data, "")
		phoneCheckAgainstRef(t, d, data, "telefon") // a column of phone numbers
	})
}

// TestPhoneLensAgreeWithLibrary checks that the length table refuses only
// what libphonenumber refuses: for national numbers of every length under
// every country code, any number the table rules out is one that
// phoneLibValid without the table finds invalid too. It also checks that
// the table rules out the zero-padded references it is for.
func TestPhoneLensAgreeWithLibrary(t *testing.T) {
	lens := newPhoneLens()
	r := rand.New(rand.NewPCG(7, 8))
	ruled, checked := 0, 0
	for cc := range 1000 {
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) == 0 {
			continue
		}
		for n := 1; n <= 14; n++ {
			if lens.may(cc, n) {
				continue
			}
			ruled++
			for range 8 {
				nsn := make([]byte, n)
				for i := range nsn {
					nsn[i] = byte('0' + r.IntN(10))
				}
				nsn[0] = byte('1' + r.IntN(9))
				budget := 1
				checked++
				if phoneLibValid(cc, nsn, &budget, nil, nil) {
					t.Fatalf("+%d %s: valid for libphonenumber, ruled out by the length table", cc, nsn)
				}
			}
		}
	}
	if ruled < 1000 {
		t.Fatalf("only %d (code, length) pairs ruled out", ruled)
	}
	// Valid numbers of each kind the tests know pass the table.
	for _, e := range []string{"442079460018", "390612345678", "12025550123", "4915123456789", "35845678901"} {
		budget := 1
		if !phoneValidE164([]byte(e), &budget, lens, nil) {
			t.Errorf("+%s: refused with the length table", e)
		}
	}
	// 00 and a NANP number of 8 digits, 00 and a Swiss one of 7: ruled
	// out by their lengths.
	if lens.may(1, 8) || lens.may(41, 7) {
		t.Error("+1 and 8 digits, or +41 and 7 digits, not ruled out")
	}
	t.Logf("%d pairs ruled out, %d numbers checked", ruled, checked)
}

// TestPhoneTypesAgreeWithLibrary compares phoneTypes with libphonenumber's
// GetNumberType on national numbers of every length from 1 to 14 digits
// under every country calling code: random ones, ones with leading zeros,
// and each region's example numbers of every type (which the random ones
// rarely hit), so that codes shared by several regions (+1, +7, +44, +47)
// are told apart as the library tells them.
func TestPhoneTypesAgreeWithLibrary(t *testing.T) {
	var types phoneTypes
	r := rand.New(rand.NewPCG(8, 13))
	check := func(cc int, nsn []byte) {
		t.Helper()
		v, zeros := phoneNSNValue(nsn)
		if int(zeros) == len(nsn) {
			return
		}
		if got, want := types.numberType(cc, nsn), phoneLibType(cc, v, zeros); got != want {
			t.Fatalf("+%d %s: %v, GetNumberType says %v", cc, nsn, got, want)
		}
	}
	checked, typed := 0, map[phonenumbers.PhoneNumberType]bool{}
	for cc, regions := range metadata.CountryCodeToRegion() {
		for n := 1; n <= 14; n++ {
			for k := range 20 {
				nsn := make([]byte, n)
				for i := range nsn {
					nsn[i] = byte('0' + r.IntN(10))
				}
				if k < 14 && nsn[0] == '0' {
					nsn[0] = byte('1' + r.IntN(9))
				}
				check(cc, nsn)
				checked++
			}
		}
		for _, region := range regions {
			md, _ := metadata.RegionMetadata(region)
			if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
				md, _ = metadata.NonGeoMetadata(cc)
			}
			for _, d := range []*metadata.PhoneNumberDesc{md.GetFixedLine(), md.GetMobile(), md.GetTollFree(), md.GetPremiumRate(),
				md.GetSharedCost(), md.GetPersonalNumber(), md.GetVoip(), md.GetPager(), md.GetUan(), md.GetVoicemail()} {
				if ex := d.GetExampleNumber(); ex != "" {
					check(cc, []byte(ex))
					typed[types.numberType(cc, []byte(ex))] = true
					checked++
				}
			}
		}
	}
	if checked < 60000 || len(typed) < 8 {
		t.Fatalf("%d numbers of %d types checked: the comparison proves little", checked, len(typed))
	}
}

// FuzzPhoneJSONKey: under a JSON phone key (Input.KeyAt), every match
// keeps the invariants, and its digits are written in its span.
func FuzzPhoneJSONKey(f *testing.F) {
	for _, s := range []string{`{"msisdn":"46701234567"}`, `{"phone": 4521345678}`, `{"a":"+47 912 34 567","b":701234567}`, `{"x":"0046701234567"}`} {
		f.Add([]byte(s))
	}
	d := NewPhone()
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		in.Reset(data, "")
		in.KeyAt = func(int) string { return "user.msisdn" }
		var ms []Match
		d.Find(&in, func(m Match) { ms = append(ms, m) })
		genericCheckMatches(t, d, data, ms)
		for _, m := range ms {
			w := digitsOf(data[m.Start:m.End])
			if !strings.HasSuffix(m.Value, w[max(0, len(w)-6):]) {
				t.Fatalf("value %q not written in %q", m.Value, data[m.Start:m.End])
			}
		}
	})
}
