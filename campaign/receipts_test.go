package campaign_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/receipts"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/sandbox"
)

// TestCampaignWithCallbacks is the done-when scenario of the receipts issue: 2,000 rows sent to a sandbox that
// calls back (some fail later, some reply STOP, callbacks duplicated and shuffled, many before the send's own
// outcome is committed, a few forged) to a listener beside the run. The results CSV's delivery columns say
// exactly what the sandbox sent, the forged callbacks changed nothing, and the STOP numbers are on the opt-out
// list and suppressed in the next campaign.
func TestCampaignWithCallbacks(t *testing.T) {
	const rows = 2000
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "Name%d,+447400%06d,C%d\n", i, 100000+i, i)
	}
	writeFile(t, filepath.Join(dir, "r.csv"), b.String())
	writeFile(t, filepath.Join(dir, "t.yaml"), rigTemplate)
	statePath := filepath.Join(dir, "state.db")

	prof, rcv, box := listenBeside(t, statePath, "meta", sandbox.CallbackOptions{
		Knobs: providers.SandboxCallbacks{Jitter: 30 * time.Millisecond, Read: 0.5, Failed: 0.1, Stop: 0.1,
			Duplicates: 0.3, Shuffle: true},
		Forged: 0.05, Workers: 16, RetryBase: 10 * time.Millisecond}, 11)

	plan := campaign.Plan{CSVPath: filepath.Join(dir, "r.csv"), TemplatePath: filepath.Join(dir, "t.yaml"),
		StatePath: statePath, Profile: prof, Rate: math.Inf(1), Concurrency: 16, Campaign: "first"}
	out := sendAndExport(t, plan, box, rows)

	fates := map[string]sandbox.Fate{}
	stops := map[string]bool{}
	for _, f := range box.Fates() {
		fates[f.MessageID] = f
		if f.Reply != "" {
			stops[f.To] = true
		}
	}
	if len(fates) != rows {
		t.Fatalf("the sandbox accepted %d messages, want %d", len(fates), rows)
	}
	cell := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	kinds := map[string]int{}
	for _, r := range readResults(t, out) {
		f, ok := fates[r["result_message_id"]]
		if !ok {
			t.Fatalf("row %v: no message the sandbox accepted", r)
		}
		want := map[string]string{"result_delivery": f.State, "result_delivery_code": f.Code,
			"result_delivered_at": cell(f.Delivered), "result_read_at": cell(f.Read),
			"result_replied_at": cell(f.Replied), "result_reply": f.Reply}
		for col, w := range want {
			if r[col] != w {
				t.Fatalf("message %s (%s): %s is %q, the sandbox sent %q", f.MessageID, f.To, col, r[col], w)
			}
		}
		kinds[f.State]++
	}
	st := box.CallbackStats()
	if st.Forged == 0 || st.Refused != st.Forged || st.ForgedTaken != 0 || st.Duplicates == 0 || st.GaveUp != 0 {
		t.Fatalf("callbacks %+v: every forged one refused, duplicates posted, none given up", st)
	}
	ls := rcv.Stats()
	if ls.Refused != st.Forged || ls.Accepted != st.Posted {
		t.Fatalf("listener %+v, sandbox %+v: the listener took every genuine callback and refused every forged one", ls, st)
	}
	// Unknown counts the callbacks that came before their row's outcome was committed: kept, then applied.
	t.Logf("sandbox %+v; listener %+v", st, ls)
	if kinds[providers.DeliveryFailed] == 0 || kinds[providers.DeliveryRead] == 0 || len(stops) == 0 {
		t.Fatalf("outcomes %v, %d STOP replies: the knobs should give some of each", kinds, len(stops))
	}

	// The STOP numbers are on the opt-out list...
	listed := map[string]bool{}
	if err := campaign.EachOptOut(statePath, func(o campaign.OptOut) error { listed[o.Number] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(listed) != fmt.Sprint(stops) {
		t.Fatalf("opt-out list has %d numbers, the sandbox's STOP replies came from %d", len(listed), len(stops))
	}
	// ...and suppressed in the next campaign, before anything is sent.
	next := plan
	next.Campaign, next.OutPath = "second", filepath.Join(dir, "second.csv")
	in, err := campaign.Open(next)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	res, err := campaign.Preview(context.Background(), in, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Counts[status.Suppressed] != len(stops) || res.Summary.Counts[status.Ready] != rows-len(stops) {
		t.Fatalf("next campaign: %v, want %d suppressed", res.Summary.Counts, len(stops))
	}
	for _, r := range readResults(t, next.OutPath) {
		if stops[r["result_number"]] != (r["result_status"] == status.Suppressed && r["result_error_code"] == status.CodeOptedOut) {
			t.Fatalf("next campaign row %v", r)
		}
	}
	if f := campaignFunnel(t, statePath, "first"); f.Sent != rows || f.OptedOut != len(stops) ||
		f.FailedLater != kinds[providers.DeliveryFailed] || f.Read != kinds[providers.DeliveryRead] {
		t.Fatalf("funnel %+v, outcomes %v", f, kinds)
	}
}

// listenBeside starts a listener on statePath, as `herald listen` beside `herald send`, for the profile the
// sandbox prints for dialect, and a sandbox (seeded with seed) that calls it back with cb's knobs; the profile
// returned sends to that sandbox. Both stop when the test ends.
func listenBeside(t *testing.T, statePath, dialect string, cb sandbox.CallbackOptions, seed uint64) (providers.Profile,
	*campaign.Receiver, *sandbox.Server) {
	t.Helper()
	prof := sandbox.New(sandbox.Options{}).Profile(dialect, "http://placeholder")
	rcv, err := campaign.Listen(statePath, campaign.Listening{Addr: "127.0.0.1:0", Profiles: []providers.Profile{prof}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rcv.Close() })
	cb.Targets = map[string]sandbox.CallbackTarget{dialect: {URL: rcv.URL(prof.Name), Secret: prof.WebhookSecret,
		Token: prof.WebhookToken}}
	box := sandbox.New(sandbox.Options{Seed: seed, Callbacks: cb})
	hs := httptest.NewServer(box)
	t.Cleanup(func() {
		hs.Close()
		box.Close()
	})
	prof.BaseURL = hs.URL
	return prof, rcv, box
}

// sendAndExport sends plan's campaign (every one of its rows must be sent), waits until box has posted every
// callback, and returns the path of the campaign's results CSV exported then.
func sendAndExport(t *testing.T, plan campaign.Plan, box *sandbox.Server, rows int) string {
	t.Helper()
	if _, counts := (&rig{t: t}).send(plan, fastOpts()); counts[status.Sent] != rows {
		t.Fatalf("counts %v", counts)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := box.DrainCallbacks(ctx); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(plan.StatePath), plan.Campaign+".csv")
	if _, err := campaign.Export(plan.StatePath, plan.Campaign, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// readResults reads a results CSV as one map of column to cell per row.
func readResults(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// campaignFunnel is the funnel herald campaigns shows for the named campaign.
func campaignFunnel(t *testing.T, statePath, name string) campaign.Funnel {
	t.Helper()
	list, err := campaign.Campaigns(statePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Name == name {
			return c.Funnel
		}
	}
	t.Fatalf("no campaign %s", name)
	return campaign.Funnel{}
}

// TestBuiltInSandboxCallsBack: with the built-in sandbox profile the run listens on loopback by itself, so
// the funnel fills with no account and no flag. A tap on the template's opt_out quick reply opts out.
func TestBuiltInSandboxCallsBack(t *testing.T) {
	r := newRig(t, 40, sandbox.Options{})
	writeFile(t, r.plan.TemplatePath, rigTemplate+"buttons:\n  - quick_reply: No more offers\n    payload: NO_MORE\n    opt_out: true\n")
	plan := r.plan
	plan.Profile = providers.Profile{Name: "sandbox", Provider: "sandbox",
		Callbacks: providers.SandboxCallbacks{Read: 1, Jitter: 10 * time.Millisecond}}
	in, err := campaign.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	eng, closer, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: fastOpts()})
	if err != nil {
		t.Fatal(err)
	}
	if sess.Listening == nil || !sess.Listening.Sandbox || !strings.Contains(sess.Listening.URLs["sandbox"], receipts.Path+"sandbox") {
		t.Fatalf("listening %+v", sess.Listening)
	}
	if _, err := eng.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := closer.Close(); err != nil { // waits for the sandbox's last callbacks
		t.Fatal(err)
	}
	if err := sess.WriteResults(); err != nil {
		t.Fatal(err)
	}
	f, ok := sess.LiveFunnel()
	if !ok || f != (campaign.Funnel{Sent: 40, Delivered: 40, Read: 40}) {
		t.Fatalf("funnel %+v %v", f, ok)
	}
	row := readResults(t, sess.Input.Plan.OutPath)[0]
	tap := store.InboundMessage{Inbound: providers.Inbound{ID: "tap1", From: row["result_number"], Type: "button",
		Text: "No more offers", ButtonText: "No more offers", ButtonPayload: "NO_MORE", ContextID: row["result_message_id"]}}
	if _, err := sess.Store.RecordCallbacks(store.CallbackBatch{Profile: "sandbox", Rehearsal: true,
		Inbound: []store.InboundMessage{tap}}); err != nil {
		t.Fatal(err)
	}
	if set, err := sess.Store.OptedOut(true); err != nil || len(set) != 1 {
		t.Fatalf("after a tap on the opt_out button: %v %v", set, err)
	}
}

// TestEngagelabBatchReceiptsReachEveryRow: EngageLab answers a request of many recipients with one message_id
// and tells them apart in its callbacks by to; every row of every batch gets its own delivery state, read time
// and reply in the results CSV, not only one row a request.
func TestEngagelabBatchReceiptsReachEveryRow(t *testing.T) {
	const rows = 600
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("phone\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "+447400%06d\n", 100000+i)
	}
	writeFile(t, filepath.Join(dir, "r.csv"), b.String())
	writeFile(t, filepath.Join(dir, "t.yaml"), staticTemplate)
	statePath := filepath.Join(dir, "state.db")
	prof, _, box := listenBeside(t, statePath, "engagelab", sandbox.CallbackOptions{
		Knobs:   providers.SandboxCallbacks{Read: 0.5, Failed: 0.1, Stop: 0.1, Duplicates: 0.2, Shuffle: true},
		Workers: 8, RetryBase: 10 * time.Millisecond}, 5)
	plan := campaign.Plan{CSVPath: filepath.Join(dir, "r.csv"), TemplatePath: filepath.Join(dir, "t.yaml"),
		StatePath: statePath, Profile: prof, Rate: math.Inf(1), Concurrency: 4, Campaign: "batch"}
	out := sendAndExport(t, plan, box, rows)
	fates := map[string]sandbox.Fate{}
	requests := map[string]bool{}
	for _, f := range box.Fates() {
		fates[f.MessageID+":"+f.To] = f
		requests[f.MessageID] = true
	}
	if len(fates) != rows || len(requests) >= rows/2 {
		t.Fatalf("%d fates in %d requests: want %d recipients, many to a request", len(fates), len(requests), rows)
	}
	withReceipt := 0
	for _, r := range readResults(t, out) {
		f, ok := fates[r["result_message_id"]]
		if !ok {
			t.Fatalf("row %v: its id is not message_id:number of a message the sandbox accepted", r)
		}
		if r["result_delivery"] != f.State || r["result_reply"] != f.Reply {
			t.Fatalf("%s: delivery %q reply %q, the sandbox sent %q %q", r["result_number"], r["result_delivery"],
				r["result_reply"], f.State, f.Reply)
		}
		if r["result_delivery"] != "" {
			withReceipt++
		}
	}
	if withReceipt != rows {
		t.Fatalf("%d of %d rows have a delivery state", withReceipt, rows)
	}
}
