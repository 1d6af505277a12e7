package guards

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePrices(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prices.csv")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseMicros(t *testing.T) {
	good := map[string]int64{"0.0107": 10_700, "12": 12_000_000, "1.5": 1_500_000, ".25": 250_000,
		"0.000001": 1, " 3.000000 ": 3_000_000, "0": 0}
	for s, want := range good {
		if got, err := parseMicros(s); err != nil || got != want {
			t.Errorf("parseMicros(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", ".", "-1", "1,5", "$0.02", "1e-3", "0.0000001", "1.2.3", "9999999999999"} {
		if got, err := parseMicros(s); err == nil {
			t.Errorf("parseMicros(%q) = %d, want an error", s, got)
		}
	}
}

// TestAmountRounding checks the written amounts against figures rounded by hand: half up, to each currency's
// own decimals.
func TestAmountRounding(t *testing.T) {
	cases := []struct {
		a    Amount
		want string
	}{
		{Amount{157_400, "USD"}, "0.16 USD"},             // 0.1574
		{Amount{125_000, "USD"}, "0.13 USD"},             // 0.125: half up
		{Amount{124_999, "USD"}, "0.12 USD"},             // 0.124999
		{Amount{4_500_000, "JPY"}, "5 JPY"},              // no decimals
		{Amount{4_499_999, "JPY"}, "4 JPY"},              //
		{Amount{1_500, "KWD"}, "0.002 KWD"},              // three decimals: 0.0015 rounds up
		{Amount{10_700_000_000, "USD"}, "10,700.00 USD"}, // a million messages at 0.0107
		{Amount{1_234_567_890_000, "EUR"}, "1,234,567.89 EUR"},
		{Amount{0, "USD"}, "0.00 USD"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%d micro-%s = %q, want %q", c.a.Micros, c.a.Currency, got, c.want)
		}
	}
}

// TestEstimateArithmetic prices messages by country and category and checks the sums by hand.
func TestEstimateArithmetic(t *testing.T) {
	path := writePrices(t, "\xef\xbb\xbfCountry;Category;Price;Currency\r\n"+ // Excel: BOM, semicolons, CRLF
		"GB;marketing;0.0358;USD\r\n"+
		"US;marketing;0.025;USD\r\n"+
		"IN;marketing;0.0125;usd\r\n"+
		"gb;utility;0.0141;USD\r\n"+
		"DE;marketing;0.1131;EUR\r\n"+
		"JP;marketing;1.5;JPY\r\n")
	p, err := LoadPrices(path)
	if err != nil {
		t.Fatal(err)
	}
	e := p.Estimate("marketing")
	add := func(region string, n int) {
		for i := 0; i < n; i++ {
			e.Add(region)
		}
	}
	add("GB", 3)  // 3 x 0.0358 = 0.1074
	add("US", 2)  // 2 x 0.025  = 0.05
	add("IN", 10) // 10 x 0.0125 = 0.125        USD: 0.2824 -> 0.28
	add("DE", 7)  // 7 x 0.1131 = 0.7917        EUR: 0.79
	add("JP", 3)  // 3 x 1.5 = 4.5              JPY: 5
	add("CN", 4)  // no price
	add("", 1)    // a number of no country
	totals := e.Totals()
	want := []Amount{{791_700, "EUR"}, {4_500_000, "JPY"}, {282_400, "USD"}}
	if len(totals) != len(want) {
		t.Fatalf("totals %v, want %v", totals, want)
	}
	for i := range want {
		if totals[i] != want[i] {
			t.Errorf("total %d: %v, want %v", i, totals[i], want[i])
		}
	}
	if e.Messages() != 30 {
		t.Errorf("%d messages, want 30", e.Messages())
	}
	got := e.String()
	wantText := "estimated cost: 0.79 EUR + 5 JPY + 0.28 USD (30 marketing messages); no marketing price in " +
		path + " for CN (4 rows), numbers of no country (1 row): not in the estimate"
	if got != wantText {
		t.Errorf("estimate\n got %q\nwant %q", got, wantText)
	}

	u := p.Estimate("utility")
	u.Add("GB")
	u.Add("GB")
	u.Add("US")
	if got := u.String(); !strings.HasPrefix(got, "estimated cost: 0.03 USD (3 utility messages); no utility price") ||
		!strings.Contains(got, "US (1 row)") {
		t.Errorf("utility estimate: %q", got) // 2 x 0.0141 = 0.0282
	}
}

// TestEstimateManyMessagesExact adds a price a million times: integers, no drift.
func TestEstimateManyMessagesExact(t *testing.T) {
	p, err := LoadPrices(writePrices(t, "country,category,price,currency\nBR,marketing,0.0625,USD\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := p.Estimate("marketing")
	for i := 0; i < 1_000_003; i++ {
		e.Add("BR")
	}
	// 1,000,003 x 0.0625 = 62,500.1875 -> 62,500.19
	if got := e.String(); got != "estimated cost: 62,500.19 USD (1,000,003 marketing messages)" {
		t.Errorf("got %q", got)
	}
}

func TestLoadPricesErrors(t *testing.T) {
	cases := map[string]string{
		"":                                  "is empty",
		"country,category,price\n":          "no currency column",
		"country,category,price,currency\n": "no prices",
		"country,category,price,currency\nUK,marketing,0.05,GBP\n":                        "line 2: country \"UK\"",
		"country,category,price,currency\nGB,promo,0.05,GBP\n":                            "line 2: category \"promo\"",
		"country,category,price,currency\nGB,marketing,0,05,GBP\n":                        "line 2 has 5 cells",
		"country,category,price,currency\nGB,marketing,$0.05,GBP\n":                       "line 2: price",
		"country,category,price,currency\nGB,marketing,0.05,POUNDS\n":                     "line 2: currency \"POUNDS\"",
		"country,category,price,currency\nGB,marketing,0.05,GBP\ngb,Marketing,0.06,GBP\n": "line 3: GB marketing already has a price on line 2",
	}
	for body, want := range cases {
		path := writePrices(t, body)
		_, err := LoadPrices(path)
		if err == nil {
			t.Errorf("%q: accepted", body)
			continue
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "--prices "+path) {
			t.Errorf("%q: %v; want the file and %q", body, err, want)
		}
	}
	if _, err := LoadPrices(filepath.Join(t.TempDir(), "missing.csv")); err == nil ||
		!strings.Contains(err.Error(), "prices.example.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// TestExamplePrices loads the example price table shipped with herald.
func TestExamplePrices(t *testing.T) {
	p, err := LoadPrices("../../templates/prices.example.csv")
	if err != nil {
		t.Fatal(err)
	}
	e := p.Estimate("marketing")
	e.Add("GB")
	if len(e.Unpriced()) != 0 || len(e.Totals()) != 1 {
		t.Fatalf("the example has no marketing price for GB: %s", e)
	}
}
