package guards

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"

	"herald/campaign/human"
)

// microsPerUnit: amounts are counted in millionths of a currency unit, as integers, so that adding a price a
// million times never drifts (a WhatsApp price such as 0.0107 USD has at most four decimals).
const (
	microsPerUnit = 1_000_000
	microDigits   = 6
)

// Amount is a sum of money in millionths of its currency's unit.
type Amount struct {
	Micros   int64
	Currency string
}

// parseMicros reads a non-negative decimal price (0.0107, 12, 1.5) as millionths of a unit.
func parseMicros(s string) (int64, error) {
	whole, frac, dot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" && (!dot || frac == "") {
		return 0, fmt.Errorf("%q is not a price: write it with digits and a point, such as 0.0250", s)
	}
	if len(frac) > microDigits {
		return 0, fmt.Errorf("%q has more than %d decimals", s, microDigits)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q is not a price: write digits and a point (no currency sign, no "+
					"thousands separator, no comma), such as 0.0250", s)
			}
		}
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%q is too large for a price per message", s)
	}
	w := int64(0)
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", microDigits-len(frac)), 10, 64)
	}
	return w*microsPerUnit + f, nil
}

// currencyScale is how many decimals amounts of the currency are written with (USD 2, JPY 0, KWD 3), from
// CLDR's data in golang.org/x/text/currency; 2 for a code it does not know.
func currencyScale(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return min(scale, microDigits)
}

// String writes the amount rounded half up to its currency's decimals, with thousands separators:
// "1,234.57 USD", "5 JPY".
func (a Amount) String() string {
	scale := currencyScale(a.Currency)
	step := int64(1)
	for i := scale; i < microDigits; i++ {
		step *= 10
	}
	units := (a.Micros + step/2) / step // in 10^-scale of the currency; amounts are never negative
	pow := int64(1)
	for i := 0; i < scale; i++ {
		pow *= 10
	}
	s := human.Thousands(units / pow)
	if scale > 0 {
		s += fmt.Sprintf(".%0*d", scale, units%pow)
	}
	return s + " " + a.Currency
}
