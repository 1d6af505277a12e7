package store

import (
	"path/filepath"
	"testing"
	"time"

	"herald/campaign/status"
)

// TestOnlyCommitsSomeoneWaitsForAreDurable: a mark commits with the store's FULL setting, outcomes alone with
// NORMAL; a flush with nothing to write makes them durable by a FULL commit of its own, and the connection
// goes back to the pool with FULL.
func TestOnlyCommitsSomeoneWaitsForAreDurable(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(3))
	normal := make(chan bool, 10)
	var j *Journal
	j = s.OpenJournal(id, JournalOptions{beforeCommit: func() { normal <- j.conn.normal }})
	if err := j.MarkInFlight(t.Context(), 1, 1); err != nil {
		t.Fatal(err)
	}
	if <-normal {
		t.Fatal("a mark was committed with synchronous=NORMAL: it may not survive a power cut")
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m.1", Attempts: 1})
	if !<-normal {
		t.Fatal("an outcome no one waits for was committed with FULL")
	}
	if err := j.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if j.conn.unsynced || j.conn.normal {
		t.Fatalf("after a flush: unsynced %v, normal %v; want the outcome made durable", j.conn.unsynced, j.conn.normal)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ { // the pool's connections, the journal's among them
		var setting int
		if err := s.db.QueryRow("PRAGMA synchronous").Scan(&setting); err != nil {
			t.Fatal(err)
		}
		if setting != 2 {
			t.Fatalf("a connection of the pool has synchronous %d after the journal, want 2 (FULL)", setting)
		}
	}
}

// TestAStoreNotFullKeepsItsSetting: a store opened with another setting than FULL commits everything with it,
// outcomes no one waits for included.
func TestAStoreNotFullKeepsItsSetting(t *testing.T) {
	s, err := openStore(filepath.Join(t.TempDir(), "s.db"), storeOptions{synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := plan(t, s, testInfo("c", "fp"), readyRows(1))
	normal := make(chan bool, 10)
	var j *Journal
	j = s.OpenJournal(id, JournalOptions{beforeCommit: func() { normal <- j.conn.normal }})
	defer j.Close()
	if err := j.MarkInFlight(t.Context(), 1, 1); err != nil {
		t.Fatal(err)
	}
	<-normal
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m.1", Attempts: 1})
	if <-normal {
		t.Fatal("a journal on a NORMAL store switched its setting for an outcome")
	}
}

// TestOutcomesAloneBecomeDurableSoon: with no mark or flush after them, the outcomes committed with NORMAL are
// made durable by a commit of their own once durableWithin has passed.
func TestOutcomesAloneBecomeDurableSoon(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	synced := make(chan struct{}, 1)
	j := s.OpenJournal(id, JournalOptions{durableWithin: time.Millisecond, synced: func() { synced <- struct{}{} }})
	defer j.Close()
	if err := j.MarkInFlight(t.Context(), 1, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m.1", Attempts: 1})
	select {
	case <-synced:
	case <-time.After(10 * time.Second):
		t.Fatal("the outcome was not made durable")
	}
}
