package campaign_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/internal/fakeclock"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/sandbox"
)

// sessionText is a session message (kind: session) for the rig's CSVs.
const sessionText = "kind: session\nname: thanks\ntext: \"Thanks {{first_name}}, here is the price list: https://shop.example/p\"\n"

// wrote records in the state store at path that each number wrote to the business through profile at its time.
func wrote(t *testing.T, path, profile string, at map[string]time.Time) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wroteIn(t, st, profile, at)
}

// wroteIn is wrote through an open store.
func wroteIn(t *testing.T, st *store.Store, profile string, at map[string]time.Time) {
	t.Helper()
	b := store.CallbackBatch{Profile: profile, Received: time.Now()}
	for number, when := range at {
		b.Inbound = append(b.Inbound, store.InboundMessage{Inbound: providers.Inbound{ID: "in-" + number + when.String(),
			From: number, At: when, Type: "text", Text: "Yes please"}})
	}
	if _, err := st.RecordCallbacks(b); err != nil {
		t.Error(err)
	}
}

// prepareAt opens and prepares plan with the fake clock; the test closes the session (and its input).
func prepareAt(t *testing.T, plan campaign.Plan, clock *fakeclock.Clock) *campaign.Session {
	t.Helper()
	in, err := campaign.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	in.Clock = clock
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		in.Close()
		t.Fatal(err)
	}
	sess.Input.Plan.Profile.Timeout = 5 * time.Second
	return sess
}

// closeAll closes a session prepared by prepareAt.
func closeAll(sess *campaign.Session) {
	sess.Close()
	sess.Input.Close()
}

