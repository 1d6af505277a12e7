package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"
	"herald/ui/dashboard"
)

// runningSnapshot is a run part-way through, with fixed times.
func runningSnapshot() engine.Snapshot {
	start := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	return engine.Snapshot{Campaign: "sample-spring_sale", State: status.Running, Total: 22, Remaining: 4,
		Sent: 12, Failed: 2, Unknown: 1, InFlight: 3, Retries: 4, RateLimited: 1, Rate: 19.6, TargetRate: 20,
		ConfiguredRate: 20, Concurrency: 8, Started: start, Elapsed: 41 * time.Second, ETA: 2 * time.Second,
		Failures: []engine.Failure{
			{At: start.Add(40 * time.Second), Row: 19, Number: "48512345815", Status: status.Unknown,
				Code: "interrupted", Reason: "no answer within 30s"},
			{At: start.Add(31 * time.Second), Row: 12, Number: "27711234841", Status: status.Failed,
				Code: "131026", Reason: "Message undeliverable: the number is not on WhatsApp"},
			{At: start.Add(12 * time.Second), Row: 7, Number: "918123456926", Status: status.Failed,
				Code: "131021", Reason: "Recipient cannot be sender"},
		},
		FailureGroups: []engine.FailureGroup{
			{Code: "131026", Status: status.Failed, Count: 1, Reason: "Message undeliverable: the number is not on WhatsApp"},
			{Code: "131021", Status: status.Failed, Count: 1, Reason: "Recipient cannot be sender"},
			{Code: "interrupted", Status: status.Unknown, Count: 1, Reason: "no answer within 30s"},
		},
		History: sparkHistory(),
		Events: []engine.Event{
			{At: start.Add(30 * time.Second), Kind: engine.EventRecover, Detail: "back to 20/s"},
			{At: start.Add(20 * time.Second), Kind: engine.EventSlowed, Detail: "rate limited by the provider: 10/s for 10s"},
			{At: start, Kind: engine.EventStarted, Detail: "22 rows to send at 20/s"},
		}}
}

// sparkHistory is 41 seconds of pace: a climb to 20/s, a slow-down to 10/s after rate limits, and back.
func sparkHistory() []engine.RatePoint {
	var h []engine.RatePoint
	for i := range 41 {
		p := engine.RatePoint{Sent: 20, Target: 20}
		switch {
		case i < 4:
			p.Sent = float64(5 * (i + 1))
		case i >= 20 && i < 30:
			p.Sent, p.Target = 10, 10
		}
		h = append(h, p)
	}
	return h
}

// newRunningDashboard is a dashboard at 100x26 driving a fake engine.
func newRunningDashboard(s engine.Snapshot) (*dashboard.Model, *fakeRunner) {
	run := newFakeRunner(s)
	d := dashboard.New(common.New())
	d.SetSize(100, 26)
	d.Start(run, "sample-spring_sale · spring_sale via sandbox", "", "sample-spring_sale")
	return d, run
}

// press sends keys to a pane and returns the messages its commands produce.
func press(p tea.Model, keys ...string) []tea.Msg {
	var msgs []tea.Msg
	for _, k := range keys {
		if _, cmd := p.Update(keyPress(k)); cmd != nil {
			msgs = append(msgs, cmd())
		}
	}
	return msgs
}

func TestPauseAndResumeDriveTheEngine(t *testing.T) {
	d, run := newRunningDashboard(runningSnapshot())
	press(d, "p")
	pauses, resumes, _ := run.calls()
	if !slices.Equal(pauses, []string{dashboard.ReasonUserPause}) || resumes != 0 {
		t.Fatalf("p: pauses %q, resumes %d", pauses, resumes)
	}
	if !strings.Contains(flat(d.View()), "Paused: "+dashboard.ReasonUserPause+". p resumes, c cancels.") {
		t.Errorf("the pause does not show:\n%s", d.View())
	}
	press(d, "p")
	pauses, resumes, _ = run.calls()
	if len(pauses) != 1 || resumes != 1 {
		t.Fatalf("second p: pauses %q, resumes %d", pauses, resumes)
	}
}

func TestAutoPauseShowsItsReasonAndWaitsForTheUser(t *testing.T) {
	s := runningSnapshot()
	s.State, s.Reason = status.Paused, "20 failures in a row"
	d, run := newRunningDashboard(s)
	if want := "Paused: 20 failures in a row. p resumes, c cancels."; !strings.Contains(flat(d.View()), want) {
		t.Errorf("view lacks %q:\n%s", want, d.View())
	}
	press(d, "p")
	if pauses, resumes, _ := run.calls(); len(pauses) != 0 || resumes != 1 {
		t.Errorf("p on an auto-pause: pauses %q, resumes %d; want one resume", pauses, resumes)
	}
}

