//go:build unix

package campaign_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/internal/cputime"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/sandbox"
)

// BenchmarkFollowUp sends a session message to b.N people who all wrote an hour ago, at an unlimited rate and
// concurrency 64, through the Meta adapter to the zero-latency sandbox child: the check reads every number's
// last message once; the feeder and the workers ask the store about each row's number at its turn. Compare
// with BenchmarkEngine/store=true/conc=64, a template campaign without that guard.
//
//	go test -run '^$' -bench 'FollowUp' -benchtime 20000x ./campaign/
func BenchmarkFollowUp(b *testing.B) {
	child := childSandbox(b, "")
	defer child.Stop()
	profile := sandbox.Credentials()["meta"]
	profile.Name, profile.BaseURL = "bench", child.URL
	dir := b.TempDir()
	var csv strings.Builder
	csv.WriteString("first_name,phone,code\n")
	batch := store.CallbackBatch{Profile: profile.Name, Received: time.Now()}
	for i := 0; i < b.N; i++ {
		cc := []string{"447400", "4915123", "33612"}[i%3]
		number := fmt.Sprintf("%s%06d", cc, i/3)
		fmt.Fprintf(&csv, "N%d,+%s,C%d\n", i, number, i)
		batch.Inbound = append(batch.Inbound, store.InboundMessage{Inbound: providers.Inbound{ID: "in" + number,
			From: number, At: time.Now().Add(-time.Hour), Type: "text", Text: "How much?"}})
	}
	plan := campaign.Plan{CSVPath: filepath.Join(dir, "r.csv"), TemplatePath: filepath.Join(dir, "t.yaml"),
		StatePath: filepath.Join(dir, "s.db"), Profile: profile, Rate: math.Inf(1), Concurrency: 64}
	if err := os.WriteFile(plan.CSVPath, []byte(csv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(plan.TemplatePath, []byte(sessionText), 0o600); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(plan.StatePath)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.RecordCallbacks(batch); err != nil {
		b.Fatal(err)
	}
	st.Close()
	in, err := campaign.Open(plan)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	b.ResetTimer()
	t0 := time.Now()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	checked := time.Since(t0)
	eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: engine.Options{StopOnPause: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer prov.Close()
	cpu0, t1 := cputime.Used(b), time.Now()
	snap, err := eng.Run(context.Background())
	wall, cpu := time.Since(t1), cputime.Used(b)-cpu0
	b.StopTimer()
	if err != nil || snap.Sent != int64(b.N) {
		b.Fatalf("sent %d of %d: %v (%s)", snap.Sent, b.N, err, snap.Reason)
	}
	b.ReportMetric(float64(checked.Milliseconds())*10000/float64(b.N), "check-ms/10k")
	b.ReportMetric(float64(b.N)/wall.Seconds(), "msgs/s")
	b.ReportMetric(float64(cpu.Milliseconds())*10000/float64(b.N), "cpu-ms/10k")
}
