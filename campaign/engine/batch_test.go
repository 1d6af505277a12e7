package engine

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"herald/campaign/status"
	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
)

// simBatcher is a provider that takes lists, simulated in virtual time: each request is answered after latency;
// refuse, when set, decides each recipient's outcome (nil: taken), and whole a whole request's.
type simBatcher struct {
	latency time.Duration
	max     int
	refuse  func(to string, attempt int) error
	whole   func(to []string) error
	before  func(msg providers.Message, to []string)

	mu       sync.Mutex
	requests []simRequest
	tries    map[string]int
}

// simRequest is one request the simBatcher received: when, and for whom.
type simRequest struct {
	at time.Time
	to []string
}

func (p *simBatcher) MaxBatch() int { return p.max }

func (p *simBatcher) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	res, err := p.SendBatch(ctx, msg, []string{msg.To})
	if err != nil {
		return providers.Receipt{}, err
	}
	return res[0].Receipt, res[0].Err
}

func (p *simBatcher) SendBatch(ctx context.Context, msg providers.Message, to []string) ([]providers.BatchResult, error) {
	if p.before != nil {
		p.before(msg, to)
	}
	p.mu.Lock()
	p.requests = append(p.requests, simRequest{at: time.Now(), to: append([]string(nil), to...)})
	if p.tries == nil {
		p.tries = map[string]int{}
	}
	attempts := make([]int, len(to))
	for i, n := range to {
		p.tries[n]++
		attempts[i] = p.tries[n]
	}
	p.mu.Unlock()
	select {
	case <-time.After(p.latency):
	case <-ctx.Done():
		return nil, &providers.Error{Class: providers.ClassUnknown, Code: "timeout", Err: ctx.Err()}
	}
	if p.whole != nil {
		if err := p.whole(to); err != nil {
			return nil, err
		}
	}
	out := make([]providers.BatchResult, len(to))
	for i, n := range to {
		if p.refuse != nil {
			if err := p.refuse(n, attempts[i]); err != nil {
				out[i].Err = err
				continue
			}
		}
		out[i].Receipt = providers.Receipt{MessageID: "id-" + n}
	}
	return out, nil
}

func (p *simBatcher) Close() error { return nil }

// sizes returns the number of recipients of each request, in order.
func (p *simBatcher) sizes() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]int, len(p.requests))
	for i, r := range p.requests {
		out[i] = len(r.to)
	}
	return out
}

