package campaign

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// benchCountries are markets where WhatsApp campaigns are common.
var benchCountries = []string{"IN", "BR", "ID", "MX", "US", "GB", "DE", "IT", "ES", "FR", "NG", "ZA", "KE", "EG",
	"SA", "AE", "TR", "PK", "BD", "PH", "MY", "SG", "AR", "CO", "CL", "PE", "RU", "UA", "PL", "NL", "AU", "CA",
	"VN", "TH", "MA", "GH", "TZ", "IL", "KW", "QA"}

// realisticNumbers returns count distinct valid mobile numbers spread over benchCountries, written the ways
// recipients files hold them: digits with the country code (60%), the international format with spaces
// (30%), and 00 followed by the digits (10%).
func realisticNumbers(tb testing.TB, count int) []string {
	tb.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	seen := map[string]bool{}
	var out []string
	for len(out) < count {
		region := benchCountries[len(out)%len(benchCountries)]
		example := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
		nsn := []byte(phonenumbers.GetNationalSignificantNumber(example))
		for i := len(nsn) - 4; i < len(nsn); i++ {
			nsn[i] = byte('0' + rng.IntN(10))
		}
		pn, err := phonenumbers.Parse(string(nsn), region)
		if err != nil || !phonenumbers.IsValidNumber(pn) {
			continue
		}
		e164 := phonenumbers.Format(pn, phonenumbers.E164)
		if seen[e164] {
			continue
		}
		seen[e164] = true
		switch k := len(out) % 10; {
		case k < 6:
			out = append(out, e164[1:])
		case k < 9:
			out = append(out, phonenumbers.Format(pn, phonenumbers.INTERNATIONAL))
		default:
			out = append(out, "00"+e164[1:])
		}
	}
	return out
}

// BenchmarkNormalize compares the fast path with the library path on realistic numbers, without a default
// region and with one (then most numbers are first tried, and rejected, as national GB numbers).
func BenchmarkNormalize(b *testing.B) {
	numbers := realisticNumbers(b, 10000)
	for _, region := range []string{"", "GB"} {
		n, err := NewPhoneNormalizer(region)
		if err != nil {
			b.Fatal(err)
		}
		for _, path := range []struct {
			name string
			read numberReader
		}{{"fast", n.plans.number}, {"library", libraryNumber}} {
			b.Run("region="+strconv.Quote(region)+"/"+path.name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, p := n.normalize(numbers[i%len(numbers)], path.read); p != nil {
						b.Fatal(p.Reason)
					}
					i++
				}
			})
		}
	}
}

// BenchmarkNewPhoneNormalizer measures compiling the metadata, paid once per run.
func BenchmarkNewPhoneNormalizer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPhoneNormalizer("GB"); err != nil {
			b.Fatal(err)
		}
	}
}
