package campaign_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/internal/fakeclock"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// TestUpcomingListsTheRowsThatWaitInTheOrderTheyGo: at 10:00 UTC with the window 09:00-18:00, New York's rows
// wait for 14:00 UTC and Tokyo's for 00:00 UTC; Upcoming lists the first of them by their time, then their row,
// and counts all of them by when they go.
func TestUpcomingListsTheRowsThatWaitInTheOrderTheyGo(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	r := newRig(t, 1, sandbox.Options{})
	tyo, nyc := numbers(5, tokyo), numbers(5, newYork)
	r.plan.CSVPath = r.writeRecipients("world.csv", numbers(2, london), tyo, nyc)
	r.plan.SendWindow = "09:00-18:00"
	in, err := campaign.Open(r.plan)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.Clock = fakeclock.New(t0)
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	u, err := sess.Upcoming(7)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Rows) != 7 {
		t.Fatalf("%d rows, want 7", len(u.Rows))
	}
	for i, row := range u.Rows {
		want, at := nyc[i%5], time.Date(2025, 1, 15, 14, 0, 0, 0, time.UTC)
		if i >= 5 {
			want, at = tyo[i-5], time.Date(2025, 1, 16, 0, 0, 0, 0, time.UTC)
		}
		if row.Number != want || !row.NotBefore.Equal(at) || row.Status != status.Deferred || row.Code != status.CodeSendWindow {
			t.Errorf("row %d: %s at %v (%s, %s), want %s at %v", i, row.Number, row.NotBefore, row.Status, row.Code, want, at)
		}
	}
	if n := u.Schedule.Spans[0].Count + u.Schedule.Waiting(); n != 10 {
		t.Errorf("the schedule counts %d rows, want all 10 that wait", n)
	}
}

// TestSentCostsCountEarlierCSVs: a campaign sends 4 UK rows, then its CSV loses two of them, keeps two (skipped:
// already messaged) and gains one: what it spent counts the 5 messages sent, the 4 of the earlier CSV
// included; a campaign that sent nothing has no cost.
func TestSentCostsCountEarlierCSVs(t *testing.T) {
	r := newRig(t, 4, sandbox.Options{})
	r.send(r.plan, fastOpts())
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for i := 2; i < 5; i++ {
		fmt.Fprintf(&b, "Name%d,+447400%06d,C\n", i, 100000+i)
	}
	writeFile(t, filepath.Join(r.dir, "r.csv"), b.String())
	r.send(r.plan, fastOpts())
	idle := r.plan
	idle.Campaign, idle.CSVPath = "idle", r.writeRecipients("idle.csv", numbers(2, london))
	in, err := campaign.Open(idle)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.Close()
	in.Close()

	prices := filepath.Join(r.dir, "prices.csv")
	writeFile(t, prices, "country,category,price,currency\nGB,marketing,0.05,USD\n")
	list, err := campaign.Campaigns(r.plan.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	costs, err := campaign.SentCosts(r.plan.StatePath, prices, list)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		est := costs[c.ID]
		switch {
		case c.Name == "idle" && est != nil:
			t.Errorf("idle: cost %s, want none", est)
		case c.Name != "idle" && (est == nil || est.Messages() != 5 || !strings.HasPrefix(est.String(), "estimated cost: 0.25 USD")):
			t.Errorf("%s: cost %v, want 5 messages for 0.25 USD", c.Name, est)
		}
	}
}
