package phone

import (
	"herald/campaign/internal/fixtures"
	"strconv"
	"testing"
)

// BenchmarkNormalize compares the fast path with the library path on realistic numbers, without a default
// region and with one (then most numbers are first tried, and rejected, as national GB numbers).
func BenchmarkNormalize(b *testing.B) {
	numbers := fixtures.RealisticNumbers(10000)
	for _, region := range []string{"", "GB"} {
		n, err := NewNormalizer(region)
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

// BenchmarkNewPhoneNormalizer measures compiling the metadata, paid once per process (NewNormalizer shares the
// compiled plans).
func BenchmarkNewPhoneNormalizer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newNumberPlans(); err != nil {
			b.Fatal(err)
		}
	}
}
