package campaign_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"herald/campaign"
)

func TestPreviewWritesEveryRowInOrder(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	const n = 5000 // several batches, checked in parallel, must come back in file order
	for i := 0; i < n; i++ {
		num := fmt.Sprintf("+447400%06d", 100000+i%4000) // rows 4000.. repeat earlier numbers
		name := fmt.Sprintf("N%d", i)
		if i%1000 == 7 && i < 4000 {
			name = ""
		}
		fmt.Fprintf(&b, "%s,%s,C%d\n", name, num, i)
	}
	csvPath := filepath.Join(dir, "r.csv")
	writeFile(t, csvPath, b.String())
	writeFile(t, filepath.Join(dir, "t.yaml"), rigTemplate)
	in, err := campaign.Open(campaign.Plan{CSVPath: csvPath, TemplatePath: filepath.Join(dir, "t.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var counted atomic.Int64
	res, err := campaign.Preview(context.Background(), in, 2, &counted)
	if err != nil {
		t.Fatal(err)
	}
	if counted.Load() != n || res.Summary.Rows != n {
		t.Fatalf("counted %d rows, summary %d", counted.Load(), res.Summary.Rows)
	}
	// 4 empty names are invalid; rows 4000..4999 repeat rows 0..999, except where the first one was invalid.
	if c := res.Summary.Counts; c["invalid"] != 4 || c["duplicate"] != 999 || c["ready"] != n-4-999 {
		t.Fatalf("counts %v", c)
	}
	data, err := os.ReadFile(res.OutPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d lines in the results CSV", len(recs))
	}
	for i, rec := range recs[1:] {
		if rec[2] != fmt.Sprintf("C%d", i) {
			t.Fatalf("line %d holds %v: rows out of order", i+2, rec)
		}
	}
	// Row 4008 (i=4007) repeats i=7, whose name was empty: the repeat is the first sendable one.
	if got := recs[4008][4]; got != "ready" {
		t.Fatalf("row of i=4007 is %q, want ready: the first occurrence was invalid", got)
	}
	if got := recs[4002][4]; got != "duplicate" || !strings.Contains(recs[4002][7], "row 3") {
		t.Fatalf("row of i=4001: %v", recs[4002])
	}
	if len(res.Samples) != 2 || res.Samples[0].Num != 2 {
		t.Fatalf("samples %+v", res.Samples)
	}
}
