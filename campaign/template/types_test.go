package template

import (
	"slices"
	"strings"
	"testing"

	"herald/campaign/status"
	"herald/providers"
)

const typedTemplate = `name: price_drop
language: en_US
header:
  text: "{{price}} only"
body: "Hi {{first_name}}, now {{price}} until {{expires}}."
types:
  price: {currency: USD}
  expires: date_time
  first_name: text
`

// TestTypedParameters renders currency and date_time body parameters: the preview's text shows what the
// recipient reads (the fallback), the provider gets the typed parameter with the code and the amount x 1000,
// and the same column elsewhere (the header) stays its cell's text.
func TestTypedParameters(t *testing.T) {
	b := bindSource(t, typedTemplate, []string{"phone", "first_name", "price", "expires"})
	r, p := b.Render([]string{"447911123456", "Ann", "1,234.5", "30 April"})
	if p != nil {
		t.Fatal(p)
	}
	if r.Body != "Hi Ann, now $1,234.50 until 30 April." || r.Header.Text != "1,234.5 only" {
		t.Errorf("body %q, header %q", r.Body, r.Header.Text)
	}
	want := []providers.Param{textParam("Ann"),
		{Kind: providers.ParamCurrency, Text: "$1,234.50", CurrencyCode: "USD", Amount1000: 1234500},
		{Kind: providers.ParamDateTime, Text: "30 April"}}
	if !slices.Equal(r.Message.Body, want) {
		t.Errorf("body parameters\n got %+v\nwant %+v", r.Message.Body, want)
	}
	if r.Message.Header[0] != textParam("1,234.5") {
		t.Errorf("header parameter %+v, want the cell's text", r.Message.Header[0])
	}
	n := b.t.Needs()
	if n.Header != providers.ParamText || !slices.Equal(n.TypedBody, []providers.ParamKind{providers.ParamCurrency, providers.ParamDateTime}) {
		t.Errorf("Needs = %+v", n)
	}
}

// TestCurrencyCells reads the amounts a spreadsheet holds, per currency, and refuses what is not one.
func TestCurrencyCells(t *testing.T) {
	tests := []struct {
		code, cell string
		amount     int64
		shown      string
		problem    string
	}{
		{"USD", "12.50", 12500, "$12.50", ""},
		{"USD", "12.5", 12500, "$12.50", ""},
		{"USD", "12", 12000, "$12.00", ""},
		{"USD", "$12.50", 12500, "$12.50", ""},
		{"USD", "12.50 USD", 12500, "$12.50", ""},
		{"USD", "1,234,567.5", 1234567500, "$1,234,567.50", ""},
		{"USD", "12.500", 12500, "$12.50", ""},
		{"EUR", "0.99", 990, "€0.99", ""},
		{"BRL", "10", 10000, "R$10.00", ""},
		{"JPY", "1200", 1200000, "¥1,200", ""},
		{"KWD", "12.5", 12500, "KWD 12.500", ""},
		{"USD", "12,50", 0, "", "is not an amount in USD: write it like 12.50"},
		{"USD", "€12.50", 0, "", "is not an amount in USD"},
		{"USD", "-5", 0, "", "is not an amount"},
		{"USD", "12.", 0, "", "is not an amount"},
		{"USD", "1,23", 0, "", "is not an amount"},
		{"USD", "twelve", 0, "", "is not an amount"},
		{"USD", "12.505", 0, "", "has 3 decimals, and USD amounts have 2"},
		{"JPY", "12.5", 0, "", "has 1 decimals, and JPY amounts have 0"},
		{"USD", "2147484", 0, "", "is larger than WhatsApp takes"},
	}
	for _, tc := range tests {
		t.Run(tc.code+" "+tc.cell, func(t *testing.T) {
			src := strings.Replace(typedTemplate, "USD", tc.code, 1)
			b := bindSource(t, src, []string{"phone", "first_name", "price", "expires"})
			r, p := b.Render([]string{"447911123456", "Ann", tc.cell, "30 April"})
			if tc.problem != "" {
				if p == nil || p.Code != status.CodeBadParameter || !strings.Contains(p.Reason, tc.problem) ||
					!strings.HasPrefix(p.Reason, "column price holds") {
					t.Errorf("problem %v, want bad_parameter naming column price with %q", p, tc.problem)
				}
				return
			}
			if p != nil {
				t.Fatal(p)
			}
			if got := r.Message.Body[1]; got.Amount1000 != tc.amount || got.Text != tc.shown || got.CurrencyCode != tc.code {
				t.Errorf("parameter %+v, want %d shown %q in %s", got, tc.amount, tc.shown, tc.code)
			}
		})
	}
}

// TestTypesErrors: every mistake in types: names the line and the fix.
func TestTypesErrors(t *testing.T) {
	base := "name: t\nlanguage: en\nheader:\n  text: \"{{code}}\"\nbody: \"{{price|9.99}} until {{expires}}\"\n"
	tests := []struct{ name, types, want string }{
		{"not a mapping", "types: [price]\n", "t.yaml line 6: types must be a set of columns and their types"},
		{"unknown type", "types:\n  price: money\n", `t.yaml line 7: "money" is not a parameter type (price) - write text, date_time or {currency: USD}`},
		{"currency without a code", "types:\n  price: currency\n", "t.yaml line 7: the currency of price has no code - write price: {currency: USD}"},
		{"unknown code", "types:\n  price: {currency: ZZZ}\n", `t.yaml line 7: "ZZZ" is not a currency code - write its ISO 4217 code`},
		{"unknown key", "types:\n  price: {curency: USD}\n", `"curency" is not a key of the type of price - did you mean currency?`},
		{"a header column", "types:\n  code: date_time\n", "t.yaml line 7: types names code, which fills no variable of the body - typed parameters (currency, date_time) exist in the body only"},
		{"a missing column", "types:\n  nope: date_time\n", "types names nope, which fills no variable of the body"},
		{"twice", "types:\n  price: {currency: USD}\n  PRICE: date_time\n", "t.yaml line 8: types names PRICE twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(base+tc.types), "t.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	_, err := Parse([]byte(strings.Replace(base, "9.99", "nine", 1)+"types:\n  price: {currency: USD}\n"), "t.yaml")
	if err == nil || !strings.Contains(err.Error(), `t.yaml line 5: the fallback "nine" of {{price}} is not an amount in USD`) {
		t.Errorf("a fallback that is not an amount: %v", err)
	}
	tpl, err := Parse([]byte(base+"types:\n  price: {currency: usd}\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := tpl.Bind([]string{"phone", "code", "price", "expires"})
	if err != nil {
		t.Fatal(err)
	}
	r, p := b.Render([]string{"1", "C", "", "May"})
	if p != nil || r.Body != "$9.99 until May" || r.Message.Body[0].Amount1000 != 9990 {
		t.Errorf("the fallback amount: %q %+v %v", r.Body, r.Message.Body, p)
	}
}
