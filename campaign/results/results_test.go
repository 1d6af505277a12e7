package results_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign/results"
)

func TestResultsCSVIsSpreadsheetSafe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	w, err := results.Create(path, []string{"name", "phone"}, ';')
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 4, 30, 12, 0, 0, 0, time.UTC)
	rows := [][]string{{"=HYPERLINK(\"http://x\")", "+44 7400 123593"}, {"@SUM(A1)", "-1"}, {"Zoë; \"Q\"", "\tx"}}
	for _, r := range rows {
		if err := w.Write(r, results.Result{Number: "447400123593", Status: "sent", MessageID: "wamid.1", Attempts: 1, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the results file must appear only when complete")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\uFEFF") {
		t.Fatal("no UTF-8 byte order mark: Excel would garble non-Latin names")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"name", "phone", "result_number", "result_status", "result_message_id", "result_error_code", "result_error", "result_attempts", "result_at",
			"result_delivery", "result_delivery_code", "result_delivered_at", "result_read_at", "result_replied_at", "result_reply"},
		{"'=HYPERLINK(\"http://x\")", "'+44 7400 123593", "447400123593", "sent", "wamid.1", "", "", "1", "2026-04-30T12:00:00Z", "", "", "", "", "", ""},
		{"'@SUM(A1)", "'-1", "447400123593", "sent", "wamid.1", "", "", "1", "2026-04-30T12:00:00Z", "", "", "", "", "", ""},
		{"Zoë; \"Q\"", "'\tx", "447400123593", "sent", "wamid.1", "", "", "1", "2026-04-30T12:00:00Z", "", "", "", "", "", ""},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Fatalf("got\n%q\nwant\n%q", recs, want)
	}
}

// TestDeliveryColumns: what the callbacks said follows the send's own columns; a reply is a cell like any
// other, made safe for a spreadsheet.
func TestDeliveryColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	w, err := results.Create(path, []string{"phone"}, ',')
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 4, 30, 12, 0, 0, 0, time.UTC)
	if err := w.Write([]string{"447400123593"}, results.Result{Number: "447400123593", Status: "sent",
		MessageID: "wamid.1", Attempts: 1, At: at, Delivery: "read", Delivered: at.Add(time.Second),
		Read: at.Add(2 * time.Second), Replied: at.Add(3 * time.Second), Reply: "=1+1"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"447400123594"}, results.Result{Number: "447400123594", Status: "sent",
		MessageID: "wamid.2", Attempts: 1, At: at, Delivery: "failed", DeliveryCode: "131049"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"read", "", "2026-04-30T12:00:01Z", "2026-04-30T12:00:02Z", "2026-04-30T12:00:03Z", "'=1+1"},
		{"failed", "131049", "", "", "", ""},
	}
	for i, w := range want {
		if got := recs[i+1][len(recs[i+1])-6:]; fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("row %d delivery columns %q, want %q", i+1, got, w)
		}
	}
}

// TestResultColumnsAreSpreadsheetSafeToo: what a provider answered (message id, code, error sentence) is
// untrusted text as much as the input cells: a cell starting with a carriage return, =, +, - or @ never reaches
// a spreadsheet as a formula, in any column.
func TestResultColumnsAreSpreadsheetSafeToo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	w, err := results.Create(path, []string{"name", "phone"}, ',')
	if err != nil {
		t.Fatal(err)
	}
	res := results.Result{Number: "447400123593", Status: "failed", MessageID: "+SUM(1)", Code: "-1",
		Error: "=cmd|' /C calc'!A0", Attempts: 1}
	if err := w.Write([]string{"\r=1+1", "@x"}, res); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%d records: %v", len(recs), err)
	}
	for i, col := range recs[0] {
		v := recs[1][i]
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			t.Errorf("column %s holds %q, which a spreadsheet runs as a formula", col, v)
		}
	}
	if !strings.HasPrefix(recs[1][0], "'") {
		t.Errorf("a cell starting with a carriage return is %q, without the apostrophe", recs[1][0])
	}
	for _, want := range []string{"'@x", "'+SUM(1)", "'-1", "'=cmd|' /C calc'!A0"} {
		if !strings.Contains(fmt.Sprint(recs[1]), want) {
			t.Errorf("no cell %q in %q", want, recs[1])
		}
	}
}
