package store

import (
	"fmt"
	"testing"
	"time"

	"herald/campaign/status"
)

// TestUnmarkAfterItsMarkInOneBatch: a mark given back in the batch of its mark (the wait for the mark ended
// first) leaves the rows ready with their attempts as before; a row no longer in flight is left alone.
func TestUnmarkAfterItsMarkInOneBatch(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(4))
	j := s.OpenJournal(id, JournalOptions{})
	defer j.Close()
	if err := j.MarkInFlight(t.Context(), 4, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 4, Status: status.Sent, MessageID: "m.4", Attempts: 1})
	if err := j.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	batch := []journalOp{{kind: opMarkMany, marks: []Mark{{Row: 1, Attempt: 1}, {Row: 2, Attempt: 1}, {Row: 3, Attempt: 1}}},
		{kind: opUnmark, row: 1}, {kind: opUnmark, row: 2}, {kind: opUnmark, row: 4}}
	if err := j.commit(batch); err != nil { // the journal's goroutine is idle: nothing is queued
		t.Fatal(err)
	}
	want := map[int]string{1: "ready 0", 2: "ready 0", 3: "in_flight 1", 4: "sent 1"}
	checkStatusAttempts(t, s, id, want)
}

// checkStatusAttempts checks each row of want ("status attempts") against the store.
func checkStatusAttempts(t *testing.T, s *Store, id int64, want map[int]string) {
	t.Helper()
	for row, w := range want {
		var st string
		var attempts int
		if err := s.db.QueryRow(`SELECT status, attempts FROM rows WHERE campaign_id = ? AND row = ?`, id, row).
			Scan(&st, &attempts); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s %d", st, attempts); got != w {
			t.Errorf("row %d: %s, want %s", row, got, w)
		}
	}
}

// TestMarkEndsTheWaitForOutcomes: with a long MaxDelay, outcomes wait for more writes, but a mark (someone
// waits for it) commits at once, the outcomes queued before it with it.
func TestMarkEndsTheWaitForOutcomes(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	j := s.OpenJournal(id, JournalOptions{MaxDelay: time.Hour})
	defer j.Close()
	j.Record(Outcome{Row: 1, Status: status.Failed, Code: "131026", Error: "not on WhatsApp", Class: "permanent",
		Attempts: 1})
	done := make(chan error, 1)
	go func() { done <- j.MarkInFlight(t.Context(), 2, 1) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a mark waited for MaxDelay")
	}
	checkStatusAttempts(t, s, id, map[int]string{1: "failed 1", 2: "in_flight 1"})
}
