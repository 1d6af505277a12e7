package phone

import (
	"herald/campaign/internal/fixtures"
	"herald/campaign/status"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libraryNumber is the reference reading the fast path must match: Parse, IsValidNumber, Format(E164).
func libraryNumber(number, region string) (string, bool) {
	pn, err := phonenumbers.Parse(number, region)
	if err != nil || !phonenumbers.IsValidNumber(pn) {
		return "", false
	}
	return strings.TrimPrefix(phonenumbers.Format(pn, phonenumbers.E164), "+"), true
}

// sharedPlans compiles the metadata once for all tests; normalizerFor shares it between regions.
var sharedPlans = sync.OnceValue(func() *numberPlans {
	ps, err := newNumberPlans()
	if err != nil {
		panic(err)
	}
	return ps
})

// normalizerFor is NewNormalizer(region) for a valid upper-case region, without compiling the metadata again.
func normalizerFor(region string) *Normalizer {
	return &Normalizer{region: region, plans: sharedPlans()}
}

// sortedRegions is every region libphonenumber supports, sorted.
func sortedRegions() []string {
	var out []string
	for r := range phonenumbers.GetSupportedRegions() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

func TestNewPhoneNormalizer(t *testing.T) {
	tests := []struct {
		region, wantRegion, wantErr string
	}{
		{region: "", wantRegion: ""},
		{region: "GB", wantRegion: "GB"},
		{region: " gb ", wantRegion: "GB"},
		{region: "UK", wantErr: `"UK" is not a country code the phone number library knows (the United Kingdom is GB): ` +
			`use an ISO 3166 alpha-2 code such as GB, DE or IN`},
		{region: "XX", wantErr: `"XX" is not a country code the phone number library knows: use an ISO 3166 ` +
			`alpha-2 code such as GB, DE or IN`},
		{region: "001", wantErr: `"001" is not a country code the phone number library knows: use an ISO 3166 ` +
			`alpha-2 code such as GB, DE or IN`},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			n, err := NewNormalizer(tt.region)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.region != tt.wantRegion {
				t.Errorf("region = %q, want %q", n.region, tt.wantRegion)
			}
		})
	}
}

func TestNormalizeAccepts(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"447911123456", "", "447911123456"},
		{"+44 7911 123456", "", "447911123456"},
		{"0044 7911 123456", "", "447911123456"},
		{"  +44-7911-123456\t", "", "447911123456"},
		{"+44 (0) 7911 123456", "", "447911123456"},
		{"+44.7911.123.456", "", "447911123456"},
		{"tel:+44-7911-123456", "", "447911123456"},
		{"TEL: +44 7911 123456", "", "447911123456"},
		{"\u200e+44 7911 123456\u200f", "", "447911123456"},
		{"+44\u00a07911\u2013123456", "", "447911123456"},
		{"٠٠٤٤٧٩١١١٢٣٤٥٦", "", "447911123456"},
		{"＋４４７９１１１２３４５６", "", "447911123456"},
		{"(07911) 123-456", "GB", "447911123456"},
		{"07911 123456", "GB", "447911123456"},
		{"7911 123456", "GB", "447911123456"},
		{"447911123456", "GB", "447911123456"},
		{"+44 7911 123456", "IN", "447911123456"},
		{"4915123456789", "GB", "4915123456789"},
		{"011 44 7911 123456", "US", "447911123456"},
		{"(201) 555-0123", "US", "12015550123"},
		{"12015550123", "", "12015550123"},
		{"09876543210", "IN", "919876543210"},
		{"+39 06 1234 5678", "", "390612345678"},
		{"+800 1234 5678", "", "80012345678"},
	}
	for _, tt := range tests {
		t.Run(tt.raw+"/"+tt.region, func(t *testing.T) {
			got, p := normalizerFor(tt.region).Normalize(tt.raw)
			if p != nil || got != tt.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", tt.raw, got, p, tt.want)
			}
		})
	}
}

