package store

import (
	"sort"
	"strings"
	"testing"
	"time"

	"herald/campaign/status"
)

// t0 is a fixed time the guard tests count from.
var t0 = time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)

// deferredRows are rows 1..5: 1 ready, 2..4 deferred to t0+3h, t0+1h, t0+1h, 5 suppressed.
func deferredRows() []NewRow {
	rows := readyRows(5)
	for i, at := range map[int]time.Time{1: t0.Add(3 * time.Hour), 2: t0.Add(time.Hour), 3: t0.Add(time.Hour)} {
		rows[i].Status, rows[i].NotBefore, rows[i].Code = status.Deferred, at, status.CodeSendWindow
	}
	rows[3].Code = status.CodeMessagingLimit
	rows[4].Status, rows[4].Code, rows[4].Error = status.Suppressed, status.CodeFrequencyCap, "capped"
	return rows
}

func TestDeferredRowsInTimeOrder(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), deferredRows())
	if got := mustCounts(t, s, id); got[status.Deferred] != 3 || got[status.Suppressed] != 1 || got[status.Ready] != 1 {
		t.Fatalf("counts %v", got)
	}
	rows := allRows(t, s, id)
	if !rows[2].NotBefore.Equal(t0.Add(3*time.Hour)) || !rows[1].NotBefore.IsZero() {
		t.Fatalf("stored times: %+v", rows)
	}

	// Nothing is due before t0+1h; at t0+1h rows 3 and 4, in row order; the cursor then moves past them.
	var cur DeferredCursor
	if due, err := s.DueRows(id, t0, cur, 10); err != nil || len(due) != 0 {
		t.Fatalf("due at t0: %v %v", due, err)
	}
	at, code, ok, err := s.NextDeferred(id, cur)
	if err != nil || !ok || !at.Equal(t0.Add(time.Hour)) || code != status.CodeSendWindow {
		t.Fatalf("next: %v %q %v %v", at, code, ok, err)
	}
	due, err := s.DueRows(id, t0.Add(time.Hour), cur, 1)
	if err != nil || len(due) != 1 || due[0].Row != 3 {
		t.Fatalf("first page at t0+1h: %+v %v", due, err)
	}
	cur = DeferredCursor{At: due[0].NotBefore, Row: due[0].Row}
	due, err = s.DueRows(id, t0.Add(2*time.Hour), cur, 10)
	if err != nil || len(due) != 1 || due[0].Row != 4 {
		t.Fatalf("second page: %+v %v", due, err)
	}
	cur = DeferredCursor{At: due[0].NotBefore, Row: due[0].Row}
	at, code, ok, err = s.NextDeferred(id, cur)
	if err != nil || !ok || !at.Equal(t0.Add(3*time.Hour)) || code != status.CodeSendWindow {
		t.Fatalf("next after the cursor: %v %q %v %v", at, code, ok, err)
	}

	// The journal sends row 3 (a deferred row may be marked in flight) and defers row 4 again.
	j := s.OpenJournal(id, JournalOptions{Now: func() time.Time { return t0.Add(time.Hour) }})
	if err := j.MarkInFlight(t.Context(), 3, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 3, Status: status.Sent, MessageID: "m3", Attempts: 1})
	j.Record(Outcome{Row: 4, Status: status.Deferred, Code: status.CodeSendWindow, Error: "later",
		NotBefore: t0.Add(26 * time.Hour)})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	rows = allRows(t, s, id)
	if rows[3].Status != status.Sent || rows[4].Status != status.Deferred || !rows[4].NotBefore.Equal(t0.Add(26*time.Hour)) {
		t.Fatalf("after the journal: %+v / %+v", rows[3], rows[4])
	}
	at, _, ok, _ = s.NextDeferred(id, cur)
	if !ok || !at.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("row 2 is next: %v %v", at, ok)
	}
	at, _, ok, _ = s.NextDeferred(id, DeferredCursor{At: t0.Add(3 * time.Hour), Row: 2})
	if !ok || !at.Equal(t0.Add(26*time.Hour)) {
		t.Fatalf("row 4, deferred again, comes after the cursor: %v %v", at, ok)
	}

	j = s.OpenJournal(id, JournalOptions{})
	j.Record(Outcome{Row: 5, Status: status.Deferred, Code: status.CodeSendWindow}) // no time: refused
	if err := j.Close(); err == nil || !strings.Contains(err.Error(), "deferred without the time") {
		t.Fatalf("a deferral without its time: %v", err)
	}

	// Counts per span, and per code.
	n, first, err := s.CountDeferred(id, t0, t0.Add(24*time.Hour))
	if err != nil || n != 1 || !first.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("today: %d from %v, %v", n, first, err)
	}
	if n, first, _ = s.CountDeferred(id, t0.Add(24*time.Hour), time.Time{}); n != 1 || !first.Equal(t0.Add(26*time.Hour)) {
		t.Fatalf("later: %d from %v", n, first)
	}
	if n, _, _ = s.CountDeferred(id, t0.Add(48*time.Hour), time.Time{}); n != 0 {
		t.Fatalf("after two days: %d", n)
	}
	if n, err := s.CountDeferredFor(id, status.CodeSendWindow); err != nil || n != 2 {
		t.Fatalf("deferred for the window: %d %v", n, err)
	}

	// Without the guard, the rows deferred for it are ready again.
	if n, err := s.ReleaseDeferred(id, status.CodeSendWindow); err != nil || n != 2 {
		t.Fatalf("released %d, %v", n, err)
	}
	if got := mustCounts(t, s, id); got[status.Deferred] != 0 || got[status.Ready] != 3 {
		t.Fatalf("after the release: %v", got)
	}
}

