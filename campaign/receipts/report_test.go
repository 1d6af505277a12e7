package receipts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign/receipts"
	"herald/campaign/store"
	"herald/providers"
)

func writeReport(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.csv")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportReport merges a report exported from a console: Excel's byte-order mark, semicolons, the columns
// found by their header names in any order and spelling, statuses in the console's words.
func TestImportReport(t *testing.T) {
	st, id, _ := sentStore(t, 4)
	path := writeReport(t, "\uFEFFTo;Status;Error Code;Message ID;Status Time\r\n"+
		"+44 7911 000001;Delivered;;wamid.1;2026-04-01 09:30:00\r\n"+
		"447911000001;READ;;wamid.1;2026-04-01T10:30:00+01:00\r\n"+
		"447911000002;Undelivered;131026;wamid.2;1775035800\r\n"+
		"447911000003;queued;;wamid.3;2026-04-01 09:30:00\r\n"+
		";;;;\r\n"+
		"447911000099;delivered;;wamid.99;2026-04-01 09:30:00\r\n")
	res, err := receipts.ImportReport(st, metaProfile, path)
	if err != nil {
		t.Fatal(err)
	}
	if res != (receipts.ReportResult{Rows: 5, Events: 4, Unknown: 1, Skipped: 1}) {
		t.Fatalf("result %+v", res)
	}
	c, err := st.Deliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	at := time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)
	if d := c.For(1, "wamid.1"); d != (store.Delivery{State: providers.DeliveryRead, Delivered: at, Read: at}) {
		t.Errorf("row 1: %+v", d)
	}
	if d := c.For(2, "wamid.2"); d.State != providers.DeliveryFailed || d.Code != "131026" {
		t.Errorf("row 2: %+v", d)
	}
	if d := c.For(3, "wamid.3"); d != (store.Delivery{}) {
		t.Errorf("row 3 (queued): %+v", d)
	}
	// Merging the same report again changes nothing.
	if _, err := receipts.ImportReport(st, metaProfile, path); err != nil {
		t.Fatal(err)
	}
	if f, _ := st.Funnel(id); f != (store.Funnel{Sent: 4, Delivered: 1, Read: 1, FailedLater: 1}) {
		t.Fatalf("funnel after the second import %+v", f)
	}
}

func TestImportReportRefusesBadFiles(t *testing.T) {
	st, id, _ := sentStore(t, 1)
	for _, tc := range []struct{ body, want string }{
		{"status,when\ndelivered,now\n", "no message id column (its columns are status, when)"},
		{"message_id,time\nwamid.1,2026-04-01\n", "no status column"},
		{"message_id,status,time\nwamid.1,delivered,2026-04-01 09:30:00\nwamid.1,read,yesterday\n",
			`line 3: the time "yesterday" is not a date and time herald reads`},
		{"message_id,status\n,delivered\n", "line 2: the message id is empty"},
	} {
		_, err := receipts.ImportReport(st, metaProfile, writeReport(t, tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "report.csv") {
			t.Errorf("%q: error %v, want it to name the file and say %q", tc.body, err, tc.want)
		}
	}
	if d := deliveryOf(t, st, id, 1); d != (store.Delivery{}) {
		t.Fatalf("a refused report changed the store: %+v", d)
	}
}
