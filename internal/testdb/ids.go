package testdb

import (
	"fmt"
	"strconv"
)

// Fnr returns the Norwegian fødselsnummer for the birth date day.month.year
// (two-digit year yy) and the three-digit individnummer, with its control
// digits computed by the rules of identifiers.md §1.1; ok is false when the
// individnummer cannot be used with that date (a control digit would be 10).
// Add 40 to day for a D-number.
func Fnr(day, month, yy, individ int) (fnr string, ok bool) {
	base := fmt.Sprintf("%02d%02d%02d%03d", day, month, yy%100, individ)
	d := make([]int, 0, 11)
	for _, c := range base {
		d = append(d, int(c-'0'))
	}
	k1 := mod11(d, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	if k1 == 10 {
		return "", false
	}
	d = append(d, k1)
	k2 := mod11(d, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	if k2 == 10 {
		return "", false
	}
	return base + strconv.Itoa(k1) + strconv.Itoa(k2), true
}

// mod11 returns 11 − (Σ w·d mod 11), with 11 → 0.
func mod11(d, w []int) int {
	sum := 0
	for i, wi := range w {
		sum += wi * d[i]
	}
	k := 11 - sum%11
	if k == 11 {
		k = 0
	}
	return k
}

// Fnrs returns n distinct valid fødselsnumre, deterministic for a given
// start: birth dates walk through the days of 1950–1999 (so some start with
// '0'), individnummer through the 1900s range.
func Fnrs(n, start int) []string {
	out := make([]string, 0, n)
	for i := start; len(out) < n; i++ {
		day := 1 + i%28
		month := 1 + (i/28)%12
		yy := 50 + (i/336)%50
		for individ := 100 + (i*7)%300; individ < 500; individ++ {
			if f, ok := Fnr(day, month, yy, individ); ok {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// Luhn returns prefix with its Luhn check digit appended.
func Luhn(prefix string) string {
	sum := 0
	double := true // the check digit will be at the right
	for i := len(prefix) - 1; i >= 0; i-- {
		v := int(prefix[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return prefix + strconv.Itoa((10-sum%10)%10)
}

// LuhnValid reports whether digits pass the Luhn check.
func LuhnValid(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	return Luhn(digits[:len(digits)-1]) == digits
}

// Personnummer returns a Swedish personnummer YYMMDD-NNNC for the given
// date and three-digit birth number, with its Luhn check digit.
func Personnummer(yy, month, day, birth int) string {
	ten := Luhn(fmt.Sprintf("%02d%02d%02d%03d", yy%100, month, day, birth))
	return ten[:6] + "-" + ten[6:]
}
