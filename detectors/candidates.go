package detectors

import (
	"math"
	"slices"
)

// candLists are the runs (indices into Input.Runs, increasing) each
// run-based detector starts from. One pass over the runs finds them all by
// shape alone, so that no detector walks every run of a chunk: a 256 KiB
// chunk of a digit-heavy log holds some 60,000 runs, and before this pass
// each of nine detectors walked them all, paying a load and a few branches
// per run for the few it wanted.
type candLists struct {
	phone  []phoneSeg // segments of runs joined by gaps that can join phone groups, with enough digits
	fnr    []int32    // 11-digit runs, and 6-digit runs followed one byte on by 5 digits (no_fnr)
	se     []int32    // 10- and 12-digit runs, and 6- and 8-digit runs that a run after them can join (seJoinable; se_personnummer)
	card   []int32    // 12–19-digit runs, and 4-digit runs followed by ' ' or '-' and a digit (payment_card)
	dot    []int32    // 1–3-digit runs followed by '.' and a 1–3-digit run, that by '.' and a digit, with three runs after the first (IPv4)
	bare11 []int32    // 11-digit runs (a bare kontonummer)
	acct   []int32    // 4-digit runs that start 4.2.5 digit groups (BBBB.KK.NNNNN)
	clear  []int32    // 4-digit runs followed by 7–12 digits, or 8xxx-x and then them (Swedish clearing + account)
	bare10 []int32    // 10-digit runs (a bare CPR)
	six    []int32    // 6-digit runs followed, one byte on, by 3 or 4 digits (DDMMYY-SSSS, DDMMYYCZZZQ)
	date   []int32    // 1–2-digit runs followed, one '.', '/' or '-' on, by 1–2 digits, the same byte and 4 digits (15.03.1987)
	iban   []int32    // runs of 2 or more digits right after two upper-case ASCII letters (from runScan.upper2)
}

// phoneSeg is a segment runs[start:end] whose runs are joined by gaps that
// can join the groups of a phone number, and not joined to the runs around
// it: acc counts its digits plus phoneMarkParen per parenthesis gap, and is
// at least phoneMinE164 (see phoneDetector.Find).
type phoneSeg struct{ start, end, acc int32 }

// noRun stands for the run after the last one: far enough away that no
// gap test joins it.
var noRun = Run{Start: math.MaxInt / 2, End: math.MaxInt / 2}