// rowsByNumber returns the campaign's rows by number.
func rowsByNumber(t *testing.T, sess *campaign.Session) map[string]store.Row {
	t.Helper()
	out := map[string]store.Row{}
	if err := sess.Store.EachRow(sess.Info.ID, func(r store.Row) error { out[r.Number] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSessionWindowEdges checks a session message at 10:00 against people who wrote 23h59m before (ready),
// 24h01m before (skipped, saying so) and never (skipped, saying so), then runs it 2 minutes later: the row of
// 23h59m is now 24h01m old at its turn and is skipped there, while the one who wrote 23h before goes.
func TestSessionWindowEdges(t *testing.T) {
	t0 := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	nums := numbers(4, london)
	r.plan.CSVPath = r.writeRecipients("repliers.csv", nums)
	r.plan.TemplatePath = filepath.Join(r.dir, "thanks.yaml")
	writeFile(t, r.plan.TemplatePath, sessionText)
	wrote(t, r.plan.StatePath, r.plan.Profile.Name, map[string]time.Time{
		nums[0]: t0.Add(-23*time.Hour - 59*time.Minute), nums[1]: t0.Add(-24*time.Hour - time.Minute),
		nums[3]: t0.Add(-23 * time.Hour)})
	wrote(t, r.plan.StatePath, "another-profile", map[string]time.Time{nums[2]: t0.Add(-time.Hour)})

	sess := prepareAt(t, r.plan, clock)
	defer closeAll(sess)
	if c := sess.Counts; c[status.Ready] != 2 || c[status.Skipped] != 2 {
		t.Fatalf("at the check: %v, want 2 ready (23h59m, 23h) and 2 skipped (24h01m, never)", c)
	}
	rows := rowsByNumber(t, sess)
	for n, want := range map[string]string{nums[1]: "last wrote to the business 24h01m ago (2025-03-09 09:59 UTC)",
		nums[2]: "never wrote to the business (no message from it through profile sandbox-meta"} {
		if r := rows[n]; r.Status != status.Skipped || r.Code != status.CodeOutsideWindow || !strings.Contains(r.Error, want) {
			t.Errorf("+%s: %s %s %q, want skipped outside_window with %q", n, r.Status, r.Code, r.Error, want)
		}
	}

	clock.Set(t0.Add(2 * time.Minute))
	eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: fastOpts()})
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	snap, err := eng.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if snap.State != status.Finished || snap.Sent != 1 || rec.count(nums[3:]) != 1 || rec.count(nums[:3]) != 0 {
		t.Fatalf("run: %s, sent %d; sandbox got %v", snap.State, snap.Sent, rec.at)
	}
	rows = rowsByNumber(t, sess)
	if r := rows[nums[0]]; r.Status != status.Skipped || !strings.Contains(r.Error, "24h01m ago") {
		t.Errorf("+%s at its turn: %s %q, want skipped 24h01m ago", nums[0], r.Status, r.Error)
	}
	if r := rows[nums[3]]; r.Status != status.Sent {
		t.Errorf("+%s: %s, want sent", nums[3], r.Status)
	}
	counts, _ := sess.Store.Counts(sess.Info.ID)
	if campaign.ExitCode(counts, false) != campaign.ExitOK {
		t.Errorf("exit code %d for %v: skipped rows are no failure", campaign.ExitCode(counts, false), counts)
	}
}

// TestReplyDuringFollowUp: a follow-up of 300 rows whose last person had not written when it was checked
// (skipped). That person writes while the run sends its first row, long before the feeder reaches the last
// row (one worker: the feeder runs at most its queue of 256 jobs ahead), and is sent the message at its turn.
// Then, at a rerun, rows whose person wrote since are counted to send and go.
func TestReplyDuringFollowUp(t *testing.T) {
	t0 := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	var (
		once sync.Once
		st   *store.Store
		last string
	)
	var mu sync.Mutex
	sent := map[string]int{}
	r := newRig(t, 1, sandbox.Options{Decide: func(req sandbox.Request) sandbox.Action {
		once.Do(func() { wroteIn(t, st, "sandbox-meta", map[string]time.Time{last: t0}) })
		mu.Lock()
		sent[req.To]++
		mu.Unlock()
		return sandbox.Accept
	}})
	nums := numbers(302, london)
	last = nums[299]
	r.plan.CSVPath = r.writeRecipients("repliers.csv", nums[:300])
	r.plan.TemplatePath = filepath.Join(r.dir, "thanks.yaml")
	r.plan.Concurrency = 1
	writeFile(t, r.plan.TemplatePath, sessionText)
	replied := map[string]time.Time{}
	for _, n := range nums[:299] {
		replied[n] = t0.Add(-time.Hour)
	}
	wrote(t, r.plan.StatePath, r.plan.Profile.Name, replied)

	run := func() (map[string]int, map[string]store.Row) {
		sess := prepareAt(t, r.plan, clock)
		defer closeAll(sess)
		st = sess.Store
		before := sess.Counts
		eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: fastOpts()})
		if err != nil {
			t.Fatal(err)
		}
		defer prov.Close()
		if _, err := eng.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return before, rowsByNumber(t, sess)
	}
	before, rows := run()
	if before[status.Ready] != 299 || before[status.Skipped] != 1 {
		t.Fatalf("at the check: %v, want 299 ready and the last row skipped", before)
	}
	if sent[last] != 1 || len(sent) != 300 {
		t.Fatalf("the last person got %d messages (%d people in all), want 1 of 300", sent[last], len(sent))
	}
	if row := rows[last]; row.Status != status.Sent {
		t.Fatalf("the last row is %s %q, want sent", row.Status, row.Error)
	}

	// A CSV with two more people, who had not written at its check; one writes before the rerun.
	r.plan.CSVPath = r.writeRecipients("repliers.csv", nums)
	sess := prepareAt(t, r.plan, clock)
	if c := sess.Counts; c[status.Skipped] != 302 || sess.ToSend() != 0 {
		t.Fatalf("checked again: %v, to send %d; want the 300 sent skipped as messaged and the 2 new outside the window", c, sess.ToSend())
	}
	closeAll(sess)
	wrote(t, r.plan.StatePath, "sandbox-meta", map[string]time.Time{nums[300]: t0})
	run()
	if sent[nums[300]] != 1 || sent[nums[301]] != 0 || len(sent) != 301 {
		t.Fatalf("rerun: %v", sent)
	}
	for n, c := range sent {
		if c != 1 {
			t.Errorf("+%s got %d messages", n, c)
		}
	}
}

// TestSessionMessagesBatch: identical session messages go many recipients a request through InnoPaaS, each
// row with its own outcome.
func TestSessionMessagesBatch(t *testing.T) {
	r := newRig(t, 1, sandbox.Options{})
	r.plan.Profile = r.srv.Profile("innopaas", r.url)
	nums := numbers(5, london)
	r.plan.CSVPath = r.writeRecipients("repliers.csv", nums)
	r.plan.TemplatePath = filepath.Join(r.dir, "prices.yaml")
	writeFile(t, r.plan.TemplatePath, "kind: session\nname: prices\ndocument: {link: \"https://cdn.example.com/p.pdf\", filename: Prices.pdf}\n")
	at := map[string]time.Time{}
	for _, n := range nums {
		at[n] = time.Now().Add(-time.Hour)
	}
	wrote(t, r.plan.StatePath, r.plan.Profile.Name, at)
	snap, counts := r.send(r.plan, fastOpts())
	if snap.Sent != 5 || counts[status.Sent] != 5 {
		t.Fatalf("sent %d, counts %v", snap.Sent, counts)
	}
	refs := map[string]int{}
	for _, e := range r.srv.Log() {
		if e.Session != "document" || e.Action != "sent" {
			t.Errorf("log entry %+v", e)
		}
		refs[e.Ref]++
	}
	if len(refs) != 1 {
		t.Errorf("the 5 identical messages went in %d requests, want 1: %v", len(refs), refs)
	}
}

