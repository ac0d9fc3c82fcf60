// Package detectors finds and validates personal identifiers in bytes.
//
// Every detector is data plus code: an id, a category, a description, a
// validator, context words, and true- and false-positive examples that the
// tests assert. Detectors never allocate per input byte: the shared Input
// finds digit runs once, and each detector validates only the candidates it
// is handed.
package detectors

import "strings"

// Category is the level at which a privacy policy speaks (national_id, email, …).
type Category string

// The stable category ids.
const (
	NationalID  Category = "national_id"
	Email       Category = "email"
	Phone       Category = "phone"
	IPAddress   Category = "ip_address"
	PaymentCard Category = "payment_card"
	BankAccount Category = "bank_account"
	Name        Category = "name"
	Address     Category = "address"
	DateOfBirth Category = "date_of_birth"
	Credentials Category = "credentials"
)

// builtinCategories is the list of built-in categories; its length sizes
// the per-category counters of Input.
var builtinCategories = [...]Category{NationalID, Email, Phone, IPAddress, PaymentCard, BankAccount, Name, Address, DateOfBirth, Credentials}

// Categories lists every built-in category id in report order. Custom
// categories of user-defined detectors come after them (see IsBuiltin).
var Categories = builtinCategories[:]

// IsBuiltin reports whether c is one of the built-in categories.
func IsBuiltin(c Category) bool { return categoryIndex(c) >= 0 }

// Confidence grades how sure a match is. The zero value is None.
type Confidence int8

// Confidence levels.
const (
	None Confidence = iota
	Low
	Medium
	High
)

func (c Confidence) String() string {
	switch c {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return "none"
}

// ParseConfidence reads "low", "medium" or "high".
func ParseConfidence(s string) (Confidence, bool) {
	switch strings.ToLower(s) {
	case "low":
		return Low, true
	case "medium":
		return Medium, true
	case "high":
		return High, true
	}
	return None, false
}

// Labels attached to matches.
const (
	LabelTestData      = "test_data"      // published test values, synthetic identities
	LabelPrivateRange  = "private_range"  // RFC 1918, CGNAT, ULA addresses
	LabelPublicService = "public_service" // well-known public service addresses: DNS resolvers, root servers
	LabelNew2032       = "k1_2032"        // valid only under the 2032 control-digit rule
	LabelRoleAddress   = "role_address"   // a mailbox of a function or a mailing list, not a person's
)

// Match is one validated value found in an Input.
type Match struct {
	Detector   string     // detector id, e.g. "no_fnr"
	Category   Category   // category of the value
	Start, End int        // byte offsets of the value in Input.Buf
	Value      string     // the value in a normalised form (digits only for numbers); never printed unmasked
	Confidence Confidence // after context
	Labels     []string   // e.g. test_data
	// Secret is a hash of what Value leaves out (SecretHash of a
	// password, which Value has as "***"), so that value fingerprints tell
	// two passwords at one place apart; 0 when Value is the whole value.
	Secret uint64
}

// SecretHash returns the Match.Secret of secret: a 64-bit FNV-1a hash,
// never 0. It is kept only in memory and mixed into keyed value
// fingerprints; no output holds it.
func SecretHash(secret []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range secret {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h | 1
}

// Example is a documented true- or false-positive input for a detector.
type Example struct {
	Text string // the input text
	Want string // for positives: the normalised value expected; empty for negatives
	Note string // why it is (not) a match
}

// Detector finds one kind of identifier.
type Detector interface {
	// ID is the stable detector id, e.g. "no_fnr".
	ID() string
	// Category is the category matches belong to.
	Category() Category
	// Description says in one line what is found and how it is validated.
	Description() string
	// Find reports every validated match in in.Buf to emit, in order of Start.
	Find(in *Input, emit func(Match))
	// Positives are inputs that must produce a match; Negatives must not.
	Positives() []Example
	Negatives() []Example
	// ContextWords are the words that raise confidence when seen before a value or in its key.
	ContextWords() []string
}
