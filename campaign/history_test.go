package campaign_test

import (
	"context"
	"strings"
	"testing"

	"herald/campaign"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// TestHistoryResumesBrowsesAndRendersACampaign: a stored campaign comes back as a plan that resumes it as it
// was (same input, nothing planned again), its rows page by status, and one row opens with its message
// rendered from the template file.
func TestHistoryResumesBrowsesAndRendersACampaign(t *testing.T) {
	r := newRig(t, 6, sandbox.Options{RejectPrefixes: []string{"447400100002"}})
	r.plan.Region = "GB"
	r.send(r.plan, fastOpts())

	list, err := campaign.Campaigns(r.plan.StatePath)
	if err != nil || len(list) != 1 {
		t.Fatalf("Campaigns: %+v, %v", list, err)
	}
	info := list[0]
	if info.Status != status.Finished || info.Counts[status.Sent] != 5 || info.Counts[status.Failed] != 1 {
		t.Fatalf("campaign %+v", info)
	}
	plan := campaign.ResumePlan(r.plan.StatePath, info)
	if plan.Region != "GB" || plan.CSVPath != r.plan.CSVPath || plan.Campaign != info.Name || plan.Profile.Name != r.plan.Profile.Name {
		t.Fatalf("ResumePlan = %+v", plan)
	}
	plan.Profile = r.plan.Profile
	in, err := campaign.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	prior, err := campaign.FindPrior(in.Plan)
	if err != nil || prior == nil || !prior.SameInput {
		t.Fatalf("FindPrior of the resume plan: %+v, %v (want the same input)", prior, err)
	}

	failed, err := campaign.CampaignRows(r.plan.StatePath, info.Name, 0, 10, status.Failed)
	if err != nil || len(failed) != 1 || failed[0].Number != "447400100002" {
		t.Fatalf("failed rows: %+v, %v", failed, err)
	}
	d, err := campaign.LoadRow(r.plan.StatePath, info.Name, failed[0].Row)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != status.Failed || d.Code == "" || d.Error == "" || d.Attempts != 1 || d.Updated.IsZero() ||
		d.Message != "Hello Name2, your code is C2." || d.MessageProblem != "" {
		t.Errorf("LoadRow = %+v", d)
	}
	if _, err := campaign.LoadRow(r.plan.StatePath, info.Name, 99); err == nil || !strings.Contains(err.Error(), "no row 99") {
		t.Errorf("LoadRow(99): %v", err)
	}
	if _, err := campaign.CampaignRows(r.plan.StatePath, "nosuch", 0, 10); !campaign.IsInputError(err) {
		t.Errorf("an unknown campaign: %v, want an input error", err)
	}
}

// TestInterruptedCampaignIsNotShownRunning: a campaign whose store says running while no herald process holds
// it was interrupted; one being run now is running.
func TestInterruptedCampaignIsNotShownRunning(t *testing.T) {
	r := newRig(t, 2, sandbox.Options{})
	in, err := campaign.Open(r.plan)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Store.SetCampaignStatus(sess.Info.ID, status.Running, ""); err != nil {
		t.Fatal(err)
	}
	prior, err := campaign.FindPrior(in.Plan)
	if err != nil || prior.Info.Status != status.Running {
		t.Fatalf("while held: %+v, %v", prior, err)
	}
	if err := sess.Close(); err != nil { // as a crash would: the lock goes, the status stays
		t.Fatal(err)
	}
	prior, err = campaign.FindPrior(in.Plan)
	if err != nil || prior.Info.Status != status.Interrupted {
		t.Fatalf("after the crash: %+v, %v", prior, err)
	}
	list, err := campaign.Campaigns(r.plan.StatePath)
	if err != nil || list[0].Status != status.Interrupted {
		t.Fatalf("Campaigns after the crash: %+v, %v", list, err)
	}
}