// simRows stores n ready rows whose name cell is name(i) and returns the store, the campaign and its binding.
func simRows(t *testing.T, n int, name func(i int) string) (*store.Store, store.CampaignInfo, *template.Binding) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	info := store.CampaignInfo{Name: "sim", Template: "sim", Fingerprint: "fp", Header: []string{"phone", "name"}}
	l, err := st.LoadRows(info)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		num := fmt.Sprintf("4474%08d", i)
		if err := l.Add(store.NewRow{Row: i, Number: num, Status: status.Ready, Fields: []string{num, name(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Finish(); err != nil {
		t.Fatal(err)
	}
	info, _, err = st.Campaign("sim")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse([]byte("name: sim\nlanguage: en\nbody: \"Hi {{name}}\"\n"), "sim.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := tpl.Bind(info.Header)
	if err != nil {
		t.Fatal(err)
	}
	return st, info, b
}

// rowsOf reads every row of the campaign, by row number.
func rowsOf(t *testing.T, st *store.Store, id int64) map[int]store.Row {
	t.Helper()
	rows := map[int]store.Row{}
	if err := st.EachRow(id, func(r store.Row) error { rows[r.Row] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBatchPacing: with a provider taking 50 recipients a request, 2,000 rows of one message at --rate 100 go
// in 40 requests, each row with its own message id; --rate counts messages, so a request of 50 leaves every half
// second and the run takes 20 s of virtual time, within 2%.
func TestBatchPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, rate, size = 2000, 100.0, 50
		st, info, b := simCampaign(t, n)
		prov := &simBatcher{latency: 40 * time.Millisecond, max: size}
		start := time.Now()
		snap, err := New(st, info, b, prov, simOptions(rate, 4)).Run(context.Background())
		if err != nil || snap.Sent != n {
			t.Fatalf("sent %d of %d: %v (%s)", snap.Sent, n, err, snap.Reason)
		}
		sizes := prov.sizes()
		if len(sizes) != n/size {
			t.Fatalf("%d requests (%v), want %d", len(sizes), sizes, n/size)
		}
		for i, s := range sizes {
			if s != size {
				t.Fatalf("request %d carried %d recipients, want %d", i, s, size)
			}
		}
		// The first request leaves once its 50 tokens are there, the last after 2,000: (n-1)/rate seconds.
		first, last := prov.requests[0].at, prov.requests[len(prov.requests)-1].at
		if got, want := last.Sub(first).Seconds(), float64(n-size)/rate; math.Abs(got/want-1) > 0.02 {
			t.Errorf("requests spread over %.2f s, want %.2f s (messages at %v/s)", got, want, rate)
		}
		// No second carries more messages than the rate allows, give or take the batch that straddles its edge
		// (a request may leave a little late, after a slow commit, and the next on time).
		busiest := 0
		for i, a := range prov.requests {
			msgs := 0
			for _, b := range prov.requests[i:] {
				if b.at.Sub(a.at) >= time.Second {
					break
				}
				msgs += len(b.to)
			}
			busiest = max(busiest, msgs)
		}
		if busiest > int(rate)+size {
			t.Errorf("%d messages left within one second at %v/s (at most %d)", busiest, rate, int(rate)+size)
		}
		t.Logf("%d rows in %d requests over %v", n, len(sizes), time.Since(start))
		for row, r := range rowsOf(t, st, info.ID) {
			if r.Status != status.Sent || r.MessageID != "id-"+r.Number || r.Attempts != 1 {
				t.Fatalf("row %d: %+v, want sent with its own id", row, r)
			}
		}
	})
}

// TestBatchOnlyIdenticalMessages: rows whose messages differ are never grouped: a personalised template goes
// one request a row through Send, and consecutive runs of one message are grouped up to the batch size.
func TestBatchOnlyIdenticalMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		names := func(i int) string {
			return []string{"Ann", "Ann", "Ann", "Bob", "Bob", "Ann", "Cy", "Cy", "Cy", "Cy", "Cy"}[i-1]
		}
		st, info, b := simRows(t, 11, names)
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 3}
		seen := map[string]string{}
		var mu sync.Mutex
		prov.before = func(msg providers.Message, to []string) {
			mu.Lock()
			defer mu.Unlock()
			for _, n := range to {
				seen[n] = msg.Body[0].Text
			}
		}
		snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 1)).Run(context.Background())
		if err != nil || snap.Sent != 11 {
			t.Fatalf("sent %d: %v", snap.Sent, err)
		}
		if got, want := fmt.Sprint(prov.sizes()), "[3 2 1 3 2]"; got != want {
			t.Errorf("request sizes %s, want %s (Ann×3, Bob×2, Ann, Cy×3, Cy×2)", got, want)
		}
		for i := 1; i <= 11; i++ {
			if num := fmt.Sprintf("4474%08d", i); seen[num] != names(i) {
				t.Errorf("row %d got %q, want %q", i, seen[num], names(i))
			}
		}
	})
}

// TestBatchPartlyRefused: a batch of which the provider refuses some recipients fails those rows only, retries
// a recipient refused for a passing reason alone, and records every other row sent with its own id.
func TestBatchPartlyRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 10)
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 10, refuse: func(to string, attempt int) error {
			switch {
			case strings.HasSuffix(to, "03"):
				return &providers.Error{Class: providers.ClassPermanent, Code: "108", Message: "bad number"}
			case strings.HasSuffix(to, "07") && attempt == 1:
				return &providers.Error{Class: providers.ClassRetryable, Code: "500", Message: "busy"}
			}
			return nil
		}}
		snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 2)).Run(context.Background())
		if err != nil || snap.Sent != 9 || snap.Failed != 1 {
			t.Fatalf("sent %d failed %d: %v", snap.Sent, snap.Failed, err)
		}
		if got := fmt.Sprint(prov.sizes()); got != "[10 1]" {
			t.Errorf("requests %s, want [10 1]: the batch, then the retried row alone", got)
		}
		rows := rowsOf(t, st, info.ID)
		if r := rows[3]; r.Status != status.Failed || r.Code != "108" || r.Attempts != 1 {
			t.Errorf("row 3: %+v, want failed 108", r)
		}
		if r := rows[7]; r.Status != status.Sent || r.Attempts != 2 || r.MessageID != "id-447400000007" {
			t.Errorf("row 7: %+v, want sent on its second attempt", r)
		}
		for _, row := range []int{1, 2, 4, 5, 6, 8, 9, 10} {
			if r := rows[row]; r.Status != status.Sent || r.MessageID != "id-"+r.Number || r.Attempts != 1 {
				t.Errorf("row %d: %+v, want sent with its own id", row, r)
			}
		}
	})
}

