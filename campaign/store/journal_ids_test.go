package store

import (
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/campaign/status"
	"herald/providers"
)

// pendingFlag reads the campaign's message_ids_pending.
func pendingFlag(t *testing.T, s *Store, id int64) bool {
	t.Helper()
	var pending bool
	if err := s.db.QueryRow(`SELECT message_ids_pending FROM campaigns WHERE id = ?`, id).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	return pending
}

// deliver records a delivered callback for messageID and returns how many were about no known row.
func deliver(t *testing.T, s *Store, messageID string) int {
	t.Helper()
	res, err := s.RecordCallbacks(CallbackBatch{Profile: "p",
		Deliveries: []providers.DeliveryEvent{delivery(messageID, providers.DeliveryDelivered, 3, "")}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Unknown
}

// TestCallbackBeforeTheFoldIsTiedAtTheFold: a message id recorded by the journal is looked up only once
// folded; a callback before that is kept aside and tied to its row by the fold (a flush), not lost.
func TestCallbackBeforeTheFoldIsTiedAtTheFold(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	j := s.OpenJournal(id, JournalOptions{})
	defer j.Close()
	if !pendingFlag(t, s, id) {
		t.Fatal("a running journal's campaign is not marked as having ids pending")
	}
	if err := j.MarkInFlight(t.Context(), 1, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m.1", Attempts: 1})
	if unknown := deliver(t, s, "m.1"); unknown != 1 {
		t.Fatalf("before the fold the callback found its row (unknown %d); the test no longer shows the fold", unknown)
	}
	if err := j.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := map[int]Delivery{1: {State: providers.DeliveryDelivered, Delivered: ts(3)}}
	if got := deliveriesOf(t, s, id); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the fold: %+v, want %+v", got, want)
	}
	if unknown := deliver(t, s, "m.1"); unknown != 0 {
		t.Fatal("after the fold a callback does not find its row")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if pendingFlag(t, s, id) {
		t.Fatal("a closed journal left its campaign marked as having ids pending")
	}
}

// TestIDsACrashLeftOutAreIndexed: rows whose ids a crashed journal never folded (their campaign still marked)
// are found by Reconcile (an export) and by the next journal.
func TestIDsACrashLeftOutAreIndexed(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	crash := func(row int, messageID string) {
		t.Helper()
		if _, err := s.db.Exec(`UPDATE rows SET status = 'sent', message_id = ? WHERE campaign_id = ? AND row = ?`,
			messageID, id, row); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`UPDATE campaigns SET message_ids_pending = 1 WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		if unknown := deliver(t, s, messageID); unknown != 1 {
			t.Fatalf("%s found before any repair", messageID)
		}
	}
	crash(1, "x.1")
	if err := s.Reconcile(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := deliveriesOf(t, s, id); got[1].State != providers.DeliveryDelivered {
		t.Fatalf("after Reconcile row 1 has %+v", got[1])
	}
	crash(2, "x.2")
	j := s.OpenJournal(id, JournalOptions{})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if got := deliveriesOf(t, s, id); got[2].State != providers.DeliveryDelivered {
		t.Fatalf("after the next journal row 2 has %+v", got[2])
	}
	if pendingFlag(t, s, id) {
		t.Fatal("the campaign stays marked after a journal closed")
	}
}

// TestMarkRunsRefuseOnlyTheRowNotReady: a batch's marks go by runs of rows; a run with a row that is not ready
// refuses that row alone, and an outcome in the batch comes before the next mark of its row.
func TestMarkRunsRefuseOnlyTheRowNotReady(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(7))
	if _, err := s.db.Exec(`UPDATE rows SET status = 'sent' WHERE campaign_id = ? AND row = 3`, id); err != nil {
		t.Fatal(err)
	}
	j := s.OpenJournal(id, JournalOptions{})
	defer j.Close()
	mark := func(row, attempt int) journalOp { return journalOp{kind: opMark, row: row, attempt: attempt} }
	batch := []journalOp{mark(4, 1), mark(2, 1), mark(1, 1), mark(3, 1),
		{kind: opRecord, row: 6, outcome: Outcome{Row: 6, Status: status.Ready, Attempts: 1, At: time.Now()}},
		mark(5, 1), mark(6, 2), mark(7, 1)}
	// The journal's goroutine is idle: nothing was queued.
	if err := j.commit(batch); err != nil {
		t.Fatal(err)
	}
	for _, op := range batch {
		if op.kind != opMark {
			continue
		}
		if got := op.err != nil; got != (op.row == 3) {
			t.Errorf("row %d: refused %v (%v)", op.row, got, op.err)
		}
	}
	if err := batch[3].err; err == nil || !strings.Contains(err.Error(), "row 3 is sent") {
		t.Errorf("row 3's refusal: %v", err)
	}
	want := map[int]string{1: "in_flight 1", 2: "in_flight 1", 3: "sent 0", 4: "in_flight 1", 5: "in_flight 1",
		6: "in_flight 2", 7: "in_flight 1"}
	checkStatusAttempts(t, s, id, want)
}

// TestIDsIndexedByTextAreKeyedByTheMigration: a file of the schema before message_keys, with its ids in
// message_rows, opens migrated; a callback for an id it had indexed finds its row, and an entry whose row no
// longer has the id finds nothing, as before.
func TestIDsIndexedByTextAreKeyedByTheMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	// The file as the schema before this one left it: ids in message_rows, keyed by their text.
	if _, err := s.db.Exec(`UPDATE rows SET status = 'sent', message_id = 'wamid.OLD' WHERE campaign_id = ? AND row = 1;
		DROP TABLE message_keys;
		CREATE TABLE message_rows (message_id TEXT PRIMARY KEY, campaign_id INTEGER NOT NULL, row INTEGER NOT NULL) WITHOUT ROWID;
		PRAGMA user_version = `+strconv.Itoa(len(migrations)-1), id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO message_rows VALUES ('wamid.OLD', ?, 1), ('wamid.STALE', ?, 2)`, id, id); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if unknown := deliver(t, s, "wamid.OLD"); unknown != 0 {
		t.Fatal("a callback for an id indexed before the migration found no row")
	}
	if got := deliveriesOf(t, s, id); got[1].State != providers.DeliveryDelivered {
		t.Fatalf("row 1 has %+v", got[1])
	}
	if unknown := deliver(t, s, "wamid.STALE"); unknown != 1 {
		t.Fatal("a callback for an id its row no longer has found a row")
	}
}

// TestMessageKeyInSQLIsTheGoKey: the SQL function the store's own statements key ids with gives the key the
// journal writes, for any text.
func TestMessageKeyInSQLIsTheGoKey(t *testing.T) {
	s := newTestStore(t)
	for _, id := range []string{"", "wamid.HBgLNDQ3OTExMTIzNDU2FQIAERgSQjk2", "ü€\x00x", "1:447911123456"} {
		var got int64
		if err := s.db.QueryRow(`SELECT `+messageKeySQL+`(?)`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != messageKey(id) {
			t.Errorf("%q: SQL %d, Go %d", id, got, messageKey(id))
		}
	}
}

// TestAFoldOfManyIDsIndexesEveryOne: a fold writes its ids foldChunk to a statement and the rest one by one;
// each id of a fold of two chunks and a remainder finds its row afterwards, and no other id does.
func TestAFoldOfManyIDsIndexesEveryOne(t *testing.T) {
	s := newTestStore(t)
	n := 2*foldChunk + 22
	id := plan(t, s, testInfo("c", "fp"), readyRows(n))
	j := s.OpenJournal(id, JournalOptions{})
	defer j.Close()
	marks := make([]Mark, n)
	for i := range marks {
		marks[i] = Mark{Row: i + 1, Attempt: 1}
	}
	if err := j.MarkManyInFlight(t.Context(), marks); err != nil {
		t.Fatal(err)
	}
	for row := 1; row <= n; row++ {
		j.Record(Outcome{Row: row, Status: status.Sent, MessageID: "m." + strconv.Itoa(row), Attempts: 1})
	}
	if err := j.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	for row := 1; row <= n; row++ {
		if unknown := deliver(t, s, "m."+strconv.Itoa(row)); unknown != 0 {
			t.Fatalf("row %d: its message id found no row after the fold", row)
		}
	}
	if unknown := deliver(t, s, "m."+strconv.Itoa(n+1)); unknown != 1 {
		t.Fatal("an id no row has found one")
	}
	if got := len(deliveriesOf(t, s, id)); got != n {
		t.Fatalf("%d rows have a delivery, want %d", got, n)
	}
}
