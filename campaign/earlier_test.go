package campaign_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"herald/campaign"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// TestRowsOfAnEarlierCSVStayInTheResults: a campaign sends 6 rows; its CSV is then replaced by one that drops
// rows 1-3, keeps 4-6 and adds 2 new ones (and renames a column). The second run sends only the 2 new rows,
// and the results CSV (and herald export) still list the 3 dropped rows as sent, with their message ids,
// marked earlier_csv; the 3 kept rows are skipped as already messaged.
func TestRowsOfAnEarlierCSVStayInTheResults(t *testing.T) {
	r := newRig(t, 6, sandbox.Options{})
	r.send(r.plan, fastOpts())
	first := r.results()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for i := 3; i < 8; i++ {
		b.WriteString(fmt.Sprintf("Name%d", i) + ",+447400" + sixDigits(100000+i) + ",C\n")
	}
	writeFile(t, filepath.Join(r.dir, "r.csv"), b.String())
	snap, counts := r.send(r.plan, fastOpts())
	if snap.Sent != 2 || counts[status.Skipped] != 3 || counts[status.Sent] != 2 {
		t.Fatalf("second run: sent %d, counts %v; want 2 sent and 3 skipped", snap.Sent, counts)
	}
	for _, path := range []string{filepath.Join(r.dir, "r-engine_test.results.csv"), exportTo(t, r)} {
		recs := readCSV(t, path)
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		earlier := 0
		for _, rec := range recs[1:] {
			if rec[col["result_error_code"]] != campaign.CodeEarlierCSV {
				continue
			}
			earlier++
			num := rec[col["result_number"]]
			if rec[col["result_status"]] != status.Sent || rec[col["result_message_id"]] != first[num].messageID ||
				rec[col["first_name"]] == "" {
				t.Errorf("%s: earlier row %q, want sent with id %s and its cells", path, rec, first[num].messageID)
			}
		}
		if earlier != 3 || len(recs) != 1+5+3 {
			t.Errorf("%s: %d earlier rows among %d, want 3 among 8", path, earlier, len(recs)-1)
		}
	}
}

func sixDigits(n int) string { return fmt.Sprintf("%06d", n) }

// exportTo runs herald export's campaign API into a new file and returns its path.
func exportTo(t *testing.T, r *rig) string {
	t.Helper()
	out := filepath.Join(r.dir, "export.csv")
	if _, err := campaign.Export(r.plan.StatePath, "r-engine_test", out); err != nil {
		t.Fatal(err)
	}
	return out
}

// readCSV reads a results CSV (BOM stripped).
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