// candidates returns the candidate runs, finding them on first use.
func (in *Input) candidates() *candLists {
	if in.candDone {
		return &in.cand
	}
	in.candDone = true
	c := &in.cand
	c.fnr, c.se, c.card, c.dot = c.fnr[:0], c.se[:0], c.card[:0], c.dot[:0]
	c.bare11, c.acct, c.clear = c.bare11[:0], c.acct[:0], c.clear[:0]
	c.bare10, c.six, c.iban, c.date = c.bare10[:0], c.six[:0], c.iban[:0], c.date[:0]
	c.phone = c.phone[:0]
	b := in.Buf
	runs := in.Runs()
	nr := len(runs)
	// Two runs of noRun after the last: a run's next two are read
	// without a test.
	runs = slices.Grow(runs, 2)
	in.rs.runs = runs
	ext := runs[:nr+2]
	ext[nr], ext[nr+1] = noRun, noRun
	seg, acc := 0, 0 // the phone segment being counted: its first run and count
	mark := 0        // the mark of the gap before the current run
	for i := 0; i < nr; i++ {
		r, next := ext[i], ext[i+1]
		n := r.End - r.Start
		// The phone segment: the gap after r is classified by its first
		// byte (masked to none unless it is one byte long) and, for two or
		// three bytes, by all of them; a gap that cannot join groups ends
		// the segment, which is kept when it has enough digits.
		{
			e, gl := r.End, next.Start-r.End
			var ch byte
			if e < len(b) {
				ch = b[e]
			}
			// m is -1 at the end of a segment, else 0: the segment is
			// kept or dropped without a branch unless it is kept.
			m := -1
			mark = 0
			if gl == 1 {
				mark, m = phoneGap1Mark[ch], phoneGap1End[ch]
			} else if uint(gl-2) <= 1 && phoneJoins[ch] && e+2 < len(b) {
				g := phoneGap23(b, e, gl)
				mark, m = phoneGapMark[g], phoneGapEnd[g]
			}
			acc += n + mark
			if ^(acc-phoneMinE164)>>63&m != 0 && (seg < i || phoneLoneRun(b, r)) {
				c.phone = append(c.phone, phoneSeg{int32(seg), int32(i + 1), int32(min(acc, 1<<30))})
			}
			seg += (i + 1 - seg) & m
			acc &^= m
		}
		// joined: the next run starts one byte after this one (b[r.End]
		// is then inside b); nn is its length.
		joined, nn := next.Start == r.End+1, next.End-next.Start
		switch n {
		case 1, 2, 3:
			// Two octets joined by single dots: "54.167+01:00" in a
			// time stamp is not a candidate.
			if joined && b[r.End] == '.' && nn <= 3 && ext[i+2].Start == next.End+1 && b[next.End] == '.' && i+3 < nr {
				c.dot = append(c.dot, int32(i))
			}
		case 4:
			if joined && (b[r.End] == ' ' || b[r.End] == '-') {
				c.card = append(c.card, int32(i))
			}
			// A date's year: DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY.
			if i >= 2 {
				if m := ext[i-1]; m.End == r.Start-1 && m.End-m.Start <= 2 && dateSep[b[m.End]] {
					if d := ext[i-2]; d.End == m.Start-1 && d.End-d.Start <= 2 && b[d.End] == b[m.End] {
						c.date = append(c.date, int32(i-2))
					}
				}
			}
			gap := next.Start - r.End
			switch {
			case joined && nn == 2:
				if after := ext[i+2]; after.Start == next.End+1 && after.End-after.Start == 5 {
					c.acct = append(c.acct, int32(i))
				}
			case (gap == 1 || gap == 2) && nn >= 7 && nn <= 12:
				c.clear = append(c.clear, int32(i))
			}
			if joined && nn == 1 {
				// Swedbank 8xxx-x: the account follows the fifth digit.
				if after := ext[i+2]; uint(after.Start-next.End-1) <= 1 && uint(after.End-after.Start-7) <= 5 {
					c.clear = append(c.clear, int32(i))
				}
			}
		case 6:
			if seJoinable(b, r, next) {
				c.se = append(c.se, int32(i))
			}
			if joined && nn == 5 {
				c.fnr = append(c.fnr, int32(i))
			}
			if joined && (nn == 3 || nn == 4) {
				c.six = append(c.six, int32(i))
			}
		case 8:
			if seJoinable(b, r, next) {
				c.se = append(c.se, int32(i))
			}
		case 10:
			c.se = append(c.se, int32(i))
			c.bare10 = append(c.bare10, int32(i))
		case 11:
			c.fnr = append(c.fnr, int32(i))
			c.bare11 = append(c.bare11, int32(i))
		case 12:
			c.se = append(c.se, int32(i))
		}
		if n >= cardMinLen && n <= cardMaxLen {
			c.card = append(c.card, int32(i))
		}
	}
	for _, i := range in.rs.upper2 {
		if r := runs[i]; r.End-r.Start >= 2 {
			c.iban = append(c.iban, i)
		}
	}
	return c
}

// phoneGap1Mark and phoneGap1End are phoneGapMark and phoneGapEnd of the
// one-byte gap of each byte (phoneGap1): one lookup where two depended on
// each other. Constant lookup tables.
var phoneGap1Mark, phoneGap1End = func() (mark, end [256]int) {
	for c := range 256 {
		g := phoneGap1[c]
		mark[c], end[c] = phoneGapMark[g], phoneGapEnd[g]
	}
	return mark, end
}()

// phoneLoneRun reports whether the digit run r, a phone segment on its
// own, can be a number's one window (see phoneMayHold): after a '+',
// starting with 0, or of 8 digits, or of 10 starting with 47; and of at
// most phoneMaxE164+2 digits. A log's lone references, epochs and KIDs
// are a third of its phone segments otherwise, and dropping them here
// saves the phone detector a look at each.
func phoneLoneRun(b []byte, r Run) bool {
	n := r.End - r.Start
	return n <= phoneMaxE164+2 && (n == 8 || b[r.Start] == '0' || phonePlus(b, r.Start) > 0 ||
		n == 10 && b[r.Start] == '4' && b[r.Start+1] == '7')
}

// seJoinable reports whether next, the run after the date run r, is where
// sePersonnummer.Find looks for a personnummer's last digits: one byte on
// (19870315-1234, 870315+1234, 870315 1234, 870315T234), or two after a
// '-' or '+' (870315-T234).
func seJoinable(b []byte, r, next Run) bool {
	switch next.Start - r.End {
	case 1:
		return true
	case 2:
		return b[r.End] == '-' || b[r.End] == '+'
	}
	return false
}

// dateSep marks the bytes that join a date's day, month and year
// (dateOfBirth). A constant lookup table.
var dateSep = [256]bool{'.': true, '/': true, '-': true}

// mergeRuns calls f with every index of a and b in increasing order (both
// are increasing), so that a detector starting from two lists still
// reports its matches in order.
func mergeRuns(a, b []int32, f func(i int32)) {
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
			f(a[0])
			a = a[1:]
		} else {
			f(b[0])
			b = b[1:]
		}
	}
}
