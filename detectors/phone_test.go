package detectors

import (
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers/v2"
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
		{text: "912 34 567", want: "+4791234567", conf: Medium},
		{text: "telefon: 912 34 567", want: "+4791234567", conf: High},
		{text: "kundenr 912 34 567", want: "+4791234567", conf: Low},
		{text: "+47 912 34 567", want: "+4791234567", conf: Medium},
		{text: "tel:+4791234567", want: "+4791234567", conf: High},
		{text: "4791234567", want: ""},
		{text: "msisdn=4791234567", want: "+4791234567", conf: Medium},
		{text: "0701234567", want: "+46701234567", conf: Low},
		{text: "070-123 45 67", want: "+46701234567", conf: Medium},
		{text: "070-1234567", want: "+46701234567", conf: Medium},
		{text: "08-123 456 78", want: "+46812345678", conf: Medium},
		{text: "0980-123 45", want: "+4698012345", conf: Medium},
		{text: "0046 70 123 45 67", want: "+46701234567", conf: Medium},
		{text: "+46701234567", want: "+46701234567", conf: Medium},
		{text: "+47 (0)912 34 567", want: "+4791234567", conf: Medium},
		{text: "+4722123456", want: "+4722123456", conf: Medium},
		{text: "+47 42 12 34 56", want: ""}, // 42 is not an allocated mobile series
		{text: "+47 800 12 345", want: ""},  // freephone: not personal
		{text: "070 - 123 45 67", want: "+46701234567", conf: Medium},
		{text: "912\u00a034\u00a0567", want: "+4791234567", conf: Medium},
		{text: "«912 34 567»", want: "+4791234567", conf: Medium},
		{text: "912 34 567:8080", want: ""},
		{text: "12:912 34 567", want: ""},
		{text: "2001:db8::912:3456", want: ""},
		{text: "1.912.34.567", want: ""},
		{text: "912 34 567 1234", want: "+4791234567", conf: Medium},
		{text: "91 23 45 67 89", want: ""}, // 2-2-2-2 only as a whole chain
		{text: "Kari (91234567)", want: "+4791234567", conf: Low},
		{text: "Kari (+47 912 34 567)", want: "+4791234567", conf: Medium},
		{text: "(912 34 567", want: "+4791234567", conf: Medium},
		{text: "7,91234567,x", want: "+4791234567", conf: Low},
		{text: "7.91234567", want: ""},
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
		if got := phoneSEValid(e, &budget); got != lib {
			t.Errorf("07%s: native %v, libphonenumber %v", p[1:], got, lib)
		}
	}
}

// Crafted chains must not multiply libphonenumber calls.
func TestPhoneLibBudget(t *testing.T) {
	budget := 1
	if !phoneValidE164([]byte("442079460018"), &budget) || budget != 0 {
		t.Fatalf("valid UK number: budget %d", budget)
	}
	if phoneValidE164([]byte("442079460018"), &budget) {
		t.Fatal("validated with an exhausted budget")
	}
	// An Italian number keeps its leading zero (ItalianLeadingZero).
	budget = 1
	if !phoneValidE164([]byte("390612345678"), &budget) {
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