func TestNormalizeProblems(t *testing.T) {
	const (
		textFix    = ": format the phone column as Text in the spreadsheet and export again"
		charFix    = ": keep only digits, spaces, dashes, dots, brackets and one leading +"
		noRegionFx = ": write it with its country code (e.g. +44 7911 123456), or set the default region (--region GB, or Region on the TUI's setup) " +
			"if the file's numbers have none"
	)
	tests := []struct {
		raw, region, code, reason string
	}{
		{"", "", status.CodeEmptyNumber, "the phone number is empty: fill it in or delete the row"},
		{" \t", "GB", status.CodeEmptyNumber, "the phone number is empty: fill it in or delete the row"},
		{"tel:", "", status.CodeEmptyNumber, "the phone number is empty: fill it in or delete the row"},
		{"4.47911E+11", "", status.CodeSpreadsheetNumber,
			`"4.47911E+11" is in scientific notation, so a spreadsheet has cut off its last digits` + textFix},
		{"4,47911E+11", "GB", status.CodeSpreadsheetNumber,
			`"4,47911E+11" is in scientific notation, so a spreadsheet has cut off its last digits` + textFix},
		{"4.47911e11", "", status.CodeSpreadsheetNumber,
			`"4.47911e11" is in scientific notation, so a spreadsheet has cut off its last digits` + textFix},
		{"447911123456.0", "", status.CodeSpreadsheetNumber,
			`"447911123456.0" ends in .0, so a spreadsheet has stored it as a number` + textFix},
		{"447911123456,00", "", status.CodeSpreadsheetNumber,
			`"447911123456,00" ends in .0, so a spreadsheet has stored it as a number` + textFix},
		{"4479111234567890", "", status.CodeSpreadsheetNumber, `"4479111234567890" has 16 digits, more than any phone ` +
			`number (15 with its country code), so a spreadsheet has probably rounded it` + textFix},
		{"07911 123456", "", status.CodeBadNumber, `"07911 123456" has no country code: write it with its country code ` +
			`(e.g. +44 7911 123456) or set the default region to its country (--region GB, or Region on the TUI's setup)`},
		{"7911123456", "", status.CodeBadNumber, `"7911123456" is too short for a RU number` + noRegionFx},
		{"+44 791", "", status.CodeBadNumber, `"+44 791" is too short for a GB number: check it for missing digits`},
		{"+44 7911 1234567", "", status.CodeBadNumber, `"+44 7911 1234567" is too long for a GB number: check it for extra digits`},
		{"+44 7911 12345", "", status.CodeBadNumber, `"+44 7911 12345" is not a valid GB number: check the digits`},
		{"0044 7911 12345", "GB", status.CodeBadNumber, `"0044 7911 12345" is not a valid GB number: check the digits`},
		{"7911 12345", "GB", status.CodeBadNumber, `"7911 12345" is not a valid GB number: check the digits`},
		{"+999 1234567", "", status.CodeBadNumber,
			`"+999 1234567" does not start with a known country code: check the country code at its start`},
		{"+4", "", status.CodeBadNumber, `"+4" is too short to be a phone number: check it for missing digits`},
		{"+44 7911 123456 ext 12", "", status.CodeBadNumber,
			`"+44 7911 123456 ext 12" contains "e", which is not part of a phone number` + charFix},
		{"+44 +7911", "", status.CodeBadNumber, `"+44 +7911" contains "+", which is not part of a phone number` + charFix},
		{"#N/A", "", status.CodeBadNumber, `"#N/A" contains "#", which is not part of a phone number` + charFix},
		{"+44 7911\x00123456", "", status.CodeBadNumber,
			`"+44 7911\x00123456" contains "\x00", which is not part of a phone number` + charFix},
		{"\x00", "", status.CodeBadNumber, `"\x00" contains "\x00", which is not part of a phone number` + charFix},
		{"(-)", "", status.CodeBadNumber, `"(-)" has no digits: fill in the phone number`},
		{strings.Repeat("1 ", 200), "", status.CodeBadNumber, `"` + strings.Repeat("1 ", 125) + `..." is too long to be ` +
			`a phone number: check that the cell holds a single number`},
	}
	for _, tt := range tests {
		t.Run(tt.raw+"/"+tt.region, func(t *testing.T) {
			got, p := normalizerFor(tt.region).Normalize(tt.raw)
			if p == nil {
				t.Fatalf("Normalize(%q) = %q, want a %s problem", tt.raw, got, tt.code)
			}
			if got != "" || p.Code != tt.code || p.Reason != tt.reason {
				t.Errorf("Normalize(%q) = %q, {%s %q}\nwant {%s %q}", tt.raw, got, p.Code, p.Reason, tt.code, tt.reason)
			}
		})
	}
}

