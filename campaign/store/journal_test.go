package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"herald/campaign/status"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// otherConnStatus reads a row's status through a connection of its own, which sees only committed data.
func otherConnStatus(t *testing.T, path string, id int64, row int) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var status string
	if err := db.QueryRow(`SELECT status FROM rows WHERE campaign_id = ? AND row = ?`, id, row).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status
}

func TestMarkInFlightAcksOnlyAfterCommit(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	committing, release := make(chan struct{}, 1), make(chan struct{})
	j := s.OpenJournal(id, JournalOptions{MaxBatch: 1, beforeCommit: func() {
		select {
		case committing <- struct{}{}:
		default:
		}
		<-release
	}})
	defer j.Close()
	done := make(chan error, 1)
	go func() { done <- j.MarkInFlight(t.Context(), 1, 1) }()
	<-committing
	select {
	case err := <-done:
		t.Fatalf("MarkInFlight returned (%v) before its commit", err)
	default:
	}
	if got := otherConnStatus(t, s.path, id, 1); got != status.Ready {
		t.Fatalf("before the commit another connection sees %s", got)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := otherConnStatus(t, s.path, id, 1); got != status.InFlight {
		t.Fatalf("after the ack another connection sees %s, want in_flight", got)
	}
}

func TestJournalGroupsWrites(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(25))
	sizes := make(chan int, 10)
	j := s.OpenJournal(id, JournalOptions{MaxBatch: 10, MaxDelay: time.Hour,
		afterCommit: func(writes int) { sizes <- writes }})
	for row := 1; row <= 25; row++ {
		j.Record(Outcome{Row: row, Status: status.Sent, MessageID: "m" + strconv.Itoa(row), Attempts: 1})
	}
	if err := j.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	close(sizes)
	var got []int
	for n := range sizes {
		got = append(got, n)
	}
	if fmt.Sprint(got) != "[10 10 5]" {
		t.Errorf("transactions of %v writes, want [10 10 5]", got)
	}
	for row, r := range allRows(t, s, id) {
		if r.Status != status.Sent || r.MessageID != "m"+strconv.Itoa(row) {
			t.Errorf("row %d: %+v", row, r)
		}
	}
}

func TestJournalCommitsAfterMaxDelay(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(1))
	committed := make(chan int, 1)
	j := s.OpenJournal(id, JournalOptions{MaxDelay: time.Millisecond, afterCommit: func(n int) { committed <- n }})
	defer j.Close()
	j.Record(Outcome{Row: 1, Status: status.Failed, Code: "131026", Error: "not on WhatsApp", Class: "permanent",
		Attempts: 1})
	select {
	case n := <-committed:
		if n != 1 {
			t.Fatalf("commit of %d writes, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a lone outcome was not committed without a flush")
	}
	if got := otherConnStatus(t, s.path, id, 1); got != status.Failed {
		t.Fatalf("status %s, want failed", got)
	}
}

func TestJournalRecordsOutcomes(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(3))
	j := s.OpenJournal(id, JournalOptions{})
	ctx := t.Context()
	at := time.Date(2026, 3, 1, 10, 0, 0, 123e6, time.UTC)
	steps := []func() error{
		func() error { return j.MarkInFlight(ctx, 1, 1) },
		func() error {
			j.Record(Outcome{Row: 1, Status: status.Ready, Code: "429", Error: "slow down", Class: "rate_limited",
				Attempts: 1})
			return nil
		},
		func() error { return j.MarkInFlight(ctx, 1, 2) },
		func() error {
			j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "wamid.1", Attempts: 2, At: at})
			return nil
		},
		func() error { return j.MarkInFlight(ctx, 2, 1) },
		func() error { return j.MarkInFlight(ctx, 2, 2) }, // retried without an outcome between
		func() error {
			j.Record(Outcome{Row: 2, Status: status.Unknown, Code: "timeout", Class: "unknown", At: at})
			return nil
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	rows := allRows(t, s, id)
	want := map[int]Row{
		1: {Row: 1, Number: rows[1].Number, Status: status.Sent, Fields: rows[1].Fields, MessageID: "wamid.1",
			Code: "", Error: "", Class: "", Attempts: 2, Updated: at},
		2: {Row: 2, Number: rows[2].Number, Status: status.Unknown, Fields: rows[2].Fields, Code: "timeout",
			Class: "unknown", Attempts: 2, Updated: at},
	}
	for row, w := range want {
		if fmt.Sprint(rows[row]) != fmt.Sprint(w) {
			t.Errorf("row %d:\n got %+v\nwant %+v", row, rows[row], w)
		}
	}
	if rows[3].Status != status.Ready || rows[3].Attempts != 0 {
		t.Errorf("row 3 untouched: %+v", rows[3])
	}
}

