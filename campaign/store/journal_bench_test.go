//go:build unix

package store

import (
	"fmt"
	"herald/campaign/internal/cputime"
	"herald/campaign/status"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// benchRows yields n ready rows shaped like a real campaign: a number, in no particular order, and four short
// cells.
func benchRows(n int, fn func(NewRow) error) error {
	fields := make([]string, 5)
	for i := 1; i <= n; i++ {
		number := "4479" + strconv.Itoa(10_000_000+i*7_919%90_000_000)
		fields[0], fields[1], fields[2], fields[3], fields[4] = number, "Margaret", "SPRING-"+strconv.Itoa(i),
			"15%", "2026-04-30"
		if err := fn(NewRow{Row: i, Number: number, Status: status.Ready, Fields: fields}); err != nil {
			return err
		}
	}
	return nil
}

// planBenchRows plans n rows of benchRows into s as campaign "c" and returns its id.
func planBenchRows(b *testing.B, s *Store, n int) int64 {
	b.Helper()
	p, err := s.LoadRows(testInfo("c", "fp"))
	if err != nil {
		b.Fatal(err)
	}
	if err := benchRows(n, p.Add); err != nil {
		b.Fatal(err)
	}
	if _, err := p.Finish(); err != nil {
		b.Fatal(err)
	}
	c, _, err := s.Campaign("c")
	if err != nil {
		b.Fatal(err)
	}
	return c.ID
}

// BenchmarkPlan plans 1,000,000 rows per iteration: go test -run '^$' -bench BenchmarkPlan -benchtime 1x.
func BenchmarkPlan(b *testing.B) {
	const rows = 1_000_000
	for range b.N {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "herald.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		planBenchRows(b, s, rows)
		b.StopTimer()
		s.Close()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkJournal measures MarkInFlight+Record pairs from 16, 64 and 256 concurrent callers:
// go test -run '^$' -bench BenchmarkJournal -benchtime 50000x. Each pair records a message id of its own, random
// as a provider's are (one id shared by every pair made the index of ids an append, and the journal look 40%
// cheaper). Commits are synchronous=FULL, as in production.
func BenchmarkJournal(b *testing.B) {
	for _, callers := range []int{16, 64, 256} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			benchJournal(b, "FULL", callers)
		})
	}
}

// messageIDs returns n+1 distinct message ids shaped like the sandbox's wamids ("wamid." and 24 random hex
// digits), the same ones every run; index 0 is unused.
func messageIDs(n int) []string {
	rng := rand.New(rand.NewPCG(16, 64))
	ids := make([]string, n+1)
	for i := range ids {
		ids[i] = fmt.Sprintf("wamid.%016x%08x", rng.Uint64(), uint32(rng.Uint64()))
	}
	return ids
}

func benchJournal(b *testing.B, synchronous string, callers int) {
	s, err := openStore(filepath.Join(b.TempDir(), "herald.db"), storeOptions{synchronous: synchronous})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id := planBenchRows(b, s, b.N)
	ids := messageIDs(b.N)
	var commits atomic.Int64
	j := s.OpenJournal(id, JournalOptions{afterCommit: func(int) { commits.Add(1) }})
	var next atomic.Int64
	var wg sync.WaitGroup
	cpu := cputime.Used(b)
	b.ResetTimer()
	for range callers {
		wg.Go(func() {
			for row := int(next.Add(1)); row <= b.N; row = int(next.Add(1)) {
				if err := j.MarkInFlight(b.Context(), row, 1); err != nil {
					b.Error(err)
					return
				}
				j.Record(Outcome{Row: row, Status: status.Sent, MessageID: ids[row], Attempts: 1})
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	used := cputime.Used(b) - cpu
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(float64(used.Milliseconds())*10_000/float64(b.N), "cpu-ms/10k-pairs")
	b.ReportMetric(float64(b.N)/float64(commits.Load()), "pairs/commit")
}

// BenchmarkReadyRows reads a campaign's 30,000 ready rows in the feeder's pages of 1,000, as a send does:
// go test -run '^$' -bench BenchmarkReadyRows ./campaign/store/ (ns/op is per row).
func BenchmarkReadyRows(b *testing.B) {
	const rows, page = 30_000, 1000
	s, err := Open(filepath.Join(b.TempDir(), "herald.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id := planBenchRows(b, s, rows)
	b.ReportAllocs()
	b.ResetTimer()
	after, read := 0, 0
	for read < b.N {
		got, err := s.ReadyRows(id, after, page)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) == 0 {
			after = 0
			continue
		}
		after, read = got[len(got)-1].Row, read+len(got)
	}
}