// identityCorpus writes the example numbers of every region and type the ways recipients files hold them, and
// damages them in the ways people do (a digit missing or added, a wrong first digit, a wrong country code).
func identityCorpus() []struct{ raw, region string } {
	var out []struct{ raw, region string }
	add := func(raw, region string) { out = append(out, struct{ raw, region string }{raw, region}) }
	types := []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.PAGER, phonenumbers.UAN}
	for _, region := range sortedRegions() {
		cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
		for _, typ := range types {
			pn := phonenumbers.GetExampleNumberForType(region, typ)
			if pn == nil {
				continue
			}
			nsn := phonenumbers.GetNationalSignificantNumber(pn)
			for _, raw := range []string{cc + nsn, "+" + cc + nsn, "00" + cc + nsn, "0" + nsn, nsn, "+" + cc + "0" + nsn,
				phonenumbers.Format(pn, phonenumbers.INTERNATIONAL), phonenumbers.Format(pn, phonenumbers.NATIONAL),
				phonenumbers.Format(pn, phonenumbers.RFC3966), cc + nsn[:len(nsn)-1], cc + nsn + "7",
				"+" + cc + nsn[:len(nsn)-2], strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region)+1) + nsn} {
				add(raw, region)
			}
			for d := byte('0'); d <= '9'; d++ {
				add(cc+string(d)+nsn[1:], region)
			}
		}
	}
	return out
}

// TestFastPathMatchesLibrary proves the fast path decides every number of the corpus exactly as the library
// does: without a region, in the number's own region, and in a region it does not belong to.
func TestFastPathMatchesLibrary(t *testing.T) {
	stride := 1
	if raceEnabled() {
		stride = 25 // the race detector makes regexp ~100 times slower and adds nothing to one goroutine
	}
	corpus := identityCorpus()
	others := []string{"GB", "US", "IN", "BR", "DE", "IT", "AR", "MX", "RU", "CN", "NG", "ID"}
	countries := map[string]bool{}
	valid, invalid := 0, 0
	for i := 0; i < len(corpus); i += stride {
		c := corpus[i]
		for _, region := range []string{"", c.region, others[i%len(others)]} {
			n := normalizerFor(region)
			fast, fastP := n.normalize(c.raw, n.plans.number)
			slow, slowP := n.normalize(c.raw, libraryNumber)
			if fast != slow || (fastP == nil) != (slowP == nil) || fastP != nil && *fastP != *slowP {
				t.Fatalf("%q in region %q: fast %q %v, library %q %v", c.raw, region, fast, fastP, slow, slowP)
			}
			if fastP == nil {
				valid++
				countries[c.region] = true
			} else {
				invalid++
			}
		}
	}
	if len(countries) < 30 || valid < 5000/stride || invalid < 5000/stride {
		t.Fatalf("corpus too thin: %d countries, %d valid and %d invalid readings", len(countries), valid, invalid)
	}
	t.Logf("%d of %d numbers, %d countries, %d valid and %d invalid readings agree",
		(len(corpus)+stride-1)/stride, len(corpus), len(countries), valid, invalid)
}