// TestFollowUpRepliers writes a campaign's repliers as a recipients CSV: its header and the replying rows'
// cells, in row order; a campaign nobody replied to is an input error.
func TestFollowUpRepliers(t *testing.T) {
	r := newRig(t, 6, sandbox.Options{})
	_, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 6 {
		t.Fatalf("counts %v", counts)
	}
	st, err := store.Open(r.plan.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []store.Row
	info, _, err := st.Campaign("r-engine_test")
	if err == nil {
		msgs, err = st.Rows(info.ID, 0, 10)
	}
	if err != nil {
		t.Fatal(err)
	}
	_, err = campaign.WriteFollowUp(r.plan.StatePath, "r-engine_test")
	if err == nil || !strings.Contains(err.Error(), "nobody has replied to campaign r-engine_test yet (6 messages sent)") ||
		!campaign.IsInputError(err) {
		t.Fatalf("no replies: %v", err)
	}
	var b store.CallbackBatch
	b.Profile = r.plan.Profile.Name
	for _, i := range []int{4, 1} {
		b.Inbound = append(b.Inbound, store.InboundMessage{Inbound: providers.Inbound{ID: fmt.Sprint("in", i),
			From: msgs[i].Number, At: time.Now(), Type: "text", Text: "How much?", ContextID: msgs[i].MessageID}})
	}
	if _, err := st.RecordCallbacks(b); err != nil {
		t.Fatal(err)
	}
	st.Close()
	fu, err := campaign.WriteFollowUp(r.plan.StatePath, "r-engine_test")
	if err != nil {
		t.Fatal(err)
	}
	if fu.Repliers != 2 || fu.CSVPath != filepath.Join(r.dir, "r-engine_test-repliers.csv") || fu.Of.Profile != r.plan.Profile.Name {
		t.Fatalf("follow-up %+v", fu)
	}
	raw, err := os.ReadFile(fu.CSVPath)
	if err != nil {
		t.Fatal(err)
	}
	got := string(raw)
	want := "\ufefffirst_name,phone,code\nName1,+447400100001,C1\nName4,+447400100004,C4\n"
	if got != want {
		t.Fatalf("repliers CSV\n%q\nwant\n%q", got, want)
	}
	plan := fu.Plan(campaign.Plan{TemplatePath: "x.yaml"})
	if plan.CSVPath != fu.CSVPath || plan.TemplatePath != "x.yaml" {
		t.Fatalf("plan %+v", plan)
	}
}

// TestSessionMessagesIgnoreCapAndLimit: the follow-up of a campaign reaches its repliers although the campaign
// messaged them within the frequency cap and the profile's messaging limit is 1: a session message answers
// someone who wrote, which neither rule is about.
func TestSessionMessagesIgnoreCapAndLimit(t *testing.T) {
	r := newRig(t, 3, sandbox.Options{})
	r.plan.FrequencyCap = 72 * time.Hour
	if _, counts := r.send(r.plan, fastOpts()); counts[status.Sent] != 3 {
		t.Fatalf("the campaign: %v", counts)
	}
	at := map[string]time.Time{}
	for i := 0; i < 3; i++ {
		at[fmt.Sprintf("447400%06d", 100000+i)] = time.Now().Add(-time.Minute)
	}
	wrote(t, r.plan.StatePath, r.plan.Profile.Name, at)
	plan := r.plan
	plan.TemplatePath, plan.Campaign = filepath.Join(r.dir, "thanks.yaml"), "follow-up"
	plan.Profile.MessagingLimit = 1
	writeFile(t, plan.TemplatePath, sessionText)
	if _, counts := r.send(plan, fastOpts()); counts[status.Sent] != 3 {
		t.Fatalf("the follow-up: %v, want the 3 repliers sent", counts)
	}
}
