package campaign_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// rig is a campaign on disk (CSV + template + state store) and a sandbox on loopback to send it to.
type rig struct {
	t    *testing.T
	dir  string
	srv  *sandbox.Server
	url  string
	plan campaign.Plan
	// timeout bounds each request (default 5 s).
	timeout time.Duration
}

const rigTemplate = `name: engine_test
language: en_US
body: "Hello {{first_name}}, your code is {{code}}."
`

// newRig writes n recipients (valid GB mobiles) and starts a sandbox with opts (KeepLog forced on).
func newRig(t *testing.T, n int, opts sandbox.Options) *rig {
	return newRigWith(t, n, opts, nil)
}

// newRigWith is newRig with a middleware between the client and the sandbox (to mangle answers).
func newRigWith(t *testing.T, n int, opts sandbox.Options, wrap func(http.Handler) http.Handler) *rig {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Name%d,+447400%06d,C%d\n", i, 100000+i, i)
	}
	writeFile(t, filepath.Join(dir, "r.csv"), b.String())
	writeFile(t, filepath.Join(dir, "t.yaml"), rigTemplate)
	opts.KeepLog = true
	srv := sandbox.New(opts)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	r := &rig{t: t, dir: dir, srv: srv, url: hs.URL}
	r.plan = campaign.Plan{CSVPath: filepath.Join(dir, "r.csv"), TemplatePath: filepath.Join(dir, "t.yaml"),
		StatePath: filepath.Join(dir, "state.db"), Profile: srv.Profile("meta", hs.URL), Rate: math.Inf(1),
		Concurrency: 8}
	return r
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// fastOpts are engine options with tiny backoffs, so retries do not slow the tests down.
func fastOpts() engine.Options {
	return engine.Options{BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
		StopWait: 5 * time.Second, StopOnPause: true}
}

