package store

import (
	"testing"
	"time"

	"herald/campaign/status"
)

// TestScheduledRowsCountWhenTheyGo records a row sent to go in three days (a provider's sendAt) beside one sent
// at once: the scheduled row keeps its time, and the guards of a later run read it as messaged then, although
// the campaign was last updated now.
func TestScheduledRowsCountWhenTheyGo(t *testing.T) {
	s := newTestStore(t)
	now := time.Now().Truncate(time.Millisecond)
	later := now.Add(72 * time.Hour)
	id := plan(t, s, testInfo("c", "fp"), readyRows(3))
	j := s.OpenJournal(id, JournalOptions{Now: func() time.Time { return now }})
	for row := 1; row <= 3; row++ {
		if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
			t.Fatal(err)
		}
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m1", Code: status.CodeScheduled, Error: "goes later",
		Attempts: 1, NotBefore: later})
	j.Record(Outcome{Row: 2, Status: status.Sent, MessageID: "m2", Attempts: 1})
	j.Record(Outcome{Row: 3, Status: status.Failed, Code: "x", Attempts: 1, NotBefore: later}) // a time on a failure is dropped
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCampaignStatus(id, status.Finished, ""); err != nil {
		t.Fatal(err)
	}
	rows := allRows(t, s, id)
	if r := rows[1]; r.Status != status.Sent || !r.NotBefore.Equal(later) || r.Code != status.CodeScheduled || r.MessageID != "m1" {
		t.Errorf("the scheduled row: %+v", r)
	}
	if r := rows[2]; r.Status != status.Sent || !r.NotBefore.IsZero() {
		t.Errorf("the row sent at once: %+v", r)
	}
	read := func(since time.Time) map[string]time.Time {
		got := map[string]time.Time{}
		if err := s.MessagedSince(MessagedFilter{Since: since}, func(number string, at time.Time) error {
			got[number] = at
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	n := func(row int) string { return readyRows(row)[row-1].Number }
	if got := read(now.Add(-time.Hour)); len(got) != 2 || !got[n(1)].Equal(later) || !got[n(2)].Equal(now) {
		t.Errorf("messaged since an hour ago: %v, want row 1 at %v and row 2 at %v", got, later, now)
	}
	if got := read(now.Add(48 * time.Hour)); len(got) != 1 || !got[n(1)].Equal(later) {
		t.Errorf("messaged since two days from now: %v, want row 1 at %v", got, later)
	}
	if got := read(later.Add(time.Millisecond)); len(got) != 0 {
		t.Errorf("messaged after the scheduled time: %v, want none", got)
	}
}
