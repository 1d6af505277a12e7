package campaign_test

import (
	"net/http"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"herald/campaign/status"
	"herald/providers/innopaas"
	"herald/providers/sandbox"
)

// staticTemplate is a template without variables: every row's message is the same, so a provider that takes
// lists gets them many recipients a request.
const staticTemplate = `name: store_opening
language: en_US
body: "Our new shop opens on Saturday: come and see us."
`

// countRequests counts the requests to path that reach h.
func countRequests(path string, n *atomic.Int64) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				n.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	}
}

// TestInnopaasBatches5000Rows is issue 13's "done when": a 5,000-row campaign with a static template through
// InnoPaaS (the sandbox's dialect, answering data.messageIds[]) makes at most 5 requests, and every row has its
// own message id in the results CSV. A second run sends nothing.
func TestInnopaasBatches5000Rows(t *testing.T) {
	var requests atomic.Int64
	r := newRigWith(t, 5000, sandbox.Options{}, countRequests(innopaas.SubmitPath, &requests))
	writeFile(t, filepath.Join(r.dir, "t.yaml"), staticTemplate)
	r.plan.Profile = r.srv.Profile("innopaas", r.url)
	snap, counts := r.send(r.plan, fastOpts())
	if snap.Sent != 5000 || counts[status.Sent] != 5000 {
		t.Fatalf("sent %d, counts %v (%s)", snap.Sent, counts, snap.Reason)
	}
	if n := requests.Load(); n > 5 {
		t.Errorf("%d requests for 5,000 rows, want at most 5", n)
	}
	recs := readCSV(t, filepath.Join(r.dir, "r-store_opening.results.csv"))
	header := recs[0]
	status, id := slices.Index(header, "result_status"), slices.Index(header, "result_message_id")
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		if rec[status] != "sent" || rec[id] == "" || seen[rec[id]] {
			t.Fatalf("row %v: want sent with a message id of its own", rec)
		}
		seen[rec[id]] = true
	}
	if len(seen) != 5000 {
		t.Fatalf("%d message ids in the results CSV, want 5000", len(seen))
	}
	for num, n := range r.sentPerNumber() {
		if n != 1 {
			t.Errorf("%s got %d messages", num, n)
		}
	}
	if snap, _ := r.send(r.plan, fastOpts()); snap.Sent != 0 || requests.Load() > 5 {
		t.Errorf("a second run sent %d in %d requests in all", snap.Sent, requests.Load())
	}
}

// TestInnopaasBatchWithInvalidNumbers: the numbers InnoPaaS refuses in a batch fail alone, with its code; the
// rest of the batch is sent, each row with its own id.
func TestInnopaasBatchWithInvalidNumbers(t *testing.T) {
	var requests atomic.Int64
	r := newRigWith(t, 300, sandbox.Options{RejectPrefixes: []string{"447400100007", "447400100250"}},
		countRequests(innopaas.SubmitPath, &requests))
	writeFile(t, filepath.Join(r.dir, "t.yaml"), staticTemplate)
	r.plan.Profile = r.srv.Profile("innopaas", r.url)
	snap, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 298 || counts[status.Failed] != 2 || requests.Load() != 1 {
		t.Fatalf("counts %v in %d requests (%s), want 298 sent and 2 failed in one", counts, requests.Load(), snap.Reason)
	}
	recs := readCSV(t, filepath.Join(r.dir, "r-store_opening.results.csv"))
	header := recs[0]
	num, st, code := slices.Index(header, "result_number"), slices.Index(header, "result_status"), slices.Index(header, "result_error_code")
	for _, rec := range recs[1:] {
		bad := rec[num] == "447400100007" || rec[num] == "447400100250"
		if bad != (rec[st] == "failed") || (bad && rec[code] != "108") {
			t.Errorf("row %v: want only the two refused numbers failed with 108", rec)
		}
	}
}

// TestEngagelabBatchSplitsOnAnInvalidNumber: EngageLab refuses a whole request for one invalid number (3003);
// herald sends that batch's rows again in halves until the number is alone, so only its row fails.
func TestEngagelabBatchSplitsOnAnInvalidNumber(t *testing.T) {
	r := newRig(t, 40, sandbox.Options{RejectPrefixes: []string{"447400100013"}})
	writeFile(t, filepath.Join(r.dir, "t.yaml"), staticTemplate)
	r.plan.Profile = r.srv.Profile("engagelab", r.url)
	snap, counts := r.send(r.plan, fastOpts())
	if counts[status.Sent] != 39 || counts[status.Failed] != 1 {
		t.Fatalf("counts %v (%s), want 39 sent and the invalid number failed", counts, snap.Reason)
	}
	for num, n := range r.sentPerNumber() {
		if n != 1 {
			t.Errorf("%s got %d messages", num, n)
		}
	}
}
