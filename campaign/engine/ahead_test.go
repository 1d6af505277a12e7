package engine

import (
	"context"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
)

// statusCounts reads every row of the campaign: how many have each status, and the attempts of each row.
func statusCounts(t *testing.T, st *store.Store, id int64) (map[string]int, map[int]int) {
	t.Helper()
	counts, attempts := map[string]int{}, map[int]int{}
	if err := st.EachRow(id, func(r store.Row) error {
		counts[r.Status]++
		attempts[r.Row] = r.Attempts
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return counts, attempts
}

func TestMarkAheadOnlyAtHighRates(t *testing.T) {
	for _, c := range []struct {
		rate       float64
		conc       int
		batching   bool
		want, most int
	}{
		{math.Inf(1), 64, false, 128, 320},
		{math.Inf(1), 16, false, 32, 80},
		{math.Inf(1), 100, false, 128, 356},
		{math.Inf(1), 256, false, 256, 768},
		{math.Inf(1), 64, true, 0, 64},
		{20000, 64, false, 128, 320},
		{5000, 64, false, 50, 164},
		{2000, 64, false, 20, 104},
		{1999, 64, false, 0, 64},
		{80, 8, false, 0, 8},
	} {
		if got := markAhead(c.rate, c.conc, c.batching); got != c.want {
			t.Errorf("markAhead(%v, %d, %v) = %d, want %d", c.rate, c.conc, c.batching, got, c.want)
		}
		if !c.batching {
			if got := MostInFlight(c.rate, c.conc); got != c.most {
				t.Errorf("MostInFlight(%v, %d) = %d, want %d", c.rate, c.conc, got, c.most)
			}
		}
	}
}

// TestMarkAheadGivesBackWhatDidNotLeave: a run stopped while rows are marked ahead in blocks leaves no row in
// flight: each row is sent (its request left) or ready again with no attempt counted.
func TestMarkAheadGivesBackWhatDidNotLeave(t *testing.T) {
	st, info, b := simCampaign(t, 400)
	var e *Engine
	var requests atomic.Int64
	prov := &simProvider{before: func(providers.Message) {
		if requests.Add(1) == 50 {
			e.Stop("stopped by the test")
		}
	}}
	e = New(st, info, b, prov, simOptions(math.Inf(1), 8))
	if e.opts.Rate != math.Inf(1) || markAhead(e.opts.Rate, 8, false) == 0 {
		t.Fatal("the run does not mark ahead: the test shows nothing")
	}
	snap, err := e.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	counts, attempts := statusCounts(t, st, info.ID)
	if counts[status.InFlight] != 0 || counts[status.Unknown] != 0 {
		t.Fatalf("after a stop: %v; no row may stay in flight", counts)
	}
	if int64(counts[status.Sent]) != requests.Load() || snap.Sent != requests.Load() {
		t.Fatalf("%d requests, %d rows sent, snapshot %d", requests.Load(), counts[status.Sent], snap.Sent)
	}
	if counts[status.Ready] != 400-int(requests.Load()) {
		t.Fatalf("statuses %v after %d requests", counts, requests.Load())
	}
	rows, err := st.ReadyRows(info.ID, 0, 400)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if attempts[r.Row] != 0 {
			t.Errorf("row %d is ready with %d attempts: its mark ahead was not given back", r.Row, attempts[r.Row])
		}
	}
}

// holdAtSlot is a guard that lets every row be handed out and then suppresses, when their slot comes, the
// numbers of odd rows.
type holdAtSlot struct {
	mu    sync.Mutex
	asked map[string]int
}

func (g *holdAtSlot) Hold(number string, _ time.Time) *guards.Hold {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked[number]++
	if g.asked[number] == 2 && number[len(number)-1]%2 == 1 {
		return &guards.Hold{Status: status.Suppressed, Code: "test_hold", Reason: "held at its slot by the test"}
	}
	return nil
}
func (g *holdAtSlot) Reserve(string, time.Time) (bool, bool, time.Time) {
	return false, true, time.Time{}
}
func (g *holdAtSlot) Release(string)         {}
func (g *holdAtSlot) Sent(string, time.Time) {}

// TestMarkAheadHeldAtSlot: a row marked ahead that its guard holds back at its slot is recorded held, with no
// attempt counted, and never sent.
func TestMarkAheadHeldAtSlot(t *testing.T) {
	st, info, b := simCampaign(t, 100)
	prov := &simProvider{}
	o := simOptions(math.Inf(1), 4)
	o.Guard = &holdAtSlot{asked: map[string]int{}}
	snap, err := New(st, info, b, prov, o).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	counts, attempts := statusCounts(t, st, info.ID)
	if counts[status.Sent] != 50 || counts[status.Suppressed] != 50 || snap.Sent != 50 || len(prov.times()) != 50 {
		t.Fatalf("statuses %v, snapshot sent %d, requests %d", counts, snap.Sent, len(prov.times()))
	}
	for row, n := range attempts {
		if want := 1 - row%2; n != want { // a number ends in its row's last digit: odd rows are held
			t.Errorf("row %d: %d attempts, want %d", row, n, want)
		}
	}
}

// TestUnlimitedRateSkipsTheLimiter: at an unlimited rate, set at the start or by the pacer returning to it,
// the limiter is rate.Inf, the value whose reservations cost nothing (rate.Limit(+Inf) is not it).
func TestUnlimitedRateSkipsTheLimiter(t *testing.T) {
	if got := limitOf(math.Inf(1)); got != rate.Inf {
		t.Fatalf("limitOf(+Inf) = %v, want rate.Inf", got)
	}
	if got := limitOf(80); got != 80 {
		t.Fatalf("limitOf(80) = %v", got)
	}
	l := rate.NewLimiter(limitOf(math.Inf(1)), Burst(math.Inf(1)))
	e := &Engine{limiter: l}
	at, cancel := e.reserve(3)
	if time.Since(at) > time.Second || reflect.ValueOf(cancel).Pointer() != reflect.ValueOf(noCancel).Pointer() {
		t.Fatal("an unlimited rate reserved tokens")
	}
}
