package campaign_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// rowResult is one row of the results CSV.
type rowResult struct{ status, messageID, code string }

// results reads the run's results CSV by number.
func (r *rig) results() map[string]rowResult {
	r.t.Helper()
	m := map[string]rowResult{}
	for _, rec := range readResults(r.t, filepath.Join(r.dir, "r-engine_test.results.csv")) {
		m[rec["result_number"]] = rowResult{rec["result_status"], rec["result_message_id"], rec["result_error_code"]}
	}
	return m
}

// assertExactlyOnce checks every row's final status against the sandbox's log: a sent row was accepted exactly
// once with the message id recorded; a failed or pending row never; an unknown row at most once; no number
// twice; no row lost. It returns the rows per status.
func (r *rig) assertExactlyOnce(rows int) map[string]int {
	r.t.Helper()
	accepted := map[string][]string{}
	for _, e := range r.srv.Log() {
		if e.Action == sandbox.Accept.String() {
			accepted[e.To] = append(accepted[e.To], e.MessageID)
		}
	}
	res := r.results()
	if len(res) != rows {
		r.t.Fatalf("%d rows in the results, want %d", len(res), rows)
	}
	by := map[string]int{}
	for num, got := range res {
		by[got.status]++
		ids := accepted[num]
		switch {
		case len(ids) > 1:
			r.t.Errorf("%s was messaged %d times", num, len(ids))
		case got.status == status.Sent && (len(ids) != 1 || ids[0] != got.messageID):
			r.t.Errorf("%s is sent with id %q but the sandbox accepted %v", num, got.messageID, ids)
		case (got.status == status.Failed || got.status == status.Pending) && len(ids) != 0:
			r.t.Errorf("%s is %s but the sandbox accepted it", num, got.status)
		}
	}
	return by
}

func TestFault429StormWithRetryAfter(t *testing.T) {
	// The provider takes 40/s; herald is told 400/s: it must slow down, honour Retry-After and lose nothing.
	r := newRig(t, 150, sandbox.Options{RateLimit: 40, RateBurst: 10})
	r.plan.Rate, r.plan.Concurrency = 400, 16
	snap, _ := r.send(r.plan, fastOpts())
	by := r.assertExactlyOnce(150)
	if by[status.Sent] != 150 || snap.RateLimited == 0 || !hasEvent(snap, engine.EventSlowed) {
		t.Fatalf("statuses %v, rate-limited %d, events %+v", by, snap.RateLimited, snap.Events)
	}
}

func TestFault503Bursts(t *testing.T) {
	var n atomic.Int64
	// Two bursts of 16 requests all answered 503: with 8 in flight, each row caught in one gets about two.
	r := newRig(t, 200, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action {
		if k := n.Add(1); (k > 20 && k <= 36) || (k > 100 && k <= 116) {
			return sandbox.Transient
		}
		return sandbox.Accept
	}})
	snap, _ := r.send(r.plan, fastOpts())
	if by := r.assertExactlyOnce(200); by[status.Sent] != 200 {
		t.Fatalf("statuses %v", by)
	}
	if snap.Retries != 32 {
		t.Fatalf("retries %d, want 32", snap.Retries)
	}
}

func TestFaultConnectionClosedAfterRequest(t *testing.T) {
	var n atomic.Int64
	r := newRig(t, 40, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action {
		if n.Add(1)%10 == 0 {
			return sandbox.Drop
		}
		return sandbox.Accept
	}})
	r.send(r.plan, fastOpts())
	by := r.assertExactlyOnce(40)
	if by[status.Unknown] != 4 || by[status.Sent] != 36 {
		t.Fatalf("statuses %v: a dropped connection after the request is unknown, never resent", by)
	}
}

