package campaign_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/status"
	"herald/campaign/templates"
	"herald/providers/sandbox"
)

// gateRig is a rig on the itniotech dialect whose template reviews take an hour on a clock the test steps.
type gateRig struct {
	*rig
	clock atomic.Int64
}

func newGateRig(t *testing.T, strict bool, wrap func(http.Handler) http.Handler) *gateRig {
	g := &gateRig{}
	g.clock.Store(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	g.rig = newRigWith(t, 5, sandbox.Options{TemplateReview: time.Hour, StrictTemplates: strict,
		TemplateClock: func() time.Time { return time.Unix(0, g.clock.Load()) }}, wrap)
	g.plan.Profile = g.srv.Profile("itniotech", g.url)
	return g
}

// template writes a template file called name for the rig's CSV and returns the plan that sends it.
func (g *gateRig) template(name string) campaign.Plan {
	path := filepath.Join(g.dir, name+".yaml")
	writeFile(g.t, path, "name: "+name+"\nlanguage: en_US\nbody: \"Hello {{first_name}}, your code is {{code}}.\"\nexample: {first_name: Olivia, code: SPRING10}\n")
	plan := g.plan
	plan.TemplatePath = path
	return plan
}

// create creates plan's template at the sandbox.
func (g *gateRig) create(plan campaign.Plan) {
	g.t.Helper()
	d, err := templates.Create(context.Background(), templates.CreateRequest{Profile: plan.Profile, TemplatePath: plan.TemplatePath})
	if err != nil {
		g.t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Submit(context.Background()); err != nil {
		g.t.Fatal(err)
	}
}

// refused starts plan and checks that Start refuses it with an input error (exit 2) holding want, with nothing
// sent and every row still ready.
func (g *gateRig) refused(plan campaign.Plan, want string) {
	g.t.Helper()
	in, err := campaign.Open(plan)
	if err != nil {
		g.t.Fatal(err)
	}
	defer in.Close()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		g.t.Fatal(err)
	}
	defer sess.Close()
	_, prov, err := sess.Start(campaign.RunOptions{Engine: fastOpts()})
	if err == nil {
		prov.Close()
		g.t.Fatalf("Start on %s went ahead", in.Template.Name)
	}
	if campaign.ExitFor(err) != campaign.ExitInput || !strings.Contains(err.Error(), want) {
		g.t.Errorf("Start: exit %d, %v; want exit 2 with %q", campaign.ExitFor(err), err, want)
	}
	if n := g.srv.Count(sandbox.Accept) + g.srv.Count(sandbox.TemplateMissing); n != 0 {
		g.t.Errorf("%d messages reached the provider", n)
	}
	counts, err := sess.Store.Counts(sess.Info.ID)
	if err != nil || counts[status.Ready] != 5 {
		g.t.Errorf("counts %v, %v: every row must stay ready", counts, err)
	}
}

// TestApprovalGateHoldsBackPendingAndRejected: a campaign never starts on a template the provider says is
// PENDING or REJECTED, or does not have; once APPROVED it sends every row.
func TestApprovalGateHoldsBackPendingAndRejected(t *testing.T) {
	g := newGateRig(t, true, nil)
	pending, rejected := g.template("spring_sale"), g.template(sandbox.RejectedTemplatePrefix+"sale")
	g.create(pending)
	g.create(rejected)
	g.refused(pending, "template spring_sale (en_US) is PENDING at Itniotech (its review is not over): nothing was sent")
	g.refused(g.template("autumn_sale"), "template autumn_sale (en_US) does not exist at Itniotech")
	g.clock.Add(int64(time.Hour))
	g.refused(rejected, "template rejected_sale (en_US) is REJECTED at Itniotech (INVALID_FORMAT")
	snap, counts := g.send(pending, fastOpts())
	if snap.Sent != 5 || counts[status.Sent] != 5 {
		t.Errorf("approved template: sent %d, counts %v; want all 5 sent", snap.Sent, counts)
	}
}

// TestApprovalGateLetsThroughWhatCannotBeTold: a provider whose status query fails for a passing reason does not
// hold the campaign back; its first send tells.
func TestApprovalGateLetsThroughWhatCannotBeTold(t *testing.T) {
	g := newGateRig(t, false, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/wa/template/query") {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	snap, counts := g.send(g.template("spring_sale"), fastOpts())
	if snap.Sent != 5 || counts[status.Sent] != 5 {
		t.Errorf("sent %d, counts %v; want all 5 sent", snap.Sent, counts)
	}
}
