//go:build unix

package campaign_test

import (
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"testing"
	"time"

	"herald/campaign"
	"herald/providers/sandbox"
)

// BenchmarkPaired measures issue 16's two ratios at 64 in flight so that one run gives them despite a machine
// whose speed drifts by tens of percent between runs: each round sends b.N messages three ways back to back
// (herald with its store, herald without it, the bare client posting the same bodies with Go's collector
// defaults, in an order that turns each round), and the ratios are taken within a round, where the drift is
// small. Metrics are the medians over the rounds (HERALD_PAIRED_ROUNDS, default 7): e2e (herald with its store
// against the bare client), store-cost-% (what the store takes from herald's rate) and each sender's msgs/s.
//
//	go test -run '^$' -bench Paired -benchtime 20000x ./campaign/
func BenchmarkPaired(b *testing.B) {
	rounds := 7
	if v := os.Getenv("HERALD_PAIRED_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("HERALD_PAIRED_ROUNDS=%q: want a number of rounds", v)
		}
		rounds = n
	}
	if b.N < 1000 {
		return // the framework's first call, with b.N = 1: rounds of a few messages would mean nothing
	}
	child := childSandbox(b, "")
	defer child.Stop()
	p := sandbox.Credentials()["meta"]
	target := child.URL + "/" + p.APIVersion + "/" + p.PhoneNumberID + "/messages"
	bodies := heraldBodies(b, b.N)
	senders := []struct {
		name string
		send func() (time.Duration, error)
	}{
		{"store", func() (time.Duration, error) { return timeEngine(b, child, b.N, true) }},
		{"nostore", func() (time.Duration, error) { return timeEngine(b, child, b.N, false) }},
		{"bare", func() (time.Duration, error) {
			debug.FreeOSMemory()
			t0 := time.Now()
			err := postAll(target, p.AccessToken.Reveal(), b.N, func(i int) []byte { return bodies[i] })
			return time.Since(t0), err
		}},
	}
	rates := map[string][]float64{}
	var e2e, cost []float64
	b.ResetTimer()
	for r := 0; r < rounds; r++ {
		rate := map[string]float64{}
		for i := range senders {
			s := senders[(r+i)%len(senders)]
			wall, err := s.send()
			if err != nil {
				b.Fatalf("round %d, %s: %v", r+1, s.name, err)
			}
			rate[s.name] = float64(b.N) / wall.Seconds()
			rates[s.name] = append(rates[s.name], rate[s.name])
		}
		e2e = append(e2e, rate["store"]/rate["bare"])
		cost = append(cost, 100*(1-rate["store"]/rate["nostore"]))
		b.Logf("round %d: store %.0f, no store %.0f, bare %.0f msgs/s: e2e %.2f, store cost %.1f%%", r+1,
			rate["store"], rate["nostore"], rate["bare"], e2e[r], cost[r])
	}
	b.StopTimer()
	b.ReportMetric(median(e2e), "e2e")
	b.ReportMetric(median(cost), "store-cost-%")
	for _, s := range senders {
		b.ReportMetric(median(rates[s.name]), s.name+"-msgs/s")
	}
	b.ReportMetric(0, "ns/op")
}

// timeEngine sends n messages with benchEngine at 64 in flight, under herald's runtime settings, and returns
// the wall time of the send alone.
func timeEngine(b *testing.B, child *sandboxChild, n int, durable bool) (time.Duration, error) {
	defer campaign.TuneRuntime()()
	e, done := benchEngine(b, child, n, 64, durable)
	defer done()
	debug.FreeOSMemory()
	t0 := time.Now()
	err := runBenchEngine(e, n)
	return time.Since(t0), err
}

// median is the middle value of xs (the mean of the two middle ones for an even count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
