package guards

import (
	"fmt"
	"testing"
	"time"

	"herald/campaign/check"
	"herald/campaign/status"
)

// num is the i-th test number, a GB mobile.
func num(i int) string { return fmt.Sprintf("4474001%05d", i) }

// noteAt records a message to number at at.
func (l *Limit) noteAt(number string, at time.Time) {
	k, _ := numberKey(number)
	l.note(k, at.UnixMilli())
}

func TestLimitReserveReleaseAndAgeing(t *testing.T) {
	t0 := utc(2025, 1, 15, 12, 0)
	l := newLimit(3, "meta")
	l.noteAt(num(1), t0.Add(-20*time.Hour))
	l.noteAt(num(2), t0.Add(-10*time.Hour))
	l.noteAt(num(2), t0.Add(-30*time.Hour)) // an older message of the same number does not count
	l.noteAt(num(9), t0.Add(-25*time.Hour)) // out of the span
	if got := l.Used(t0); got != 2 {
		t.Fatalf("used %d, want 2", got)
	}
	if fresh, ok, _ := l.Reserve(num(1), t0); fresh || !ok {
		t.Fatalf("a number messaged in the span takes no new place: fresh %v ok %v", fresh, ok)
	}
	if fresh, ok, _ := l.Reserve(num(3), t0); !fresh || !ok {
		t.Fatalf("third place: fresh %v ok %v", fresh, ok)
	}
	fresh, ok, next := l.Reserve(num(4), t0)
	if fresh || ok || !next.Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("fourth number: fresh %v ok %v next %v, want refused until %v (num 1's message ages out)",
			fresh, ok, next, t0.Add(4*time.Hour))
	}
	l.Release(num(3))
	if _, ok, _ := l.Reserve(num(4), t0); !ok {
		t.Fatal("a released place is free again")
	}
	// num 4's message leaves an hour later: its place lasts 24 hours from then.
	l.Sent(num(4), t0.Add(time.Hour))
	if _, ok, _ := l.Reserve(num(5), t0.Add(4*time.Hour)); !ok {
		t.Fatal("num 1 aged out at t0+4h: its place is free")
	}
	if got := l.Used(t0.Add(24*time.Hour + 30*time.Minute)); got != 2 {
		t.Fatalf("at t0+24h30: used %d, want 2 (num 4 sent at t0+1h and num 5)", got)
	}
	if got := l.Used(t0.Add(28 * time.Hour)); got != 0 {
		t.Fatalf("at t0+28h: used %d, want 0", got)
	}
}

// TestLimitCheckSpreadsRowsOverTheDays checks the times the check gives the rows over the limit, by hand: a
// limit of 3 with 2 places taken (20 and 10 hours ago) lets one new number go now; the next rows take the
// places as they free, and a place taken again lasts another 24 hours.
func TestLimitCheckSpreadsRowsOverTheDays(t *testing.T) {
	t0 := utc(2025, 1, 15, 12, 0)
	l := newLimit(3, "meta")
	l.noteAt(num(1), t0.Add(-20*time.Hour)) // frees at t0+4h
	l.noteAt(num(2), t0.Add(-10*time.Hour)) // frees at t0+14h
	guard := l.checkGuard(t0)
	want := []struct {
		number string
		at     time.Time // zero: ready now
	}{
		{num(2), time.Time{}},            // messaged in the span: no new place
		{num(3), time.Time{}},            // the third place
		{num(4), t0.Add(4 * time.Hour)},  // num 1's place
		{num(5), t0.Add(14 * time.Hour)}, // num 2's place
		{num(6), t0.Add(24 * time.Hour)}, // num 3's place (taken now)
		{num(7), t0.Add(28 * time.Hour)}, // num 4's place again, 24 hours after num 4 takes it
		{num(8), t0.Add(38 * time.Hour)},
		{num(9), t0.Add(48 * time.Hour)},
	}
	for _, w := range want {
		r := &check.Row{Number: w.number, Status: status.Ready}
		guard(r)
		switch {
		case w.at.IsZero() && r.Status != status.Ready:
			t.Errorf("+%s: %s %v, want ready", w.number, r.Status, r.Problem)
		case !w.at.IsZero() && (r.Status != status.Deferred || r.Problem.Code != status.CodeMessagingLimit ||
			!r.NotBefore.Equal(w.at)):
			t.Errorf("+%s: %s until %v, want deferred (messaging_limit) until %v", w.number, r.Status, r.NotBefore, w.at)
		}
	}
}

// TestLimitConcurrent reserves from many goroutines: never more places than the limit.
func TestLimitConcurrent(t *testing.T) {
	t0 := utc(2025, 1, 15, 12, 0)
	l := newLimit(250, "meta")
	done := make(chan int)
	for g := 0; g < 8; g++ {
		go func(g int) {
			got := 0
			for i := 0; i < 100; i++ {
				if fresh, ok, _ := l.Reserve(num(g*100+i), t0); ok && fresh {
					got++
				}
			}
			done <- got
		}(g)
	}
	total := 0
	for g := 0; g < 8; g++ {
		total += <-done
	}
	if total != 250 || l.Used(t0) != 250 {
		t.Fatalf("%d places taken (used %d), want 250", total, l.Used(t0))
	}
}