// TestRegionMatchesLibrary proves Region gives every valid number of the corpus the region libphonenumber's
// GetRegionCodeForNumber gives it (NANP and +7 numbers included, where one calling code has many countries).
func TestRegionMatchesLibrary(t *testing.T) {
	n := normalizerFor("")
	regions := map[string]bool{}
	for _, c := range identityCorpus() {
		digits, p := n.Normalize(c.raw)
		if p != nil {
			continue
		}
		pn, err := phonenumbers.Parse("+"+digits, "")
		if err != nil {
			t.Fatal(err)
		}
		want := phonenumbers.GetRegionCodeForNumber(pn)
		if want == "001" {
			want = ""
		}
		if got := n.Region(digits); got != want {
			t.Fatalf("Region(%s) = %q, library %q", digits, got, want)
		}
		regions[want] = true
	}
	if len(regions) < 200 || !regions["JM"] || !regions["KZ"] || !regions["CA"] {
		t.Fatalf("corpus too thin: %d regions", len(regions))
	}
}

// FuzzNormalizeFastMatchesLibrary compares the fast path with the library on arbitrary cells, and on arbitrary
// digit strings read with and without a '+' in an arbitrary region.
func FuzzNormalizeFastMatchesLibrary(f *testing.F) {
	regions := append([]string{""}, sortedRegions()...)
	for i, c := range identityCorpus() {
		if i%50 == 0 {
			f.Add(c.raw, uint16(slices.Index(regions, c.region)))
		}
	}
	f.Fuzz(func(t *testing.T, raw string, regionIndex uint16) {
		region := regions[int(regionIndex)%len(regions)]
		n := normalizerFor(region)
		fast, fastP := n.normalize(raw, n.plans.number)
		slow, slowP := n.normalize(raw, libraryNumber)
		if fast != slow || (fastP == nil) != (slowP == nil) || fastP != nil && *fastP != *slowP {
			t.Fatalf("%q in region %q: fast %q %v, library %q %v", raw, region, fast, fastP, slow, slowP)
		}
		digits := make([]byte, 0, 20)
		for i := 0; i < len(raw) && len(digits) < cap(digits); i++ {
			digits = append(digits, '0'+raw[i]%10)
		}
		for _, number := range []string{string(digits), "+" + string(digits)} {
			for _, r := range []string{region, ""} {
				if r == "" && !strings.HasPrefix(number, "+") {
					continue // the normalizer never reads bare digits without a region
				}
				fastDigits, fastOK := n.plans.number(number, r)
				slowDigits, slowOK := libraryNumber(number, r)
				if fastDigits != slowDigits || fastOK != slowOK {
					t.Fatalf("number(%q, %q): fast %q %v, library %q %v", number, r, fastDigits, fastOK, slowDigits, slowOK)
				}
			}
		}
	})
}

func TestNormalizeConcurrent(t *testing.T) {
	n, err := NewNormalizer("GB")
	if err != nil {
		t.Fatal(err)
	}
	numbers := fixtures.RealisticNumbers(400)
	want := make([]string, len(numbers))
	for i, s := range numbers {
		want[i], _ = libraryNumber(string(mustCompact(t, s)), "")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(numbers))
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, s := range numbers {
				if got, p := n.Normalize(s); got != want[i] || p != nil {
					errs <- s + " -> " + got
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

// mustCompact is a number's '+' and digits, 00 read as '+'.
func mustCompact(t *testing.T, s string) string {
	t.Helper()
	number, plus, bad := compactNumber(s)
	if bad != "" {
		t.Fatalf("%q: bad rune %q", s, bad)
	}
	if !plus && strings.HasPrefix(number, "+00") {
		return "+" + number[3:]
	}
	return number
}
