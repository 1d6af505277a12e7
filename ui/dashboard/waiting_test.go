package dashboard

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/ui/common"
)

// TestWaitingRowsAreReadInACommand: while rows wait, the rows are read from the store in a command, never
// on the tick itself: once at first, not again while a read is out, then every upcomingEvery ticks; and each
// row shows with when it goes.
func TestWaitingRowsAreReadInACommand(t *testing.T) {
	start := time.Date(2025, 4, 1, 3, 0, 0, 0, time.Local)
	next := start.Add(30 * time.Minute)
	s := engine.Snapshot{State: status.Running, Total: 22, Remaining: 19, Waiting: 19, WaitingUntil: next,
		WaitingFor: status.CodeSendWindow, Started: start, Elapsed: 12 * time.Second}
	var reads atomic.Int64
	read := func(limit int) (campaign.Upcoming, error) {
		reads.Add(1)
		u := campaign.Upcoming{Schedule: guards.NewSchedule(start, time.Local)}
		u.Schedule.Add(next, 19)
		u.Rows = []store.Row{{Row: 7, Number: "918123456926", Status: status.Deferred, Code: status.CodeSendWindow, NotBefore: next}}
		return u, nil
	}
	var w waitingList
	cmd := w.next(s, read)
	if cmd == nil || reads.Load() != 0 {
		t.Fatalf("first tick: command %v, %d reads on the tick itself", cmd != nil, reads.Load())
	}
	if w.next(s, read) != nil {
		t.Fatal("a second read went out while the first was out")
	}
	w.got(cmd().(upcomingMsg))
	if reads.Load() != 1 {
		t.Fatalf("%d reads, want 1", reads.Load())
	}
	for tick := 1; tick < upcomingEvery; tick++ {
		if w.next(s, read) != nil {
			t.Fatalf("tick %d after a read: another read", tick)
		}
	}
	if w.next(s, read) == nil {
		t.Fatalf("no read after %d ticks", upcomingEvery)
	}
	lines := strings.Join(w.lines(s, 76, common.New().Styles), "\n")
	if !strings.Contains(lines, "19 later today (from 03:30)") || !strings.Contains(lines, "row 7       +918123456926    03:30 · send window") {
		t.Errorf("the rows that wait:\n%s", lines)
	}
	if got := w.title(s, 76); got != "Waiting · 19 rows · the next at 03:30" {
		t.Errorf("title %q", got)
	}
	var idle waitingList
	if idle.next(engine.Snapshot{State: status.Running}, read) != nil || idle.show(engine.Snapshot{}) {
		t.Error("a run with nothing waiting reads or shows the rows that wait")
	}
}