// TestBatchRefusedAsAWhole: a request refused as a whole for a permanent reason (EngageLab's 3003 for one bad
// number) sent nothing, so its rows go again in halves, until the row at fault is alone: only it fails, and the
// requests that found it do not count against MaxAttempts.
func TestBatchRefusedAsAWhole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 5)
		bad := "447400000004"
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 5, whole: func(to []string) error {
			for _, n := range to {
				if n == bad {
					return &providers.Error{Class: providers.ClassPermanent, Code: "3003", Message: "to[3] is invalid"}
				}
			}
			return nil
		}}
		snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 1)).Run(context.Background())
		if err != nil || snap.Sent != 4 || snap.Failed != 1 {
			t.Fatalf("sent %d failed %d: %v", snap.Sent, snap.Failed, err)
		}
		// 1-5 refused; 1-2 sent; 3-5 refused; 3 sent; 4-5 refused; 4 refused alone; 5 sent.
		if got := fmt.Sprint(prov.sizes()); got != "[5 2 3 1 2 1 1]" {
			t.Errorf("requests %s, want the batch, then halves down to the row at fault", got)
		}
		rows := rowsOf(t, st, info.ID)
		if r := rows[4]; r.Status != status.Failed || r.Code != "3003" || r.Attempts != 4 {
			t.Errorf("row 4: %+v, want failed 3003 after 4 requests", r)
		}
		if r := rows[1]; r.Status != status.Sent || r.Attempts != 2 {
			t.Errorf("row 1: %+v, want sent by the first half", r)
		}
	})
}

// TestBatchRowsInFlightBeforeTheRequestLeaves: at every batch request the provider receives, each of its rows is
// already recorded in flight, committed, as another connection sees it.
func TestBatchRowsInFlightBeforeTheRequestLeaves(t *testing.T) {
	st, info, b := simCampaign(t, 120)
	reader, err := store.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var mu sync.Mutex
	checked := 0
	prov := &simBatcher{max: 50, before: func(_ providers.Message, to []string) {
		want := map[string]bool{}
		for _, n := range to {
			want[n] = true
		}
		err := reader.EachRow(info.ID, func(r store.Row) error {
			if want[r.Number] {
				mu.Lock()
				checked++
				mu.Unlock()
				if r.Status != status.InFlight || r.Attempts != 1 {
					t.Errorf("row %d is %s with %d attempts when its batch leaves, want in_flight", r.Row, r.Status, r.Attempts)
				}
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}}
	snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 2)).Run(context.Background())
	if err != nil || snap.Sent != 120 || checked != 120 {
		t.Fatalf("sent %d, checked %d: %v", snap.Sent, checked, err)
	}
	if got := fmt.Sprint(prov.sizes()); got != "[50 50 20]" && got != "[50 20 50]" {
		t.Errorf("requests %s, want 50, 50 and 20 recipients", got)
	}
}

// TestMaxBatchOneTurnsBatchingOff: Options.MaxBatch 1 sends one row a request even to a provider that takes lists.
func TestMaxBatchOneTurnsBatchingOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 6)
		prov := &simBatcher{latency: time.Millisecond, max: 100}
		o := simOptions(math.Inf(1), 2)
		o.MaxBatch = 1
		if snap, err := New(st, info, b, prov, o).Run(context.Background()); err != nil || snap.Sent != 6 {
			t.Fatalf("sent %d: %v", snap.Sent, err)
		}
		if got := fmt.Sprint(prov.sizes()); got != "[1 1 1 1 1 1]" {
			t.Errorf("requests %s, want one row each", got)
		}
	})
}

