package detectors

// candLists are the runs (indices into Input.Runs) the bank-account, CPR,
// HETU and IBAN detectors start from. One pass over the runs finds them
// all by shape alone, so that those five detectors do not each walk every
// run of a chunk (a walk over the runs is memory-bound: a 1 MiB chunk of a
// digit-heavy log holds a few hundred thousand runs).
type candLists struct {
	bare11 []int32 // 11-digit runs (a bare kontonummer)
	acct   []int32 // 4-digit runs that start 4.2.5 digit groups (BBBB.KK.NNNNN)
	clear  []int32 // 4-digit runs followed by 7–12 digits, or 8xxx-x and then them (Swedish clearing + account)
	bare10 []int32 // 10-digit runs (a bare CPR)
	six    []int32 // 6-digit runs followed, one byte on, by 3 or 4 digits (DDMMYY-SSSS, DDMMYYCZZZQ)
	iban   []int32 // runs of 2 or more digits right after two upper-case ASCII letters
}

// candidates returns the candidate runs, finding them on first use.
func (in *Input) candidates() *candLists {
	if in.candDone {
		return &in.cand
	}
	in.candDone = true
	c := &in.cand
	c.bare11, c.acct, c.clear = c.bare11[:0], c.acct[:0], c.clear[:0]
	c.bare10, c.six, c.iban = c.bare10[:0], c.six[:0], c.iban[:0]
	b := in.Buf
	runs := in.Runs()
	prevEnd := -2
	for i, r := range runs {
		n := r.End - r.Start
		if s := r.Start - 2; n >= 2 && s >= 0 && prevEnd <= s && isUpper(b[s+1]) && isUpper(b[s]) {
			c.iban = append(c.iban, int32(i))
		}
		prevEnd = r.End
		if i+1 == len(runs) {
			switch n {
			case 11:
				c.bare11 = append(c.bare11, int32(i))
			case 10:
				c.bare10 = append(c.bare10, int32(i))
			}
			continue
		}
		next := runs[i+1]
		gap, nn := next.Start-r.End, next.End-next.Start
		switch n {
		case 11:
			c.bare11 = append(c.bare11, int32(i))
		case 10:
			c.bare10 = append(c.bare10, int32(i))
		case 6:
			if gap == 1 && (nn == 3 || nn == 4) {
				c.six = append(c.six, int32(i))
			}
		case 4:
			switch {
			case gap == 1 && nn == 2:
				if i+2 < len(runs) && runs[i+2].Start == next.End+1 && runs[i+2].End-runs[i+2].Start == 5 {
					c.acct = append(c.acct, int32(i))
				}
			case (gap == 1 || gap == 2) && nn >= 7 && nn <= 12:
				c.clear = append(c.clear, int32(i))
			}
			if gap == 1 && nn == 1 && i+2 < len(runs) {
				// Swedbank 8xxx-x: the account follows the fifth digit.
				a := runs[i+2]
				if g, na := a.Start-next.End, a.End-a.Start; (g == 1 || g == 2) && na >= 7 && na <= 12 {
					c.clear = append(c.clear, int32(i))
				}
			}
		}
	}
	return c
}

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