// send prepares the plan and runs it to the end, returning the final snapshot and the counts in the store.
func (r *rig) send(plan campaign.Plan, eo engine.Options) (engine.Snapshot, map[string]int) {
	r.t.Helper()
	in, err := campaign.Open(plan)
	if err != nil {
		r.t.Fatal(err)
	}
	defer in.Close()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	defer sess.Close()
	if sess.Input.Plan.Profile.Timeout = r.timeout; r.timeout == 0 {
		sess.Input.Plan.Profile.Timeout = 5 * time.Second
	}
	eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: eo.StopOnPause, Engine: eo})
	if err != nil {
		r.t.Fatal(err)
	}
	defer prov.Close()
	snap, err := eng.Run(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	if err := sess.WriteResults(); err != nil {
		r.t.Fatal(err)
	}
	counts, err := sess.Store.Counts(sess.Info.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return snap, counts
}

// sentPerNumber counts the sandbox's accepted messages per number.
func (r *rig) sentPerNumber() map[string]int {
	m := map[string]int{}
	for _, e := range r.srv.Log() {
		if e.Action == sandbox.Accept.String() {
			m[e.To]++
		}
	}
	return m
}

// perNumber is a Decide hook that answers each number's first k requests with act, then accepts.
func perNumber(k int, act sandbox.Action) func(sandbox.Request) sandbox.Action {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(req sandbox.Request) sandbox.Action {
		mu.Lock()
		defer mu.Unlock()
		seen[req.To]++
		if seen[req.To] <= k {
			return act
		}
		return sandbox.Accept
	}
}

func TestSendAllExactlyOnce(t *testing.T) {
	r := newRig(t, 300, sandbox.Options{})
	snap, counts := r.send(r.plan, fastOpts())
	if snap.State != status.Finished || snap.Sent != 300 || counts[status.Sent] != 300 {
		t.Fatalf("state %s sent %d counts %v", snap.State, snap.Sent, counts)
	}
	for num, n := range r.sentPerNumber() {
		if n != 1 {
			t.Errorf("%s got %d messages", num, n)
		}
	}
	// A second run sends nothing.
	snap, _ = r.send(r.plan, fastOpts())
	if snap.Sent != 0 || len(r.sentPerNumber()) != 300 || r.srv.Count(sandbox.Accept) != 300 {
		t.Fatalf("second run sent %d (sandbox accepted %d)", snap.Sent, r.srv.Count(sandbox.Accept))
	}
}

func TestRetriesThenSuccessOn503(t *testing.T) {
	r := newRig(t, 50, sandbox.Options{Decide: perNumber(2, sandbox.Transient)})
	snap, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 50 || snap.Retries != 100 {
		t.Fatalf("counts %v retries %d", counts, snap.Retries)
	}
	if got := r.srv.Count(sandbox.Transient); got != 100 {
		t.Fatalf("sandbox answered %d transient errors, want 100", got)
	}
	for num, n := range r.sentPerNumber() {
		if n != 1 {
			t.Errorf("%s got %d messages", num, n)
		}
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	r := newRig(t, 3, sandbox.Options{Decide: perNumber(1, sandbox.RateLimited)})
	snap, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 3 || snap.RateLimited != 3 {
		t.Fatalf("counts %v rate-limited %d", counts, snap.RateLimited)
	}
	first := map[string]time.Time{}
	for _, e := range r.srv.Log() {
		if e.Action == sandbox.RateLimited.String() {
			first[e.To] = e.Time
		} else if e.Action == sandbox.Accept.String() {
			// The sandbox asked for Retry-After: 1 (second); the backoff alone would be milliseconds.
			if gap := e.Time.Sub(first[e.To]); gap < 950*time.Millisecond {
				t.Errorf("%s retried after %v, before its Retry-After of 1 s", e.To, gap)
			}
		}
	}
	if !hasEvent(snap, engine.EventSlowed) {
		t.Errorf("no slowed event in %+v", snap.Events)
	}
}

func hasEvent(s engine.Snapshot, kind string) bool {
	for _, e := range s.Events {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

func TestFatalAuthStopsAtOnce(t *testing.T) {
	const conc = 8
	var mu sync.Mutex
	n := 0
	r := newRig(t, 2000, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n > 100 {
			return sandbox.AuthFail
		}
		return sandbox.Accept
	}})
	r.plan.Concurrency = conc
	snap, counts := r.send(r.plan, fastOpts())
	if snap.State != status.Stopped || !strings.Contains(snap.Reason, "fix the account") {
		t.Fatalf("state %s reason %q", snap.State, snap.Reason)
	}
	var firstFatal int64
	after := 0
	for _, e := range r.srv.Log() {
		if e.Action == sandbox.AuthFail.String() && (firstFatal == 0 || e.Seq < firstFatal) {
			firstFatal = e.Seq
		}
	}
	for _, e := range r.srv.Log() {
		if e.Seq > firstFatal {
			after++
		}
	}
	if after > conc {
		t.Fatalf("%d requests after the first fatal answer, want at most %d", after, conc)
	}
	if counts[status.Sent] != 100 || counts[status.Failed] != 0 {
		t.Fatalf("counts %v: auth failures must leave rows ready, not failed", counts)
	}
	if counts[status.Ready] != 1900 {
		t.Fatalf("ready %d, want 1900 left for the resume", counts[status.Ready])
	}
}

func TestAutoPauseOnRejectedTemplate(t *testing.T) {
	// Every message is rejected as a parameter mismatch (permanent): 20 in a row pause the campaign.
	r := newRig(t, 500, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action { return sandbox.RejectNumber }})
	r.plan.Concurrency = 4
	snap, counts := r.send(r.plan, fastOpts())
	if snap.State != status.Stopped || !strings.Contains(snap.Reason, "auto-paused: 20 failures in a row") {
		t.Fatalf("state %s reason %q", snap.State, snap.Reason)
	}
	if f := counts[status.Failed]; f < 20 || f > 20+4 {
		t.Fatalf("failed %d, want 20 plus at most the requests in flight", f)
	}
}

func TestRetryFailedAndResendUnknown(t *testing.T) {
	var mu sync.Mutex
	phase := 1
	r := newRig(t, 30, sandbox.Options{Decide: func(req sandbox.Request) sandbox.Action {
		mu.Lock()
		defer mu.Unlock()
		if phase > 1 {
			return sandbox.Accept
		}
		switch {
		case strings.HasSuffix(req.To, "0"): // rows 0, 10, 20: always a 503 -> failed after 5 attempts
			return sandbox.Transient
		case strings.HasSuffix(req.To, "1"): // rows 1, 11, 21: the connection drops -> unknown
			return sandbox.Drop
		}
		return sandbox.Accept
	}})
	snap, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 24 || counts[status.Failed] != 3 || counts[status.Unknown] != 3 {
		t.Fatalf("first run: counts %v (snapshot sent %d)", counts, snap.Sent)
	}
	mu.Lock()
	phase = 2
	mu.Unlock()
	// A plain rerun resends neither.
	if snap, _ := r.send(r.plan, fastOpts()); snap.Sent != 0 {
		t.Fatalf("plain rerun sent %d", snap.Sent)
	}
	p := r.plan
	p.RetryFailed = true
	if _, counts = r.send(p, fastOpts()); counts[status.Sent] != 27 || counts[status.Unknown] != 3 {
		t.Fatalf("--retry-failed: counts %v", counts)
	}
	p = r.plan
	p.ResendUnknown = true
	if _, counts = r.send(p, fastOpts()); counts[status.Sent] != 30 {
		t.Fatalf("--resend-unknown: counts %v", counts)
	}
	if got := r.srv.Count(sandbox.Transient); got != 15 {
		t.Fatalf("transient answers %d, want 3 rows x 5 attempts", got)
	}
}