// TestBatchWholeRequestClasses: a batch answered "too fast" as a whole is sent again as a whole after the
// provider's Retry-After, and the pace comes down; a fatal answer stops the run with every row of it ready.
func TestBatchWholeRequestClasses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 20)
		calls := 0
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 20, whole: func([]string) error {
			if calls++; calls == 1 {
				return &providers.Error{Class: providers.ClassRateLimited, Code: "429", RetryAfter: 3 * time.Second}
			}
			return nil
		}}
		start := time.Now()
		e := New(st, info, b, prov, simOptions(100, 1))
		snap, err := e.Run(context.Background())
		if err != nil || snap.Sent != 20 || snap.RateLimited != 1 || snap.TargetRate >= 100 {
			t.Fatalf("sent %d, rate-limited %d, target %v: %v", snap.Sent, snap.RateLimited, snap.TargetRate, err)
		}
		if got := fmt.Sprint(prov.sizes()); got != "[20 20]" || time.Since(start) < 3*time.Second {
			t.Errorf("requests %s after %v, want the batch twice, 3 s apart at least", got, time.Since(start))
		}
		for row, r := range rowsOf(t, st, info.ID) {
			if r.Status != status.Sent || r.Attempts != 2 {
				t.Errorf("row %d: %+v, want sent on its second attempt", row, r)
			}
		}
	})
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 20)
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 10, whole: func([]string) error {
			return &providers.Error{Class: providers.ClassFatal, Code: "110", Message: "balance too low"}
		}}
		snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 1)).Run(context.Background())
		if err != nil || snap.State != status.Stopped || !strings.Contains(snap.Reason, "110") {
			t.Fatalf("state %s (%s): %v, want stopped naming 110", snap.State, snap.Reason, err)
		}
		for row, r := range rowsOf(t, st, info.ID) {
			if r.Status != status.Ready {
				t.Errorf("row %d: %+v, want ready for a resume", row, r)
			}
		}
	})
}

// TestBatchHalvingFindsTheRowsAtFault: a batch of 1,000 with two bad numbers is resent in halves: about
// 2·log2(1000) requests per bad row, not 1,000, and only the two rows fail, though their requests outnumber
// MaxAttempts.
func TestBatchHalvingFindsTheRowsAtFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, info, b := simCampaign(t, 1000)
		bad := map[string]bool{"447400000123": true, "447400000877": true}
		prov := &simBatcher{latency: 10 * time.Millisecond, max: 1000, whole: func(to []string) error {
			for _, n := range to {
				if bad[n] {
					return &providers.Error{Class: providers.ClassPermanent, Code: "3003", Message: n + " is invalid"}
				}
			}
			return nil
		}}
		snap, err := New(st, info, b, prov, simOptions(math.Inf(1), 1)).Run(context.Background())
		if err != nil || snap.Sent != 998 || snap.Failed != 2 {
			t.Fatalf("sent %d failed %d: %v", snap.Sent, snap.Failed, err)
		}
		if n := len(prov.sizes()); n > 45 {
			t.Errorf("%d requests to find 2 bad rows among 1,000, want about 2·2·log2(1000)", n)
		}
		for _, r := range rowsOf(t, st, info.ID) {
			if bad[r.Number] != (r.Status == status.Failed) || (bad[r.Number] && !strings.Contains(r.Error, "is invalid")) {
				t.Errorf("row %d: %+v", r.Row, r)
			}
		}
	})
}

// TestBatchHeldByTheRateIsShown: at a low rate a request of many recipients waits until the rate allows them
// all, with nothing in flight; the snapshot says how many wait and when their request leaves, then nothing once
// it left.
func TestBatchHeldByTheRateIsShown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, rate = 200, 20.0
		st, info, b := simCampaign(t, n)
		prov := &simBatcher{latency: 10 * time.Millisecond, max: n}
		eng := New(st, info, b, prov, simOptions(rate, 1))
		start := time.Now()
		done := make(chan Snapshot)
		go func() {
			snap, err := eng.Run(context.Background())
			if err != nil {
				t.Error(err)
			}
			done <- snap
		}()
		time.Sleep(2 * time.Second) // virtual: the batch is waiting for its tokens
		s := eng.Snapshot()
		if s.Batched != n || s.InFlight != 0 || s.Sent != 0 {
			t.Fatalf("after 2 s: batched %d, in flight %d, sent %d; want %d waiting for the rate", s.Batched,
				s.InFlight, s.Sent, n)
		}
		if got, want := s.BatchedUntil.Sub(start).Seconds(), float64(n)/rate; math.Abs(got-want) > 0.5 {
			t.Errorf("the batch leaves %.2f s after the start, want about %.1f s", got, want)
		}
		final := <-done
		if final.Sent != n || final.Batched != 0 || !final.BatchedUntil.IsZero() {
			t.Fatalf("at the end: sent %d, batched %d until %v; want all sent and nothing held", final.Sent,
				final.Batched, final.BatchedUntil)
		}
	})
}