func TestFaultAnswerSlowerThanTimeout(t *testing.T) {
	var n atomic.Int64
	release := make(chan struct{})
	r := newRig(t, 20, sandbox.Options{})
	r.srv = sandbox.New(sandbox.Options{KeepLog: true})
	// Every 5th request is held until the client has given up (its context ends with the timeout).
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if n.Add(1)%5 == 0 {
			select {
			case <-req.Context().Done():
			case <-release:
			}
		}
		r.srv.ServeHTTP(w, req)
	}))
	defer hs.Close()
	defer close(release)
	r.plan.Profile = r.srv.Profile("meta", hs.URL)
	r.timeout = 300 * time.Millisecond
	r.send(r.plan, fastOpts())
	by := r.assertExactlyOnce(20)
	if by[status.Unknown] != 4 || by[status.Sent] != 16 {
		t.Fatalf("statuses %v: a request that timed out may have been sent: unknown", by)
	}
}

// TestFaultHuaweiTokenExpiresMidRun: the CEC access token is revoked after the 50th send. The adapter must
// fetch a new token during the run (after that send, before the last one) and fail no row.
func TestFaultHuaweiTokenExpiresMidRun(t *testing.T) {
	var mu sync.Mutex
	var sends int
	var tokenFetches []int // the number of sends seen when each token was fetched
	var srv *sandbox.Server
	r := newRigWith(t, 120, sandbox.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			mu.Lock()
			if strings.Contains(req.URL.Path, "tokenByAkSk") {
				tokenFetches = append(tokenFetches, sends)
			} else if sends++; sends == 50 {
				srv.ExpireTokens()
			}
			mu.Unlock()
			next.ServeHTTP(w, req)
		})
	})
	srv = r.srv
	r.plan.Profile = r.srv.Profile("huawei", r.url)
	snap, _ := r.send(r.plan, fastOpts())
	by := r.assertExactlyOnce(120)
	if by[status.Sent] != 120 || snap.Failed != 0 {
		t.Fatalf("statuses %v, failed %d: a token refresh must fail no row", by, snap.Failed)
	}
	mu.Lock()
	defer mu.Unlock()
	refreshed := false
	for _, at := range tokenFetches[1:] {
		refreshed = refreshed || (at >= 50 && at < sends)
	}
	if len(tokenFetches) < 2 || !refreshed {
		t.Fatalf("token fetched after sends %v of %d: no refresh during the run after the token expired", tokenFetches, sends)
	}
}

// mangle answers every 4th request with a broken version of the sandbox's real answer (the request was
// processed: the sandbox logged it).
func mangle(kind string) func(http.Handler) http.Handler {
	var n atomic.Int64
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if n.Add(1)%4 != 0 {
				next.ServeHTTP(w, req)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			switch kind {
			case "truncated":
				body = body[:len(body)/2]
			case "html":
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte("<html><body>Service temporarily unavailable</body></html>"))
				return
			case "oversized":
				body = append(bytes.Repeat([]byte(" "), 2<<20), body...)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

func TestFaultMangledAnswers(t *testing.T) {
	for _, kind := range []string{"truncated", "html", "oversized"} {
		t.Run(kind, func(t *testing.T) {
			r := newRigWith(t, 40, sandbox.Options{}, mangle(kind))
			r.send(r.plan, fastOpts())
			by := r.assertExactlyOnce(40)
			// The provider processed the request but its answer cannot be read: it may have been sent.
			if by[status.Unknown] != 10 || by[status.Sent] != 30 {
				t.Fatalf("statuses %v", by)
			}
		})
	}
}

func TestFaultAuthRevokedMidRun(t *testing.T) {
	var n atomic.Int64
	r := newRig(t, 300, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action {
		if n.Add(1) > 120 {
			return sandbox.AuthFail
		}
		return sandbox.Accept
	}})
	snap, _ := r.send(r.plan, fastOpts())
	by := r.assertExactlyOnce(300)
	if snap.State != status.Stopped || by[status.Sent] != 120 || by[status.Pending] != 180 {
		t.Fatalf("state %s, statuses %v: rows not sent must stay pending for the resume", snap.State, by)
	}
}
