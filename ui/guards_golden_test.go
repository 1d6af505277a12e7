package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/sandbox"
	"herald/ui/dashboard"
)

// guardsMorning is when the guard screens are walked: 03:00 UTC on a Tuesday, when a 09:00-18:00 window is
// open in Tokyo and Jakarta and closed in Europe and the Americas.
var guardsMorning = time.Date(2025, 4, 1, 3, 0, 0, 0, time.UTC)

// runningClock is a clock that starts at a fixed time and runs as the machine's does, so that screens read the
// same on every run while runs and timers go on as usual.
type runningClock struct {
	at, started time.Time
}

func newRunningClock(at time.Time) runningClock { return runningClock{at: at, started: time.Now()} }

func (c runningClock) Now() time.Time                         { return c.at.Add(time.Since(c.started)) }
func (c runningClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// itniotechSandbox serves the sandbox for the test and returns an Itniotech profile on it: a provider whose
// template API tells the setup the template's review.
func itniotechSandbox(t *testing.T) providers.Profile {
	t.Helper()
	srv := sandbox.New(sandbox.Options{})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv.Profile("itniotech", hs.URL)
}

// guardedSample is the sample campaign with a send window, a frequency cap and the example price table, on
// an Itniotech profile.
func guardedSample(t *testing.T) walker {
	profile := itniotechSandbox(t)
	return walker{clock: newRunningClock(guardsMorning), before: func(t *testing.T, dir string, plan *campaign.Plan) {
		copyFile(t, filepath.Join(wdRepo, "templates", "prices.example.csv"), filepath.Join(dir, "prices.csv"))
		plan.Profile, plan.SendWindow, plan.FrequencyCap, plan.PricesPath = profile, "09:00-18:00", 72*time.Hour, "prices.csv"
	}}
}

// wdRepo is the repository, seen from the ui package's folder (the tests' working directory at start).
var wdRepo = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Dir(wd)
}()

// TestGuardScreens renders the screens the guards of the sender's number change, at 80x24 and 160x45, and
// compares them with testdata/TestGuardScreens/*.golden: the setup with a send window, a frequency cap, a
// price table and the template's review at the provider; the preview of a deferred row with when it goes; the
// confirmation with when the rows go and what they cost; the dashboard while rows wait, with the next ones
// and when each goes; and the campaigns screen with the funnel, the cost and the rows of an earlier CSV.
func TestGuardScreens(t *testing.T) {
	preview := []goldenStep{{"", "APPROVED"}, {"enter", "rows in the table"}}
	screens := []struct {
		name   string
		walker func(t *testing.T) walker
		walk   []goldenStep
	}{
		{"setup-guards", guardedSample, []goldenStep{{"", "APPROVED"}}},
		{"preview-deferred", guardedSample, append(preview, goldenStep{"f", "[ready"}, goldenStep{"f", "deferred: goes"})},
		{"confirm-guards", guardedSample, append(preview, goldenStep{"s", "Type 22"})},
		{"send-waiting", waitingRun, append(preview, goldenStep{"s", "Type 22"}, goldenStep{"22", "22"},
			goldenStep{"enter", "+918123456926"})},
		{"campaigns-funnel", campaignsWithFunnel, []goldenStep{{"", "Last run"}, {"H", "Estimated cost"}}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		for _, g := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", g.name, size[0], size[1]), func(t *testing.T) {
				view := g.walker(t).walk(t, g.walk, size[0], size[1])
				teatest.RequireEqualOutput(t, []byte(stableTimes(view)))
			})
		}
	}
}

// waitingRun is the guarded sample sent by a fake engine that sent the three rows whose window is open and
// waits for the others: the dashboard reads the rows that wait from the campaign's record.
func waitingRun(t *testing.T) walker {
	w := guardedSample(t)
	w.runner = func(sess *campaign.Session) dashboard.Runner {
		u, err := sess.Upcoming(1)
		if err != nil || len(u.Rows) == 0 {
			t.Errorf("no deferred row in the session: %v", err)
			return newFakeRunner(engine.Snapshot{})
		}
		return newFakeRunner(waitingSnapshot(u.Rows[0].NotBefore))
	}
	return w
}

// waitingSnapshot is a run of the guarded sample that sent the 3 rows whose window is open, one of which
// the frequency cap suppressed when its time came, and waits for the 19 others, the next at next.
func waitingSnapshot(next time.Time) engine.Snapshot {
	return engine.Snapshot{Campaign: "sample-spring_sale", State: status.Running, Total: 22, Remaining: 19,
		Sent: 2, Suppressed: 1, Waiting: 19, WaitingUntil: next, WaitingFor: status.CodeSendWindow, Rate: 0.1,
		TargetRate: 20, ConfiguredRate: 20, Started: guardsMorning, Elapsed: 12 * time.Second,
		History: []engine.RatePoint{{Sent: 3, Target: 20}, {Target: 20}, {Target: 20}},
		Events: []engine.Event{{At: guardsMorning, Kind: engine.EventStarted,
			Detail: "3 rows to send at 20/s, 19 more as their time comes"}}}
}

