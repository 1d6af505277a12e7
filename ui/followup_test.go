package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/ui/common"
	"herald/ui/files"
	"herald/ui/history"
)

// TestFollowUpFromTheCampaignsScreen: a campaign two people replied to says so on the campaigns screen; o
// writes them as a recipients CSV and opens the setup on it with the template picker; choosing a session
// message checks the two rows, both inside their 24-hour window.
func TestFollowUpFromTheCampaignsScreen(t *testing.T) {
	dir := sampleDir(t)
	copyFile(t, filepath.Join("..", "templates", "price_list.yaml"), filepath.Join(dir, "templates", "price_list.yaml"))
	plan := samplePlan(dir)
	sess := prepareSample(t, plan)
	j := sess.Store.OpenJournal(sess.Info.ID, store.JournalOptions{})
	for row := 2; row <= 4; row++ {
		if err := j.MarkInFlight(context.Background(), row, 1); err != nil {
			t.Fatal(err)
		}
		j.Record(store.Outcome{Row: row, Status: status.Sent, MessageID: "wamid.r" + string(rune('0'+row)), Attempts: 1})
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	var replies store.CallbackBatch
	replies.Profile = plan.Profile.Name
	for _, row := range []int{2, 4} {
		r, _, err := sess.Store.Row(sess.Info.ID, row)
		if err != nil {
			t.Fatal(err)
		}
		replies.Inbound = append(replies.Inbound, store.InboundMessage{Inbound: providers.Inbound{ID: r.MessageID + "-in",
			From: r.Number, At: time.Now(), Type: "text", Text: "How much?", ContextID: r.MessageID}})
	}
	if _, err := sess.Store.RecordCallbacks(replies); err != nil {
		t.Fatal(err)
	}
	leaveCampaign(t, sess, status.Finished)

	m := openModel(t, plan, nil, 160, 45)
	drive(t, m, keyPress("H"))
	if view := flat(m.View()); !strings.Contains(view, "2 people replied (o follows them up)") {
		t.Fatalf("the campaigns screen does not offer the follow-up:\n%s", m.View())
	}
	drive(t, m, keyPress("o"))
	s := m.setup
	repliers := filepath.Join(dir, "sample-spring_sale-repliers.csv")
	if m.active != screenSetup || s.plan.CSVPath != repliers || s.plan.TemplatePath != "" || s.picker == nil ||
		s.pickFor != fieldTemplate || !strings.Contains(m.status, "Following up sample-spring_sale: 2 people replied") {
		t.Fatalf("o: screen %d, plan %+v, picker %v, status %q", m.active, s.plan, s.picker != nil, m.status)
	}
	drive(t, m, files.ChosenMsg{Path: filepath.Join(dir, "templates", "price_list.yaml")})
	if view := flat(m.View()); !strings.Contains(view, "2 rows: ready 2") || !strings.Contains(view, "price_list (session document message)") {
		t.Fatalf("the follow-up's check:\n%s", m.View())
	}
	drive(t, m, keyPress("enter"))
	if view := flat(m.View()); m.active != screenPreview || !strings.Contains(view, "[document Spring prices.pdf") ||
		!strings.Contains(view, "Sent as a session document message") {
		t.Fatalf("the follow-up's preview:\n%s", m.View())
	}
}

// TestSummaryOffersTheFollowUp: the summary of a run whose messages got replies offers o, which asks the root
// for a follow-up of the campaign; without replies o does nothing.
func TestSummaryOffersTheFollowUp(t *testing.T) {
	p := newSummaryPane(common.New())
	p.campaign, p.statePath = "spring", "/tmp/state.db"
	if _, cmd := p.Update(keyPress("o")); cmd != nil {
		t.Fatal("o without replies asked for something")
	}
	p.funnel.Sent, p.funnel.Replied = 10, 3
	p.SetSize(100, 30)
	if !strings.Contains(flat(p.View()), "3 people replied: o follows them up") {
		t.Errorf("the summary does not offer the follow-up:\n%s", p.View())
	}
	_, cmd := p.Update(keyPress("o"))
	if cmd == nil {
		t.Fatal("o asked for nothing")
	}
	if msg, ok := cmd().(history.FollowUpMsg); !ok || msg != (history.FollowUpMsg{StatePath: "/tmp/state.db", Campaign: "spring"}) {
		t.Fatalf("o asked %#v", cmd())
	}
}
