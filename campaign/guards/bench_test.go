package guards

import (
	"testing"
	"time"

	"herald/campaign/check"
	"herald/campaign/internal/fixtures"
	"herald/campaign/phone"
	"herald/campaign/status"
)

// benchNumbers are realistic normalized numbers of 40 countries.
func benchNumbers(b *testing.B) []string {
	n, err := phone.NewNormalizer("")
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, raw := range fixtures.RealisticNumbers(10000) {
		if d, p := n.Normalize(raw); p == nil {
			out = append(out, d)
		}
	}
	return out
}

// BenchmarkCheckGuards is the guards' cost a row in the check: the send window (the number's zones, then the
// window in each), the frequency cap (100,000 numbers) and the messaging limit (100,000 places, full).
//
//	go test -run '^$' -bench CheckGuards ./campaign/guards/
func BenchmarkCheckGuards(b *testing.B) {
	nums := benchNumbers(b)
	now := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	w, _ := ParseWindow("09:00-20:00")
	g := New(Rules{Window: &w, FrequencyCap: 72 * time.Hour, MessagingLimit: 100_000, Profile: "meta"})
	g.capped = &numberList{}
	for i := 0; i < 100_000; i++ {
		k := uint64(447000000000 + i)
		g.capped.keys = append(g.capped.keys, k)
		g.history = append(g.history, message{key: k + 1_000_000, at: now.Add(-time.Hour).UnixMilli()})
	}
	g.capped.seal()
	guards := g.Check(now)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := check.Row{Number: nums[i%len(nums)], Status: status.Ready}
		for _, guard := range guards {
			if r.Status != status.Ready {
				break
			}
			guard(&r)
		}
	}
}

// BenchmarkRegion is the cost of a number's country, for the cost estimate.
func BenchmarkRegion(b *testing.B) {
	nums := benchNumbers(b)
	n, _ := phone.NewNormalizer("")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n.Region(nums[i%len(nums)])
	}
}
