package detectors

import (
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers/v2"
	"github.com/nyaruka/phonenumbers/v2/metadata"
)

// phoneTypes answers what libphonenumber's GetNumberType answers for the
// numbers phoneLibValid builds (a country calling code and its national
// significant number), from each code's number descriptions compiled once,
// on the code's first number. GetNumberType builds every pattern's string
// anew and looks it up in a cache under a lock, twice per description it
// tries, for about a microsecond and a half a number; here a description
// costs a length test and one match. TestPhoneTypesAgreeWithLibrary
// compares the two on numbers of every code and length. The zero value is
// ready to use, and safe for concurrent use.
type phoneTypes struct {
	codes [1000]phoneCode
	// bufs hold the digits while the patterns read them: digits handed to
	// a regexp escape, and a caller's on its stack would be allocated
	// anew for each number.
	bufs sync.Pool
}

// phoneCode is one country calling code's regions, in libphonenumber's
// order, compiled once, under mu: ready says they are (a check that
// allocates nothing per number, where the closure sync.Once.Do takes
// would).
type phoneCode struct {
	ready   atomic.Bool
	mu      sync.Mutex
	regions []phoneRegion
}

// phoneRegion is a region's number descriptions.
type phoneRegion struct {
	// leading, when set, tells the region's numbers among those of a code
	// shared by several regions by their first digits; a region without
	// it claims the numbers it has a type for.
	leading *regexp.Regexp
	general, premium, tollFree, sharedCost, voip, personal, pager, uan, voicemail,
	fixed, mobile phoneDesc
	sameMobileFixed bool
}

// phoneDesc is a number description: the lengths it allows (bit n for n
// digits; 0: any) and its pattern, anchored at both ends.
type phoneDesc struct {
	lens uint64
	re   *regexp.Regexp
}

// numberType returns GetNumberType of the number of country code cc and
// national significant number nsn.
func (t *phoneTypes) numberType(cc int, nsn []byte) phonenumbers.PhoneNumberType {
	if uint(cc) >= uint(len(t.codes)) {
		return phonenumbers.UNKNOWN
	}
	p, _ := t.bufs.Get().(*[]byte)
	if p == nil {
		p = new([]byte)
	}
	*p = append((*p)[:0], nsn...)
	typ := t.code(cc).numberType(*p)
	t.bufs.Put(p)
	return typ
}

// code returns the regions of country code cc, compiled on first use.
func (t *phoneTypes) code(cc int) *phoneCode {
	c := &t.codes[cc]
	if !c.ready.Load() {
		c.mu.Lock()
		if !c.ready.Load() {
			c.regions = phoneCodeRegions(cc)
			c.ready.Store(true)
		}
		c.mu.Unlock()
	}
	return c
}

// numberType is phoneTypes.numberType of the code's number nsn.
func (c *phoneCode) numberType(nsn []byte) phonenumbers.PhoneNumberType {
	switch len(c.regions) {
	case 0:
		return phonenumbers.UNKNOWN
	case 1:
		return c.regions[0].numberType(nsn)
	}
	// GetRegionCodeForNumber: the first region whose leading digits start
	// the number, or, for a region without them, that has a type for it.
	for i := range c.regions {
		r := &c.regions[i]
		if r.leading != nil {
			if r.leading.Match(nsn) {
				return r.numberType(nsn)
			}
		} else if typ := r.numberType(nsn); typ != phonenumbers.UNKNOWN {
			return typ
		}
	}
	return phonenumbers.UNKNOWN
}

// numberType is libphonenumber's getNumberTypeHelper: the first of the
// region's descriptions, in its order, that the number matches.
func (r *phoneRegion) numberType(nsn []byte) phonenumbers.PhoneNumberType {
	switch {
	case !r.general.match(nsn):
		return phonenumbers.UNKNOWN
	case r.premium.match(nsn):
		return phonenumbers.PREMIUM_RATE
	case r.tollFree.match(nsn):
		return phonenumbers.TOLL_FREE
	case r.sharedCost.match(nsn):
		return phonenumbers.SHARED_COST
	case r.voip.match(nsn):
		return phonenumbers.VOIP
	case r.personal.match(nsn):
		return phonenumbers.PERSONAL_NUMBER
	case r.pager.match(nsn):
		return phonenumbers.PAGER
	case r.uan.match(nsn):
		return phonenumbers.UAN
	case r.voicemail.match(nsn):
		return phonenumbers.VOICEMAIL
	case r.fixed.match(nsn):
		if r.sameMobileFixed || r.mobile.match(nsn) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	case !r.sameMobileFixed && r.mobile.match(nsn):
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// match is libphonenumber's isNumberMatchingDesc.
func (d *phoneDesc) match(nsn []byte) bool {
	if d.lens != 0 && (len(nsn) >= 64 || d.lens>>len(nsn)&1 == 0) {
		return false
	}
	return d.re.Match(nsn)
}

// phoneCodeRegions compiles the regions of country code cc, as
// GetNumberType finds their metadata: the code's one region, or each in
// turn of a code shared by several; the non-geographic entity's by code.
func phoneCodeRegions(cc int) []phoneRegion {
	codes := metadata.CountryCodeToRegion()[cc]
	var out []phoneRegion
	for _, code := range codes {
		var md *metadata.PhoneMetadata
		switch {
		case code == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY && len(codes) == 1:
			md, _ = metadata.NonGeoMetadata(cc)
		case metadata.SupportedRegions()[code]:
			md, _ = metadata.RegionMetadata(code)
		}
		if md == nil {
			// GetNumberType has no metadata for the number then: UNKNOWN
			// (the region list is cut here, where its search would stop).
			break
		}
		r := phoneRegion{
			general: phoneDescOf(md.GetGeneralDesc()), premium: phoneDescOf(md.GetPremiumRate()),
			tollFree: phoneDescOf(md.GetTollFree()), sharedCost: phoneDescOf(md.GetSharedCost()),
			voip: phoneDescOf(md.GetVoip()), personal: phoneDescOf(md.GetPersonalNumber()),
			pager: phoneDescOf(md.GetPager()), uan: phoneDescOf(md.GetUan()),
			voicemail: phoneDescOf(md.GetVoicemail()), fixed: phoneDescOf(md.GetFixedLine()),
			mobile: phoneDescOf(md.GetMobile()), sameMobileFixed: md.GetSameMobileAndFixedLinePattern(),
		}
		if l := md.GetLeadingDigits(); l != "" && len(codes) > 1 {
			r.leading = regexp.MustCompile("^(?:" + l + ")")
		}
		out = append(out, r)
	}
	return out
}

// phoneDescOf compiles a number description as isNumberMatchingDesc reads
// it.
func phoneDescOf(d *metadata.PhoneNumberDesc) phoneDesc {
	var lens uint64
	for _, l := range d.GetPossibleLength() {
		if l >= 0 && l < 64 {
			lens |= 1 << l
		}
	}
	if lens == 0 && len(d.GetPossibleLength()) > 0 {
		lens = 1 // only lengths no number here has: none matches (but the empty one, which none is)
	}
	return phoneDesc{lens: lens, re: regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$")}
}
