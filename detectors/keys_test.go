package detectors

import "testing"

// TestEnglishKeys: column names and JSON keys in English are context as
// the Norwegian and Swedish ones are, also when a generic part ("id")
// argues against on its own.
func TestEnglishKeys(t *testing.T) {
	sets := map[Category][2]*WordSet{
		NationalID:  {NationalIDWords(), NationalIDAgainst()},
		Phone:       {PhoneWords(), PhoneAgainst()},
		Email:       {EmailWords(), nil},
		IPAddress:   {IPWords(), IPAgainst()},
		PaymentCard: {CardWords(), CardAgainst()},
	}
	for cat, keys := range map[Category][]string{
		NationalID: {"national_id", "nationalId", "ssn", "personal_number", "person_id", "birth_number", "nin",
			"personal_id", "national_identity_number", "social_security_number", "id_number", "citizen_id", "customer.national_id"},
		Phone:       {"phone_number", "mobile", "cell", "msisdn", "phone", "mobile_phone", "telephone", "tel", "contact_phone", "phoneNumber", "cell_phone"},
		Email:       {"e_mail", "email", "emailAddress", "user.email", "mail", "e-mail", "email_address", "contact_email"},
		IPAddress:   {"ip", "client_ip", "remote_addr", "ip_address", "ipAddress", "source_ip", "user_ip", "x_forwarded_for", "last_login_ip"},
		PaymentCard: {"card_number", "cardNumber", "pan", "credit_card", "cc_number", "kortnummer"},
	} {
		for _, key := range keys {
			if s := KeySignal(key, sets[cat][0], sets[cat][1]); s != Boost {
				t.Errorf("%s key %q: %v, want boost", cat, key, s)
			}
			// The same words before a value in free text.
			var in Input
			in.Reset([]byte(key+": 1"), "")
			if s := in.Context(len(key)+2, sets[cat][0], sets[cat][1]); s != Boost {
				t.Errorf("%s text %q: %v, want boost", cat, key, s)
			}
		}
	}
	nid := sets[NationalID]
	for _, key := range []string{"order_id", "id", "customer_id", "request_id", "user.id", "account_number"} {
		if s := KeySignal(key, nid[0], nid[1]); s != Against {
			t.Errorf("key %q: %v, want against", key, s)
		}
		var in Input
		in.Reset([]byte(key+": 1"), "")
		if s := in.Context(len(key)+2, nid[0], nid[1]); s != Against {
			t.Errorf("text %q: %v, want against", key, s)
		}
	}
}
