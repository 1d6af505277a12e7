package campaign_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"herald/campaign"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// TestFaultRedirectToAnotherHostStopsTheCampaign: the provider's URL answers 307 to a second server. Nothing
// may reach the second server (credentials, signatures and bodies stay with the configured host), the campaign
// stops as fatal at its first answer, and every row stays ready for a resume after the profile is fixed.
func TestFaultRedirectToAnotherHostStopsTheCampaign(t *testing.T) {
	var stolen atomic.Int64
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }))
	t.Cleanup(thief.Close)
	r := newRigWith(t, 20, sandbox.Options{}, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			http.Redirect(w, req, thief.URL+req.URL.Path, http.StatusTemporaryRedirect)
		})
	})
	r.plan.Concurrency = 1
	snap, counts := r.send(r.plan, fastOpts())
	if stolen.Load() != 0 {
		t.Fatalf("the second host received %d requests", stolen.Load())
	}
	if snap.State != status.Stopped || !strings.Contains(snap.Reason, "redirect") {
		t.Fatalf("state %s (%s), want stopped naming the redirect", snap.State, snap.Reason)
	}
	if counts[status.Ready] != 20 || snap.Sent != 0 {
		t.Fatalf("counts %v, sent %d: every row must stay ready", counts, snap.Sent)
	}
	if code := campaign.ExitCode(counts, true); code != campaign.ExitStopped {
		t.Fatalf("exit %d, want %d", code, campaign.ExitStopped)
	}
}

// TestFaultUntrustedCertificateStopsAtOnce: a provider behind a certificate nobody signed is a fatal error of
// the profile, found at the first request: no retries per row, no row failed.
func TestFaultUntrustedCertificateStopsAtOnce(t *testing.T) {
	r := newRig(t, 20, sandbox.Options{})
	var requests atomic.Int64
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		requests.Add(1)
		r.srv.ServeHTTP(w, req)
	}))
	t.Cleanup(tlsSrv.Close)
	r.plan.Profile = r.srv.Profile("meta", tlsSrv.URL)
	r.plan.Concurrency, r.plan.Rate = 1, math.Inf(1)
	snap, counts := r.send(r.plan, fastOpts())
	if snap.State != status.Stopped || !strings.Contains(snap.Reason, "tls") {
		t.Fatalf("state %s (%s), want stopped naming the TLS failure", snap.State, snap.Reason)
	}
	if snap.Retries != 0 || counts[status.Failed] != 0 || counts[status.Ready] != 20 {
		t.Fatalf("retries %d, counts %v: a TLS failure is not retried or failed per row", snap.Retries, counts)
	}
	if requests.Load() != 0 {
		t.Fatalf("%d requests got through an untrusted certificate", requests.Load())
	}
}

// TestCampaignNameIsNotAPath: a campaign name with path separators keeps its identity but the default results
// file stays beside the CSV.
func TestCampaignNameIsNotAPath(t *testing.T) {
	csv := filepath.Join("data", "in.csv")
	for _, name := range []string{"../../x", `..\..\x`, "/etc/passwd", "a/b", "..", "", "spring: sale?"} {
		got := campaign.DefaultResultsPath(csv, name)
		if filepath.Dir(got) != "data" {
			t.Errorf("campaign %q: results at %s, outside the CSV's folder", name, got)
		}
		base := filepath.Base(got)
		if strings.ContainsAny(base, `/\:?"<>|*`) || strings.HasPrefix(base, ".") {
			t.Errorf("campaign %q: file name %q is not a plain file name", name, base)
		}
	}
	if got := campaign.FileName("spring_sale-2026"); got != "spring_sale-2026" {
		t.Errorf("a plain name changed: %q", got)
	}
}
