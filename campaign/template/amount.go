package template

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// money is a currency as a currency parameter writes it: its ISO code, its symbol ("$", "R$"; the code when it
// has none) and its number of decimals (2 for USD, 0 for JPY, 3 for KWD).
type money struct {
	code   string
	symbol string
	scale  int
}

// newMoney describes unit.
func newMoney(unit currency.Unit) money {
	scale, _ := currency.Standard.Rounding(unit)
	symbol := message.NewPrinter(language.English).Sprint(currency.Symbol(unit))
	return money{code: unit.String(), symbol: symbol, scale: scale}
}

// maxAmount1000 is the largest amount_1000 WhatsApp takes (an int32 in the Cloud API).
const maxAmount1000 = math.MaxInt32

// amount reads a currency cell: an amount such as 12.50, 1200 or 1,234.50, optionally with the currency's own
// symbol or code before or after it ($12.50, 12.50 USD), with at most as many decimals as the currency has. It
// returns the amount x 1000 and the text the recipient reads ("$12.50"), or why the cell is not an amount.
func (m money) amount(cell string) (int64, string, string) {
	s := strings.TrimSpace(cell)
	for _, mark := range []string{m.code, m.symbol} {
		if mark == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(s, mark); ok {
			s = strings.TrimSpace(rest)
			break
		}
		if rest, ok := strings.CutSuffix(s, mark); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	whole, frac, _ := strings.Cut(s, ".")
	if !isGroupedDigits(whole) || strings.Trim(frac, "0123456789") != "" || (strings.Contains(s, ".") && frac == "") {
		return 0, "", fmt.Sprintf("is not an amount in %s: write it like %s (digits, a point before the decimals)", m.code, m.example())
	}
	whole = strings.ReplaceAll(whole, ",", "")
	frac = strings.TrimRight(frac, "0")
	if len(frac) > min(m.scale, 3) { // amount_1000 holds 3 decimals at most
		return 0, "", fmt.Sprintf("has %d decimals, and %s amounts have %d: round it", len(frac), m.code, min(m.scale, 3))
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > maxAmount1000/1000 {
		return 0, "", fmt.Sprintf("is larger than WhatsApp takes for a currency parameter (at most %d)", maxAmount1000/1000)
	}
	f3, _ := strconv.ParseInt(frac+strings.Repeat("0", 3-len(frac)), 10, 64)
	a := w*1000 + f3
	if a > maxAmount1000 {
		return 0, "", fmt.Sprintf("is larger than WhatsApp takes for a currency parameter (at most %d)", maxAmount1000/1000)
	}
	return a, m.format(w, frac), ""
}

// format writes an amount as the recipient reads it: the symbol, the whole part grouped by thousands and the
// currency's decimals ($1,234.50; ¥1,200; KWD 12.500 when the currency has no symbol of its own).
func (m money) format(whole int64, frac string) string {
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	b.WriteString(m.symbol)
	if r := []rune(m.symbol); len(r) > 0 && unicode.IsLetter(r[len(r)-1]) {
		b.WriteByte(' ') // a code, or a symbol ending in a letter (CHF, KWD): kept apart from the digits
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if m.scale > 0 {
		b.WriteByte('.')
		b.WriteString(frac + strings.Repeat("0", m.scale-len(frac)))
	}
	return b.String()
}

// example is an amount written as a cell should hold it, for error messages.
func (m money) example() string {
	if m.scale == 0 {
		return "1200"
	}
	return "12.5" + strings.Repeat("0", m.scale-1)
}

// isGroupedDigits reports whether s is digits, possibly grouped by thousands with commas (1,234,567).
func isGroupedDigits(s string) bool {
	if s == "" || strings.Trim(s, "0123456789,") != "" {
		return false
	}
	if !strings.Contains(s, ",") {
		return true
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}