func TestMarkInFlightRefusesRowsNotReady(t *testing.T) {
	s := newTestStore(t)
	rows := readyRows(2)
	rows[1].Status = status.Invalid
	id := plan(t, s, testInfo("c", "fp"), rows)
	j := s.OpenJournal(id, JournalOptions{})
	defer j.Close()
	ctx := t.Context()
	if err := j.MarkInFlight(ctx, 1, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m", Attempts: 1})
	for row, want := range map[int]string{1: "row 1 is sent, not ready: it is not sent again",
		2: "row 2 is invalid, not ready", 99: "row 99 is not in campaign"} {
		if err := j.MarkInFlight(ctx, row, 2); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("MarkInFlight(%d): %v, want %q", row, err, want)
		}
	}
	if err := j.Err(); err != nil {
		t.Errorf("a refused row failed the journal: %v", err)
	}
	if got := allRows(t, s, id)[1]; got.Status != status.Sent || got.Attempts != 1 {
		t.Errorf("refused row changed: %+v", got)
	}
}

func TestJournalErrorIsSticky(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(3))
	j := s.OpenJournal(id, JournalOptions{})
	ctx := t.Context()
	if err := j.MarkInFlight(ctx, 1, 1); err != nil {
		t.Fatal(err)
	}
	s.Close() // the database goes away under the journal
	err := j.MarkInFlight(ctx, 2, 1)
	if err == nil || !strings.Contains(err.Error(), "database is closed") || !strings.Contains(err.Error(), s.path) {
		t.Fatalf("MarkInFlight on a closed store: %v", err)
	}
	if j.Err() == nil || j.Err().Error() != err.Error() {
		t.Fatalf("Err %v, want %v", j.Err(), err)
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, Attempts: 1})
	for name, got := range map[string]error{"MarkInFlight": j.MarkInFlight(ctx, 3, 1), "Flush": j.Flush(ctx),
		"Close": j.Close()} {
		if got == nil || got.Error() != err.Error() {
			t.Errorf("%s after the failure: %v, want %v", name, got, err)
		}
	}
}

func TestJournalRejectsBadOutcome(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(1))
	j := s.OpenJournal(id, JournalOptions{})
	j.Record(Outcome{Row: 1, Status: "pending"})
	if err := j.Close(); err == nil || !strings.Contains(err.Error(), `row 1: outcome status "pending"`) {
		t.Errorf("Close after a bad outcome: %v", err)
	}
	j = s.OpenJournal(id, JournalOptions{})
	j.Record(Outcome{Row: 42, Status: status.Sent})
	if err := j.Close(); err == nil || !strings.Contains(err.Error(), "row 42: record sent: no such row") {
		t.Errorf("Close after an outcome for a missing row: %v", err)
	}
}