func TestLoaderRefusesDeferredWithoutTime(t *testing.T) {
	s := newTestStore(t)
	p, err := s.LoadRows(testInfo("c", "fp"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	err = p.Add(NewRow{Row: 1, Number: "447911000001", Status: status.Deferred})
	if err == nil || !strings.Contains(err.Error(), "needs the time") {
		t.Fatalf("deferred without time: %v", err)
	}
}

// TestMessagedSince reads the numbers messaged since a time across campaigns: by profile, leaving one
// campaign out, from an earlier plan's numbers too, never the failed ones.
func TestMessagedSince(t *testing.T) {
	s := newTestStore(t)
	send := func(name, profile string, rows int, at time.Time, outcome func(row int) string) int64 {
		info := testInfo(name, "fp-"+name)
		info.Profile = profile
		id := plan(t, s, info, readyRows(rows))
		j := s.OpenJournal(id, JournalOptions{Now: func() time.Time { return at }})
		for row := 1; row <= rows; row++ {
			if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
				t.Fatal(err)
			}
			if st := outcome(row); st != status.InFlight {
				j.Record(Outcome{Row: row, Status: st, Attempts: 1})
			}
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCampaignStatus(id, status.Finished, ""); err != nil {
			t.Fatal(err)
		}
		return id
	}
	sent := func(int) string { return status.Sent }
	send("old", "meta", 2, t0.Add(-48*time.Hour), sent)
	send("a", "meta", 3, t0.Add(-2*time.Hour), func(row int) string {
		return []string{"", status.Sent, status.Failed, status.InFlight}[row]
	})
	send("b", "itnio", 4, t0.Add(-time.Hour), func(row int) string {
		return []string{"", status.Unknown, status.Sent, status.Sent, status.Sent}[row]
	})
	// Campaign a is planned again from another CSV: its messaged numbers move to prior_numbers.
	infoA := testInfo("a", "fp-a2")
	infoA.Profile = "meta"
	plan(t, s, infoA, []NewRow{{Row: 1, Number: "447911999999", Status: status.Ready}})

	read := func(f MessagedFilter) []string {
		var got []string
		err := s.MessagedSince(f, func(number string, at time.Time) error {
			got = append(got, number+"@"+at.Sub(t0).String())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		return got
	}
	n := func(row int) string { return readyRows(row)[row-1].Number }
	all := read(MessagedFilter{Since: t0.Add(-24 * time.Hour)})
	want := []string{n(1) + "@-1h0m0s", n(1) + "@-2h0m0s", n(2) + "@-1h0m0s", n(3) + "@-1h0m0s",
		n(3) + "@-2h0m0s", n(4) + "@-1h0m0s"}
	if strings.Join(all, " ") != strings.Join(want, " ") {
		t.Errorf("every campaign:\n got %v\nwant %v", all, want)
	}
	if got := read(MessagedFilter{Since: t0.Add(-24 * time.Hour), Profile: "meta"}); strings.Join(got, " ") !=
		n(1)+"@-2h0m0s "+n(3)+"@-2h0m0s" {
		t.Errorf("profile meta: %v", got)
	}
	if got := read(MessagedFilter{Since: t0.Add(-24 * time.Hour), ExceptCampaign: "b"}); len(got) != 2 {
		t.Errorf("all but b: %v", got)
	}
	if got := read(MessagedFilter{Since: t0.Add(-72 * time.Hour), Profile: "meta"}); len(got) != 4 {
		t.Errorf("three days of meta: %v", got)
	}
}