// campaignsWithFunnel is a store with two campaigns, seen with a price table: the sample, sent, with what the
// provider's callbacks said of its messages; and a UK export, sent, whose CSV then lost its first row (the row
// an earlier CSV messaged).
func campaignsWithFunnel(t *testing.T) walker {
	return walker{before: func(t *testing.T, dir string, plan *campaign.Plan) {
		copyFile(t, filepath.Join(wdRepo, "templates", "prices.example.csv"), filepath.Join(dir, "prices.csv"))
		uk := *plan
		uk.CSVPath, uk.Region = "uk_export.csv", "GB"
		sendSample(t, uk)
		csv, err := os.ReadFile(uk.CSVPath)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(csv), "\n")
		if err := os.WriteFile(uk.CSVPath, []byte(strings.Join(append(lines[:1], lines[2:]...), "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		closeSession(prepareSample(t, uk))
		sendSample(t, *plan)
		recordFunnel(t, *plan)
		plan.PricesPath = "prices.csv"
	}}
}

// sendSample sends the sample campaign of plan on the sandbox to the end.
func sendSample(t *testing.T, plan campaign.Plan) {
	t.Helper()
	sess := prepareSample(t, plan)
	defer closeSession(sess)
	run, closer, err := startEngine(sess)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	if _, err := run.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// recordFunnel records callbacks for the sample campaign's sent messages: every message delivered but the
// last, which failed later; every third read; one reply.
func recordFunnel(t *testing.T, plan campaign.Plan) {
	t.Helper()
	rows, err := campaign.CampaignRows(plan.StatePath, "sample-spring_sale", 0, 100, status.Sent)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(plan.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := store.CallbackBatch{Profile: plan.Profile.Name, Received: guardsMorning}
	for i, r := range rows {
		state := providers.DeliveryDelivered
		switch {
		case i == len(rows)-1:
			b.Deliveries = append(b.Deliveries, providers.DeliveryEvent{MessageID: r.MessageID, Status: providers.DeliveryFailed,
				ErrorCode: "131049", ErrorTitle: "not delivered to keep engagement healthy"})
			continue
		case i%3 == 0:
			state = providers.DeliveryRead
		}
		b.Deliveries = append(b.Deliveries, providers.DeliveryEvent{MessageID: r.MessageID, Status: state})
		if i == 3 {
			b.Inbound = append(b.Inbound, store.InboundMessage{Inbound: providers.Inbound{ID: "in-1", From: r.Number,
				Type: "text", Text: "Is it on in the shop too?", ContextID: r.MessageID}})
		}
	}
	if _, err := st.RecordCallbacks(b); err != nil {
		t.Fatal(err)
	}
}

// TestFunnelScreens renders, at 80x24 and 160x45, the summary of a run whose messages the provider's callbacks
// told about, with its cost and the rows an earlier CSV messaged, and the dashboard of a run that listens for
// the callbacks while rows wait; each line fits the width without cutting a word.
func TestFunnelScreens(t *testing.T) {
	funnel := campaign.Funnel{Sent: 13002, Delivered: 12544, Read: 8213, Replied: 412, OptedOut: 37, FailedLater: 96}
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("summary-funnel_%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newModel(context.Background(), Config{Plan: samplePlan(t.TempDir())}, nil)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			snap := engine.Snapshot{Campaign: "spring-uk-april", State: status.Finished, Total: 13100, Sent: 13002,
				Failed: 98, Elapsed: 4*time.Minute + 23*time.Second}
			done := finishedMsg{counts: map[string]int{status.Sent: 13002, status.Failed: 98, status.Invalid: 12},
				outAbs: "/home/olivia/campaigns/spring-uk-april.results.csv", funnel: funnel,
				cost: "estimated cost: 650.10 USD (13,002 marketing messages sent)",
				note: campaign.Tally{Earlier: map[string]int{status.Sent: 40}}.EarlierNote()}
			m.summary.set(&campaign.Session{Info: store.CampaignInfo{Name: "spring-uk-april"}}, &snap, done, nil, true)
			m.ran = true
			m.show(screenSummary)
			teatest.RequireEqualOutput(t, []byte(m.View()))
		})
		t.Run(fmt.Sprintf("send-funnel_%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newModel(context.Background(), Config{Plan: samplePlan(t.TempDir())}, nil)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			s := pictureSnapshot()
			next := s.Started.Add(s.Elapsed + 2*time.Hour)
			s.Waiting, s.WaitingUntil, s.WaitingFor, s.Suppressed = 900, next, status.CodeSendWindow, 14
			m.dashboard.Start(newFakeRunner(s), "spring-uk-april · spring_sale via cloud", "", "spring-uk-april")
			m.dashboard.Funnel = func() (campaign.Funnel, bool) { return funnel, true }
			m.dashboard.Upcoming = func(limit int) (campaign.Upcoming, error) {
				u := campaign.Upcoming{Schedule: guards.NewSchedule(s.Started.Add(s.Elapsed), time.UTC)}
				for i := range min(limit, 40) {
					at := next.Add(time.Duration(i/10) * time.Hour)
					u.Schedule.Add(at, 1)
					u.Rows = append(u.Rows, store.Row{Row: 14000 + i, Number: fmt.Sprintf("1201555%04d", i), Status: status.Deferred,
						Code: status.CodeSendWindow, NotBefore: at})
				}
				u.Schedule.Add(next.Add(20*time.Hour), 860)
				return u, nil
			}
			m.running = true
			m.show(screenRun)
			_, cmd := m.Update(dashboard.TickMsg{}) // the first tick reads the rows that wait
			drive(t, m, cmd())
			teatest.RequireEqualOutput(t, []byte(m.View()))
		})
	}
}