func TestMarkInFlightGivesUpWithItsContext(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(1))
	committing, release := make(chan struct{}, 1), make(chan struct{})
	j := s.OpenJournal(id, JournalOptions{MaxBatch: 1, beforeCommit: func() { committing <- struct{}{}; <-release }})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- j.MarkInFlight(ctx, 1, 1) }()
	<-committing
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("MarkInFlight with a cancelled context: %v", err)
	}
	close(release)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkInFlight(t.Context(), 1, 2); !errors.Is(err, errJournalClosed) {
		t.Errorf("MarkInFlight after Close: %v", err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestJournalConcurrentCallers(t *testing.T) {
	s := newTestStore(t)
	const callers, each = 64, 50
	id := plan(t, s, testInfo("c", "fp"), readyRows(callers*each))
	j := s.OpenJournal(id, JournalOptions{})
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for i := range each {
				row := c*each + i + 1
				if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
					t.Error(err)
					return
				}
				j.Record(Outcome{Row: row, Status: status.Sent, MessageID: "m" + strconv.Itoa(row), Attempts: 1})
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	rows := allRows(t, s, id)
	for row := 1; row <= callers*each; row++ {
		if r := rows[row]; r.Status != status.Sent || r.MessageID != "m"+strconv.Itoa(row) || r.Attempts != 1 {
			t.Fatalf("row %d: %+v", row, r)
		}
	}
}

const crashRows = 10_000

// crashInfo is the campaign the crash child plans.
func crashInfo() CampaignInfo { return testInfo("crash", "fp-crash") }

// crashOutcome is the outcome the crash child records for a row.
func crashOutcome(row int) Outcome {
	switch {
	case row%7 == 0:
		return Outcome{Row: row, Status: status.Failed, Code: "131026", Class: "permanent", Attempts: 1}
	case row%11 == 0:
		return Outcome{Row: row, Status: status.Unknown, Code: "timeout", Class: "unknown", Attempts: 1}
	}
	return Outcome{Row: row, Status: status.Sent, MessageID: "wamid." + strconv.Itoa(row), Attempts: 1}
}

// crashChild plans crashRows rows, then sends them with 32 workers, printing what it did after it did it:
// "P n" (n rows planned), "planned", "M w row" (row acknowledged in flight by worker w), "R w row" (outcome
// queued), "F w" (worker w's queued outcomes flushed).
func crashChild() {
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, format+"\n", args...)
	}
	die := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(1)
	}
	s, err := Open(os.Getenv("HERALD_STORE_PATH"))
	if err != nil {
		die(err)
	}
	p, err := s.LoadRows(crashInfo())
	if err != nil {
		die(err)
	}
	for _, r := range readyRows(crashRows) {
		if err := p.Add(r); err != nil {
			die(err)
		}
		if r.Row%1000 == 0 && r.Row < crashRows {
			say("P %d", r.Row)
		}
	}
	if _, err := p.Finish(); err != nil {
		die(err)
	}
	say("planned")
	c, _, err := s.Campaign(crashInfo().Name)
	if err != nil {
		die(err)
	}
	j := s.OpenJournal(c.ID, JournalOptions{})
	rows := make(chan int)
	go func() {
		for row := 1; row <= crashRows; row++ {
			rows <- row
		}
		close(rows)
	}()
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for row := range rows {
				if err := j.MarkInFlight(context.Background(), row, 1); err != nil {
					die(err)
				}
				say("M %d %d", w, row)
				j.Record(crashOutcome(row))
				say("R %d %d", w, row)
				if row%40 == 0 {
					if err := j.Flush(context.Background()); err != nil {
						die(err)
					}
					say("F %d", w)
				}
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		die(err)
	}
	say("done")
}

func TestJournalSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	// The first run is killed while planning, the others at a random line of the sending.
	kills := []int{1 + rng.IntN(8)}
	for range 4 {
		kills = append(kills, 10+rng.IntN(3*crashRows))
	}
	for _, after := range kills {
		t.Run(fmt.Sprintf("after line %d", after), func(t *testing.T) { killAndCheck(t, after) })
	}
}