func TestCancelAsksFirst(t *testing.T) {
	cases := []struct {
		keys  []string
		stops []string
	}{
		{[]string{"c"}, nil},
		{[]string{"c", "n"}, nil},
		{[]string{"c", "esc"}, nil},
		{[]string{"c", "x", "p"}, nil}, // other keys do nothing while the question shows
		{[]string{"c", "y"}, []string{dashboard.ReasonUserCancel}},
		{[]string{"c", "n", "c", "y"}, []string{dashboard.ReasonUserCancel}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.keys, " "), func(t *testing.T) {
			d, run := newRunningDashboard(runningSnapshot())
			press(d, tc.keys...)
			pauses, _, stops := run.calls()
			if !slices.Equal(stops, tc.stops) || len(pauses) != 0 {
				t.Fatalf("stops %q pauses %q, want stops %q", stops, pauses, tc.stops)
			}
			asking := strings.Contains(flat(d.View()), "Cancel the run?")
			if wantAsking := tc.keys[len(tc.keys)-1] == "c" || tc.keys[len(tc.keys)-1] == "p"; asking != wantAsking {
				t.Errorf("question shown = %v, want %v:\n%s", asking, wantAsking, d.View())
			}
		})
	}
}

func TestTicksReadTheSnapshotWhileLive(t *testing.T) {
	d, run := newRunningDashboard(runningSnapshot())
	run.mu.Lock()
	run.snap.Sent, run.snap.Remaining = 15, 1
	run.mu.Unlock()
	if _, cmd := d.Update(dashboard.TickMsg{}); cmd == nil {
		t.Fatal("a tick while live did not re-arm")
	}
	if !strings.Contains(flat(d.View()), "sent 15 ·") {
		t.Errorf("tick did not refresh:\n%s", d.View())
	}
	d.Finish(run.Snapshot())
	if _, cmd := d.Update(dashboard.TickMsg{}); cmd != nil {
		t.Error("a tick after the run re-armed")
	}
}

func TestQuitDuringARunAsksFirst(t *testing.T) {
	cases := []struct {
		keys  []string
		stops []string
	}{
		{[]string{"q"}, nil}, // a stray q never stops a send
		{[]string{"q", "n"}, nil},
		{[]string{"q", "esc"}, nil},
		{[]string{"qqq"}, nil}, // three q typed quickly arrive as one key message
		{[]string{"q", "y"}, []string{dashboard.ReasonUserQuit}},
		{[]string{"ctrl+c"}, []string{dashboard.ReasonUserQuit}}, // ctrl+c is deliberate: it stops at once
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.keys, " "), func(t *testing.T) {
			run := newFakeRunner(runningSnapshot())
			m, _ := runningModel(t, run)
			for _, k := range tc.keys {
				drive(t, m, keyPress(k))
			}
			if _, _, stops := run.calls(); !slices.Equal(stops, tc.stops) {
				t.Fatalf("stops %q, want %q", stops, tc.stops)
			}
			asking := strings.Contains(flat(m.View()), "Stop sending and quit?")
			last := tc.keys[len(tc.keys)-1]
			if want := last == "q" || last == "qqq"; asking != want {
				t.Errorf("question shown = %v, want %v:\n%s", asking, want, m.View())
			}
		})
	}
}

func TestQuitDuringARunStopsGracefullyThenForces(t *testing.T) {
	run := newFakeRunner(runningSnapshot())
	m, ended := runningModel(t, run)

	m.Update(keyPress("q"))
	if _, cmd := m.Update(keyPress("y")); cmd != nil {
		t.Fatalf("q y returned a command (%T): it must only stop the engine", cmd())
	}
	if _, _, stops := run.calls(); !slices.Equal(stops, []string{dashboard.ReasonUserQuit}) {
		t.Fatalf("q y: stops %q", stops)
	}
	if !strings.Contains(flat(m.View()), "q again quits at once") {
		t.Errorf("the stop does not show:\n%s", m.View())
	}

	_, cmd := m.Update(keyPress("ctrl+c")) // the second press, by either key
	_, cmd = m.Update(cmd())
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("second press did not quit")
	}
	if !waitRunDone(t, ended) {
		t.Fatal("the forced quit did not cancel the run")
	}
	if code, farewell := m.shutdown(); code != campaign.ExitStopped || !strings.Contains(farewell, "Run herald again to resume") {
		t.Errorf("forced quit: exit %d, farewell %q", code, farewell)
	}
}

func TestQuitDuringARunWaitsForTheResultsThenQuits(t *testing.T) {
	run := newFakeRunner(runningSnapshot())
	m, ended := runningModel(t, run)
	m.Update(keyPress("q"))
	m.Update(keyPress("y"))
	final := run.Snapshot()
	final.State = status.Stopped
	run.release <- final
	var done runDoneMsg
	for done.snap.State == "" {
		if msg, ok := (<-ended).(runDoneMsg); ok {
			done = msg
		}
	}
	if !drive(t, m, done) {
		t.Fatal("the run ended after q, but herald did not quit")
	}
	if code, _ := m.shutdown(); code != campaign.ExitStopped {
		t.Errorf("exit code %d, want %d", code, campaign.ExitStopped)
	}
}

// waitRunDone reports whether the run's end arrived among the run's messages (a snapshot tick may come first).
func waitRunDone(t *testing.T, ended <-chan tea.Msg) bool {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case msg := <-ended:
			if _, ok := msg.(runDoneMsg); ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
