package store

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"herald/campaign/status"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// storeHelperEnv makes the test binary act as a child process (see TestStoreHelperProcess).
const storeHelperEnv = "HERALD_STORE_HELPER"

// TestStoreHelperProcess is not a test: re-executed with storeHelperEnv set, it is the child process of the lock
// and crash tests.
func TestStoreHelperProcess(t *testing.T) {
	switch os.Getenv(storeHelperEnv) {
	case "":
		t.Skip("child process of other tests")
	case "lock":
		lockChild()
	case "crash":
		crashChild()
	}
	os.Exit(0)
}

// startHelper starts the test binary as a child in the given mode, with its stdout piped.
func startHelper(t *testing.T, mode, path string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStoreHelperProcess$")
	cmd.Env = append(os.Environ(), storeHelperEnv+"="+mode, "HERALD_STORE_PATH="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdin, bufio.NewScanner(stdout)
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state", "herald.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testInfo is a campaign description for tests.
func testInfo(name, fingerprint string) CampaignInfo {
	return CampaignInfo{Name: name, Template: "spring_sale", TemplatePath: "spring.yaml", Profile: "sandbox",
		CSVPath: "people.csv", Fingerprint: fingerprint, Header: []string{"phone", "name"}, Separator: ';'}
}

// readyRows returns ready rows 1..n with numbers 4479110000001.. and two cells each.
func readyRows(n int) []NewRow {
	rows := make([]NewRow, n)
	for i := range rows {
		number := fmt.Sprintf("44791100%05d", i+1)
		rows[i] = NewRow{Row: i + 1, Number: number, Status: status.Ready, Fields: []string{number, "Ann"}}
	}
	return rows
}

// plan plans rows into a campaign and returns its id.
func plan(t *testing.T, s *Store, info CampaignInfo, rows []NewRow) int64 {
	t.Helper()
	p, err := s.LoadRows(info)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := p.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Finish(); err != nil {
		t.Fatal(err)
	}
	c, ok, err := s.Campaign(info.Name)
	if err != nil || !ok {
		t.Fatalf("campaign %q after planning: %v %v", info.Name, ok, err)
	}
	return c.ID
}

// allRows returns every stored row of a campaign, by row number.
func allRows(t *testing.T, s *Store, id int64) map[int]Row {
	t.Helper()
	rows := map[int]Row{}
	if err := s.EachRow(id, func(r Row) error { rows[r.Row] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenStoreCreatesPrivateFileAndSchema(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "herald.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for p, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600, path + "-wal": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), want)
		}
	}
	for name, want := range map[string]string{"user_version": strconv.Itoa(len(migrations)),
		"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"} {
		if got := pragma(t, s.db, name); got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	for _, table := range []string{"campaigns", "rows", "prior_numbers"} {
		var n int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`,
			table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
}

func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	db, err := sql.Open("sqlite", path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v1 := migrations[:1:1]
	if err := migrate(db, v1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO campaigns (id, name, status, created_at, updated_at) VALUES (1, 'c', 'planned', 1, 1);
		INSERT INTO rows (campaign_id, row, number, status, fields, updated_at) VALUES (1, 1, '447911', 'sent', x'00', 1)`); err != nil {
		t.Fatal(err)
	}

	// A step that fails part way leaves the file at v1 with nothing of the step.
	broken := append(v1, `CREATE TABLE extra (x); INSERT INTO nowhere VALUES (1)`)
	if err := migrate(db, broken); err == nil || !strings.Contains(err.Error(), "schema version 2") {
		t.Fatalf("broken step: %v", err)
	}
	if got := pragma(t, db, "user_version"); got != "1" {
		t.Fatalf("after a failed step: user_version %s, want 1", got)
	}
	var extra int
	db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE name = 'extra'`).Scan(&extra)
	if extra != 0 {
		t.Fatal("a failed step left its table behind")
	}

	v2 := append(v1, `ALTER TABLE rows ADD COLUMN note TEXT NOT NULL DEFAULT 'none'`)
	if err := migrate(db, v2); err != nil {
		t.Fatal(err)
	}
	if got := pragma(t, db, "user_version"); got != "2" {
		t.Fatalf("user_version %s, want 2", got)
	}
	var status, note string
	if err := db.QueryRow(`SELECT status, note FROM rows WHERE campaign_id = 1 AND row = 1`).Scan(&status,
		&note); err != nil || status != "sent" || note != "none" {
		t.Fatalf("row after migration: %q %q %v", status, note, err)
	}
	if err := migrate(db, v2); err != nil {
		t.Fatalf("migrating an up-to-date file: %v", err)
	}

	// The real migrations open the v1 file too.
	db.Exec(`PRAGMA user_version = 1`)
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := pragma(t, s.db, "user_version"); got != strconv.Itoa(len(migrations)) {
		t.Fatalf("user_version %s, want %d", got, len(migrations))
	}
}

func TestOpenStoreRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	text := filepath.Join(dir, "text.db")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{newer, "schema version 99 but this herald knows only"},
		{text, "is it a herald state file?"},
		{filepath.Join(dir, "what?.db"), "must not contain '?'"},
	} {
		s, err := Open(tc.path)
		if err == nil {
			s.Close()
			t.Errorf("%s: opened", tc.path)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %q, want the path and %q", tc.path, err, tc.want)
		}
	}
}

func TestPlanStoresRowsAndCampaign(t *testing.T) {
	s := newTestStore(t)
	before := time.Now().Add(-time.Second)
	rows := []NewRow{
		{Row: 1, Number: "447911123456", Status: status.Ready, Fields: []string{"+44 7911 123456", "Zoë", ""}},
		{Row: 2, Number: "", Status: status.Invalid, Fields: []string{"4.47911E+11", "李雷", "x"},
			Code: status.CodeSpreadsheetNumber, Error: "column phone: spreadsheet number"},
		{Row: 3, Number: "447911123456", Status: status.Duplicate, Fields: []string{"447911123456", "", ""},
			Code: status.CodeDuplicate, Error: "same number as row 1"},
		{Row: 4, Number: "447911000004", Status: status.Ready, Fields: nil},
	}
	p, err := s.LoadRows(testInfo("spring", "fp1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := p.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := p.Finish()
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[string]int{status.Ready: 2, status.Invalid: 1, status.Duplicate: 1}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("Finish counts %v, want %v", counts, wantCounts)
	}
	c, ok, err := s.Campaign("spring")
	if err != nil || !ok {
		t.Fatalf("Campaign: %v %v", ok, err)
	}
	want := testInfo("spring", "fp1")
	want.ID, want.Status, want.Counts = c.ID, status.Planned, wantCounts
	want.Created, want.Updated = c.Created, c.Updated
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Campaign:\n got %+v\nwant %+v", c, want)
	}
	if c.Created.Before(before) || c.Created.Location() != time.UTC || !c.Started.IsZero() || !c.Finished.IsZero() {
		t.Errorf("times: created %v started %v finished %v", c.Created, c.Started, c.Finished)
	}
	var got []NewRow
	err = s.EachRow(c.ID, func(r Row) error {
		if r.Attempts != 0 || r.MessageID != "" || r.Class != "" || r.Updated.Before(before) {
			t.Errorf("row %d: %+v", r.Row, r)
		}
		got = append(got, NewRow{Row: r.Row, Number: r.Number, Status: r.Status, Fields: r.Fields,
			Code: r.Code, Error: r.Error})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows[3].Fields = []string{}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("stored rows:\n got %+v\nwant %+v", got, rows)
	}
	if _, ok, err := s.Campaign("autumn"); ok || err != nil {
		t.Errorf("unknown campaign: %v %v", ok, err)
	}
}

func TestPlanSameFingerprintKeepsRows(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp1"), readyRows(3))
	j := s.OpenJournal(id, JournalOptions{})
	j.Record(Outcome{Row: 2, Status: status.Sent, MessageID: "wamid.2", Attempts: 1})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	info := testInfo("c", "fp1")
	info.CSVPath = "moved.csv"
	if p, err := s.LoadRows(info); !errors.Is(err, ErrSameInput) || p != nil {
		t.Fatalf("Plan with the same fingerprint: %v, %v; want ErrSameInput", p, err)
	}
	c, _, _ := s.Campaign("c")
	if c.CSVPath != "people.csv" || c.ID != id {
		t.Errorf("campaign changed: %+v", c)
	}
	if got := allRows(t, s, id)[2]; got.Status != status.Sent || got.MessageID != "wamid.2" {
		t.Errorf("row 2 after ErrSameInput: %+v", got)
	}
}

func TestReplanSkipsNumbersAlreadyMessaged(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp1"), readyRows(5))
	num := func(row int) string { return readyRows(row)[row-1].Number }
	j := s.OpenJournal(id, JournalOptions{})
	for row := 1; row <= 4; row++ {
		if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
			t.Fatal(err)
		}
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "wamid.1", Attempts: 1})
	j.Record(Outcome{Row: 2, Status: status.Unknown, Attempts: 1})
	j.Record(Outcome{Row: 4, Status: status.Failed, Code: "131026", Class: "permanent", Attempts: 1})
	if err := j.Close(); err != nil { // row 3 stays in flight, row 5 ready
		t.Fatal(err)
	}

	// The CSV changed: rows moved around, a new row came.
	info := testInfo("c", "fp2")
	info.CSVPath, info.Header, info.Separator = "people-v2.csv", []string{"mobile"}, '\t'
	second := []NewRow{
		{Row: 1, Number: "447911999999", Status: status.Ready},
		{Row: 2, Number: num(3), Status: status.Ready},
		{Row: 3, Number: num(1), Status: status.Ready},
		{Row: 4, Number: num(2), Status: status.Ready},
		{Row: 5, Number: num(4), Status: status.Ready},
		{Row: 6, Number: num(5), Status: status.Ready},
		{Row: 7, Number: num(1), Status: status.Duplicate, Code: status.CodeDuplicate, Error: "same as row 3"},
	}
	p, err := s.LoadRows(info)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range second {
		if err := p.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := p.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{status.Ready: 3, status.Skipped: 3, status.Duplicate: 1}; !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	c, _, _ := s.Campaign("c")
	if c.ID != id || c.CSVPath != "people-v2.csv" || c.Separator != '\t' || !reflect.DeepEqual(c.Header,
		[]string{"mobile"}) || c.Fingerprint != "fp2" || c.Status != status.Planned {
		t.Errorf("campaign after replan: %+v", c)
	}
	rows := allRows(t, s, id)
	for _, tc := range []struct {
		row    int
		status string
		reason string
	}{
		{1, status.Ready, ""},
		{2, status.Skipped, "(row 3, possibly sent (outcome unknown), no message id)"},
		{3, status.Skipped, "(row 1, sent, message id wamid.1)"},
		{4, status.Skipped, "(row 2, possibly sent (outcome unknown), no message id)"},
		{5, status.Ready, ""},
		{6, status.Ready, ""},
		{7, status.Duplicate, "same as row 3"},
	} {
		r := rows[tc.row]
		if r.Status != tc.status || !strings.Contains(r.Error, tc.reason) {
			t.Errorf("row %d: %s %q, want %s containing %q", tc.row, r.Status, r.Error, tc.status, tc.reason)
		}
		if tc.status == status.Skipped && (r.Code != status.CodeAlreadyMessaged || !strings.Contains(r.Error, "--campaign")) {
			t.Errorf("row %d: code %q error %q", tc.row, r.Code, r.Error)
		}
	}

	// A third plan still knows the first plan's numbers, as first messaged, plus what the second one sent.
	j = s.OpenJournal(id, JournalOptions{})
	if err := j.MarkInFlight(t.Context(), 1, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "wamid.new", Attempts: 1})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	third := []NewRow{{Row: 1, Number: num(1), Status: status.Ready}, {Row: 2, Number: "447911999999",
		Status: status.Ready}, {Row: 3, Number: num(5), Status: status.Ready}}
	plan(t, s, testInfo("c", "fp3"), third)
	rows = allRows(t, s, id)
	if !strings.Contains(rows[1].Error, "(row 1, sent, message id wamid.1)") ||
		!strings.Contains(rows[2].Error, "(row 1, sent, message id wamid.new)") || rows[3].Status != status.Ready {
		t.Errorf("third plan: %+v", rows)
	}
}

func TestAbortedPlanIsPlannedAfresh(t *testing.T) {
	s := newTestStore(t)
	p, err := s.LoadRows(testInfo("c", "fp1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range readyRows(planBatch + 10) { // one batch committed, part of the next one not
		if err := p.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Abort(); err != nil {
		t.Fatal(err)
	}
	c, _, _ := s.Campaign("c")
	if c.Status != status.Planning || c.Fingerprint != "" || c.Counts[status.Ready] != planBatch {
		t.Fatalf("after Abort: status %q fingerprint %q counts %v", c.Status, c.Fingerprint, c.Counts)
	}
	id := plan(t, s, testInfo("c", "fp1"), readyRows(3)) // same inputs, but the plan never finished
	if got, _ := s.Counts(id); !reflect.DeepEqual(got, map[string]int{status.Ready: 3}) {
		t.Fatalf("replanned counts %v", got)
	}
}

func TestPlannerRefusesBadRows(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []NewRow
		want string
	}{
		{"status", []NewRow{{Row: 1, Status: status.Sent}}, `plan row 1: status "sent"; want ready`},
		{"row number", []NewRow{{Row: 0, Status: status.Ready}}, "plan row 0: row numbers start at 1"},
		{"twice", []NewRow{{Row: 7, Status: status.Ready}, {Row: 7, Status: status.Ready}}, "plan row 7: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			p, err := s.LoadRows(testInfo("c", "fp"))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tc.rows {
				err = p.Add(r)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Add: %v, want %q", err, tc.want)
			}
			if again := p.Add(readyRows(1)[0]); again != err {
				t.Errorf("Add after an error: %v", again)
			}
			if _, ferr := p.Finish(); ferr != err {
				t.Errorf("Finish after an error: %v", ferr)
			}
		})
	}
	s := newTestStore(t)
	if _, err := s.LoadRows(CampaignInfo{Name: "c"}); err == nil {
		t.Error("Plan without a fingerprint succeeded")
	}
}

func TestRecoverAndRequeue(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(8))
	j := s.OpenJournal(id, JournalOptions{})
	for row := 1; row <= 7; row++ {
		if err := j.MarkInFlight(t.Context(), row, 2); err != nil {
			t.Fatal(err)
		}
	}
	j.Record(Outcome{Row: 1, Status: status.Sent, MessageID: "m1", Attempts: 2})
	j.Record(Outcome{Row: 2, Status: status.Unknown, Code: "timeout", Class: "unknown", Attempts: 2})
	for row, class := range map[int]string{3: "retryable", 4: "rate_limited", 5: "unknown", 6: "permanent"} {
		j.Record(Outcome{Row: row, Status: status.Failed, Code: "c", Error: "e", Class: class, Attempts: 5})
	}
	if err := j.Close(); err != nil { // row 7 stays in flight, row 8 ready
		t.Fatal(err)
	}

	n, err := s.RecoverInFlight(id)
	if err != nil || n != 1 {
		t.Fatalf("RecoverInFlight: %d %v, want 1", n, err)
	}
	r := allRows(t, s, id)[7]
	if r.Status != status.Unknown || r.Code != status.CodeInterrupted || r.Class != "unknown" || r.Attempts != 2 ||
		!strings.Contains(r.Error, "--resend-unknown") {
		t.Errorf("recovered row: %+v", r)
	}
	if n, err := s.RecoverInFlight(id); n != 0 || err != nil {
		t.Errorf("second RecoverInFlight: %d %v", n, err)
	}

	if n, err := s.RequeueRetryable(id); n != 3 || err != nil {
		t.Fatalf("RequeueRetryable: %d %v, want 3", n, err)
	}
	if n, err := s.Requeue(id, status.Unknown); n != 2 || err != nil {
		t.Fatalf("Requeue unknown: %d %v, want 2", n, err)
	}
	want := map[int]string{1: status.Sent, 2: status.Ready, 3: status.Ready, 4: status.Ready, 5: status.Ready,
		6: status.Failed, 7: status.Ready, 8: status.Ready}
	for row, r := range allRows(t, s, id) {
		if r.Status != want[row] {
			t.Errorf("row %d: %s, want %s", row, r.Status, want[row])
		}
		if r.Status == status.Ready && row != 8 && (r.Attempts < 2 || r.Code != "" || r.Error != "" || r.Class != "") {
			t.Errorf("requeued row %d: %+v", row, r)
		}
	}
	for _, bad := range [][]string{nil, {status.Sent}, {status.Unknown, status.InFlight}} {
		if _, err := s.Requeue(id, bad...); err == nil {
			t.Errorf("Requeue(%v) succeeded", bad)
		}
	}
}

func TestReadyRowsPages(t *testing.T) {
	s := newTestStore(t)
	rows := readyRows(25)
	for _, i := range []int{0, 4, 5, 17, 24} {
		rows[i].Status = status.Invalid
	}
	id := plan(t, s, testInfo("c", "fp"), rows)
	var got []int
	after, pages := 0, 0
	for {
		page, err := s.ReadyRows(id, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		pages++
		for _, r := range page {
			if r.Status != status.Ready || r.Number != rows[r.Row-1].Number || r.Fields[0] != r.Number {
				t.Errorf("row %+v", r)
			}
			got = append(got, r.Row)
		}
		after = page[len(page)-1].Row
	}
	want := []int{2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24}
	if !reflect.DeepEqual(got, want) || pages != 3 {
		t.Errorf("paged rows %v in %d pages, want %v in 3", got, pages, want)
	}
	if _, err := s.ReadyRows(id, 0, 0); err == nil {
		t.Error("a page of 0 rows was read")
	}
}

func TestEachRowOrderAndStop(t *testing.T) {
	s := newTestStore(t)
	rows := readyRows(300)
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 { // planned back to front
		rows[i], rows[j] = rows[j], rows[i]
	}
	id := plan(t, s, testInfo("c", "fp"), rows)
	next := 1
	if err := s.EachRow(id, func(r Row) error {
		if r.Row != next {
			t.Fatalf("row %d, want %d", r.Row, next)
		}
		next++
		return nil
	}); err != nil || next != 301 {
		t.Fatalf("EachRow: %v after %d rows", err, next-1)
	}
	stop := errors.New("disk full")
	calls := 0
	err := s.EachRow(id, func(Row) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("EachRow with a failing fn: %v after %d calls", err, calls)
	}
}

func TestCampaignsAndStatus(t *testing.T) {
	s := newTestStore(t)
	first := plan(t, s, testInfo("first", "fp"), readyRows(2))
	second := plan(t, s, testInfo("second", "fp"), readyRows(3)[:1])
	if err := s.SetCampaignStatus(first, status.Running, ""); err != nil {
		t.Fatal(err)
	}
	c, _, _ := s.Campaign("first")
	started := c.Started
	if started.IsZero() || !c.Finished.IsZero() || c.Status != status.Running {
		t.Fatalf("running: %+v", c)
	}
	if err := s.SetCampaignStatus(first, status.Paused, "20 failures in a row"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCampaignStatus(first, status.Running, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCampaignStatus(first, status.Finished, ""); err != nil {
		t.Fatal(err)
	}
	c, _, _ = s.Campaign("first")
	if !c.Started.Equal(started) || c.Finished.Before(started) || c.Status != status.Finished || c.Reason != "" {
		t.Errorf("finished: %+v", c)
	}
	if err := s.SetCampaignStatus(second, status.Stopped, "Ctrl-C"); err != nil {
		t.Fatal(err)
	}
	list, err := s.Campaigns()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "second" || list[1].Name != "first" {
		t.Fatalf("Campaigns: %+v", list)
	}
	if list[0].Status != status.Stopped || list[0].Reason != "Ctrl-C" || !list[0].Started.IsZero() ||
		!reflect.DeepEqual(list[0].Counts, map[string]int{status.Ready: 1}) ||
		!reflect.DeepEqual(list[1].Counts, map[string]int{status.Ready: 2}) {
		t.Errorf("Campaigns: %+v", list)
	}
	if err := s.SetCampaignStatus(first, "done", ""); err == nil {
		t.Error("unknown status accepted")
	}
	if err := s.SetCampaignStatus(99, status.Running, ""); err == nil || !strings.Contains(err.Error(), "no such campaign") {
		t.Errorf("unknown campaign: %v", err)
	}
}

func TestLockInProcess(t *testing.T) {
	s := newTestStore(t)
	unlock, err := s.Lock("spring")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("campaign spring is running in another herald process (pid %d)", os.Getpid())
	if _, err := s.Lock("spring"); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second Lock: %v, want %q", err, want)
	}
	other, err := s.Lock("autumn")
	if err != nil {
		t.Fatalf("another campaign: %v", err)
	}
	if err := other(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	again, err := s.Lock("spring")
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	again()
}

// lockChild takes the campaign lock, says so, and holds it until its stdin closes.
func lockChild() {
	s, err := Open(os.Getenv("HERALD_STORE_PATH"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := s.Lock("spring"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
}

func TestLockAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd, stdin, out := startHelper(t, "lock", path)
	if !out.Scan() || out.Text() != "locked" {
		t.Fatalf("child: %q %v", out.Text(), out.Err())
	}
	want := fmt.Sprintf("campaign spring is running in another herald process (pid %d)", cmd.Process.Pid)
	if _, err := s.Lock("spring"); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Lock held by a child: %v, want %q", err, want)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	unlock, err := s.Lock("spring") // the OS released the lock when the child exited
	if err != nil {
		t.Fatalf("Lock after the child exited: %v", err)
	}
	unlock()
}

func TestFieldsEncoding(t *testing.T) {
	for _, fields := range [][]string{{}, {""}, {"a", "", "ü 李", strings.Repeat("x", 300)}} {
		got, err := decodeFields(appendFields(nil, fields))
		if err != nil || !reflect.DeepEqual(got, fields) {
			t.Errorf("%q: %q %v", fields, got, err)
		}
	}
	good := appendFields(nil, []string{"abc", "de"})
	for _, bad := range [][]byte{nil, good[:len(good)-1], append(good, 0), {5, 1, 'a'}, {0xff}} {
		if _, err := decodeFields(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}

func FuzzFieldsEncoding(f *testing.F) {
	f.Add([]byte("447911123456\x00Zoë\x00\x0015%"))
	f.Add(appendFields(nil, []string{"a", "bc"}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		decodeFields(raw) // arbitrary bytes: an error, never a panic
		fields := strings.Split(string(raw), "\x00")
		got, err := decodeFields(appendFields(nil, fields))
		if err != nil || !reflect.DeepEqual(got, fields) {
			t.Fatalf("%q came back as %q, %v", fields, got, err)
		}
	})
}