// killAndCheck runs the crash child, SIGKILLs it after reading killAfter lines, then checks the store: nothing
// acknowledged is lost and recovery leaves no row that could be messaged twice.
func killAndCheck(t *testing.T, killAfter int) {
	path := filepath.Join(t.TempDir(), "herald.db")
	cmd, stdin, out := startHelper(t, "crash", path)
	stdin.Close()
	planned := false
	acked := map[int]bool{}      // rows acknowledged in flight
	queued := map[string][]int{} // per worker, outcomes queued since its last flush
	durable := map[int]bool{}    // rows whose outcome a flush covered
	for lines := 0; lines < killAfter && out.Scan(); lines++ {
		f := strings.Fields(out.Text())
		switch f[0] {
		case "planned":
			planned = true
		case "M":
			row, _ := strconv.Atoi(f[2])
			acked[row] = true
		case "R":
			row, _ := strconv.Atoi(f[2])
			queued[f[1]] = append(queued[f[1]], row)
		case "F":
			for _, row := range queued[f[1]] {
				durable[row] = true
			}
			queued[f[1]] = nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Logf("killed with %d rows acknowledged in flight, %d outcomes flushed", len(acked), len(durable))

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := pragma(t, s.db, "integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	p, err := s.LoadRows(crashInfo())
	switch {
	case planned && !errors.Is(err, ErrSameInput):
		t.Fatalf("Plan of a finished plan: %v, want ErrSameInput", err)
	case err == nil: // killed while planning: plan again
		for _, r := range readyRows(crashRows) {
			if err := p.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := p.Finish(); err != nil {
			t.Fatal(err)
		}
	case !errors.Is(err, ErrSameInput):
		t.Fatal(err)
	}
	c, _, err := s.Campaign(crashInfo().Name)
	if err != nil {
		t.Fatal(err)
	}
	rows := allRows(t, s, c.ID)
	if len(rows) != crashRows {
		t.Fatalf("%d rows, want %d", len(rows), crashRows)
	}
	for row := range acked {
		switch r := rows[row]; r.Status {
		case status.InFlight, status.Sent, status.Failed, status.Unknown:
		default:
			t.Errorf("row %d was acknowledged in flight but is %s", row, r.Status)
		}
	}
	for row := range durable {
		want := crashOutcome(row)
		if r := rows[row]; r.Status != want.Status || r.MessageID != want.MessageID || r.Code != want.Code {
			t.Errorf("row %d: flushed outcome %+v lost: %+v", row, want, r)
		}
	}

	if _, err := s.RecoverInFlight(c.ID); err != nil {
		t.Fatal(err)
	}
	if n := mustCounts(t, s, c.ID)[status.InFlight]; n != 0 {
		t.Fatalf("%d rows in flight after recovery", n)
	}
	for after := 0; ; {
		page, err := s.ReadyRows(c.ID, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if acked[r.Row] {
				t.Fatalf("row %d was in flight but is ready to send again", r.Row)
			}
		}
		after = page[len(page)-1].Row
	}
}

func mustCounts(t *testing.T, s *Store, id int64) map[string]int {
	t.Helper()
	counts, err := s.Counts(id)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// TestMarkManyInFlight: a batch's rows are marked in flight in one commit, each with its own attempt number, and
// only once it is committed does the call return; a batch holding a row that is not ready marks none of them.
func TestMarkManyInFlight(t *testing.T) {
	s := newTestStore(t)
	rows := readyRows(5)
	rows[4].Status = status.Invalid
	id := plan(t, s, testInfo("c", "fp"), rows)
	var commits []int
	j := s.OpenJournal(id, JournalOptions{afterCommit: func(writes int) { commits = append(commits, writes) }})
	defer j.Close()
	ctx := t.Context()
	if err := j.MarkManyInFlight(ctx, []Mark{{Row: 1, Attempt: 1}, {Row: 2, Attempt: 3}, {Row: 3, Attempt: 1}}); err != nil {
		t.Fatal(err)
	}
	for row, attempts := range map[int]int{1: 1, 2: 3, 3: 1} {
		if got := otherConnStatus(t, s.path, id, row); got != status.InFlight {
			t.Errorf("row %d is %s once MarkManyInFlight returned, want in_flight", row, got)
		}
		if got := allRows(t, s, id)[row]; got.Attempts != attempts {
			t.Errorf("row %d has %d attempts, want %d", row, got.Attempts, attempts)
		}
	}
	if len(commits) != 1 || commits[0] != 3 {
		t.Errorf("commits %v, want the three marks in one", commits)
	}
	err := j.MarkManyInFlight(ctx, []Mark{{Row: 4, Attempt: 1}, {Row: 5, Attempt: 1}})
	if err == nil || !strings.Contains(err.Error(), "row 5 is invalid, not ready") {
		t.Fatalf("a batch with an invalid row: %v", err)
	}
	if got := otherConnStatus(t, s.path, id, 4); got != status.Ready {
		t.Errorf("row 4 of the refused batch is %s, want ready: a batch leaves for all its rows or none", got)
	}
	if err := j.Err(); err != nil {
		t.Errorf("a refused batch failed the journal: %v", err)
	}
	if err := j.MarkManyInFlight(ctx, nil); err != nil {
		t.Errorf("an empty batch: %v", err)
	}
}
