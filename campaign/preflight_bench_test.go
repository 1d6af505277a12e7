//go:build unix

package campaign_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/internal/cputime"
	"herald/campaign/internal/fakeclock"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
)

// BenchmarkPreflight times the pre-flight of a big campaign (read, check, plan into the store: what happens
// before the confirmation) without and with the guards: a send window of 09:00-20:00, a frequency cap of
// 72 hours and a messaging limit of 100,000, against a store in which another campaign of the same profile
// messaged the file's first 100,000 rows an hour earlier.
//
//	go run ./testdata/gencsv -rows 1000000 -out /tmp/1m.csv
//	HERALD_PREFLIGHT_CSV=/tmp/1m.csv go test -run '^$' -bench Preflight -benchtime 1x -timeout 30m ./campaign/
func BenchmarkPreflight(b *testing.B) {
	csvPath := os.Getenv("HERALD_PREFLIGHT_CSV")
	if csvPath == "" {
		b.Skip("set HERALD_PREFLIGHT_CSV to a big recipients CSV (go run ./testdata/gencsv)")
	}
	t0 := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	dir := b.TempDir()
	profile := providers.Profile{Name: "meta", Provider: "sandbox"}
	base := campaign.Plan{TemplatePath: "../templates/spring_sale.yaml", StatePath: filepath.Join(dir, "state.db"),
		Profile: profile}
	history := base
	history.Campaign, history.CSVPath = "history", firstLines(b, csvPath, filepath.Join(dir, "history.csv"), 100_001)
	sent := sendAll(b, history, t0.Add(-time.Hour))
	b.Logf("history: %d numbers messaged at %s", sent, t0.Add(-time.Hour).Format(time.RFC3339))

	for _, guarded := range []bool{false, true} {
		b.Run(fmt.Sprintf("guards=%v", guarded), func(b *testing.B) {
			rows := 0
			cpu0 := cputime.Used(b)
			for i := 0; i < b.N; i++ {
				p := base
				p.CSVPath, p.Campaign = csvPath, fmt.Sprintf("big-%v-%d", guarded, time.Now().UnixNano())
				if guarded {
					p.SendWindow, p.FrequencyCap, p.Profile.MessagingLimit = "09:00-20:00", 72*time.Hour, 100_000
				}
				in, err := campaign.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				in.Clock = fakeclock.New(t0)
				sess, err := campaign.Prepare(context.Background(), in, nil)
				if err != nil {
					b.Fatal(err)
				}
				rows += sess.Summary.Rows
				b.Logf("%s: %v", p.Campaign, campaign.OrderedCounts(sess.Counts))
				sess.Close()
				in.Close()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric((cputime.Used(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// firstLines copies the first n lines of src to dst and returns dst.
func firstLines(tb testing.TB, src, dst string, n int) string {
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for i := 0; i < n && sc.Scan(); i++ {
		w.Write(sc.Bytes())
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return dst
}

// sendAll plans the campaign and records every ready row sent at at, through the store's journal (no
// provider), and returns how many.
func sendAll(tb testing.TB, plan campaign.Plan, at time.Time) int {
	in, err := campaign.Open(plan)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer sess.Close()
	id := sess.Info.ID
	j := sess.Store.OpenJournal(id, store.JournalOptions{Now: func() time.Time { return at }})
	rows := make(chan int, 1024)
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range rows {
				if err := j.MarkInFlight(context.Background(), row, 1); err != nil {
					tb.Error(err)
					return
				}
				j.Record(store.Outcome{Row: row, Status: status.Sent, MessageID: fmt.Sprint("m", row), Attempts: 1})
			}
		}()
	}
	n, after := 0, 0
	for {
		page, err := sess.Store.ReadyRows(id, after, 1000)
		if err != nil {
			tb.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			rows <- r.Row
			after = r.Row
			n++
		}
	}
	close(rows)
	wg.Wait()
	if err := j.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := sess.Store.SetCampaignStatus(id, status.Finished, ""); err != nil {
		tb.Fatal(err)
	}
	return n
}
