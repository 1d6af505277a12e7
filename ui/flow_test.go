package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/status"
	"herald/ui/common"
	"herald/ui/dashboard"
)

// newSampleModel returns a root model on the sample files in a temporary folder, opened and checked.
func newSampleModel(t *testing.T, start engineStarter) (*model, campaign.Plan) {
	t.Helper()
	plan := samplePlan(sampleDir(t))
	return openModel(t, plan, start, 160, 45), plan
}

// openModel returns a root model on plan at width x height, its files opened and checked; the test shuts it
// down.
func openModel(t *testing.T, plan campaign.Plan, start engineStarter, width, height int) *model {
	t.Helper()
	m := newModel(context.Background(), Config{Plan: plan}, start)
	t.Cleanup(func() { m.shutdown() })
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	drive(t, m, m.Init()())
	return m
}

func TestSetupOpensOnTheGivenFilesAndEnterPreviews(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	if m.active != screenSetup || !m.setup.ready() {
		t.Fatalf("setup not ready: active %d, err %v", m.active, m.setup.err)
	}
	view := m.View()
	for _, want := range []string{"column phone", "{{first_name}}", "← column discount, \"10%\" when empty · body",
		"26 rows: ready 22 · invalid 3 · duplicate 1", "Campaign sample-spring_sale · new campaign"} {
		if !strings.Contains(flat(view), want) {
			t.Errorf("setup view lacks %q:\n%s", want, view)
		}
	}
	drive(t, m, keyPress("enter"))
	if m.active != screenPreview {
		t.Fatalf("enter: screen %d, want the preview", m.active)
	}
	if got := len(m.preview.result.rows); got != 26 {
		t.Errorf("preview holds %d rows, want 26", got)
	}
	if !strings.Contains(flat(m.View()), "Hello Olivia, our spring sale is on!") {
		t.Errorf("preview does not show row 2's message:\n%s", m.View())
	}
}

func TestEnterWhileCheckingPreviewsWhenTheCheckEnds(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	m := newModel(context.Background(), Config{Plan: plan}, nil)
	t.Cleanup(func() { m.shutdown() })
	opened := m.Init()() // the open command's answer, not yet delivered
	drive(t, m, keyPress("enter"))
	if m.active != screenSetup {
		t.Fatalf("enter before the check moved to screen %d", m.active)
	}
	drive(t, m, opened)
	if m.active != screenPreview {
		t.Fatalf("after the check: screen %d, want the preview", m.active)
	}
}

func TestSetupShowsFileErrorsAndStays(t *testing.T) {
	dir := sampleDir(t)
	plan := samplePlan(dir)
	plan.CSVPath = filepath.Join(dir, "missing.csv")
	m := newModel(context.Background(), Config{Plan: plan}, nil)
	t.Cleanup(func() { m.shutdown() })
	drive(t, m, m.Init()())
	drive(t, m, keyPress("enter"))
	if m.active != screenSetup || m.setup.err == nil {
		t.Fatalf("missing CSV: screen %d, err %v", m.active, m.setup.err)
	}
	if !strings.Contains(flat(m.View()), "missing.csv") {
		t.Errorf("the error does not name the file:\n%s", m.View())
	}
	if code, _ := m.shutdown(); code != campaign.ExitInput {
		t.Errorf("exit code %d, want %d", code, campaign.ExitInput)
	}
}

func TestPreviewFiltersByStatus(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	drive(t, m, keyPress("enter"))
	wants := []struct {
		filter string
		rows   []int
	}{
		{status.Ready, nil}, // 22 rows: checked by count below
		{status.Invalid, []int{24, 25, 27}},
		{status.Duplicate, []int{26}},
		{"all", nil},
	}
	for _, w := range wants {
		drive(t, m, keyPress("f"))
		if got := m.preview.filters[m.preview.filter]; got != w.filter {
			t.Fatalf("filter %q, want %q", got, w.filter)
		}
		var nums []int
		for _, i := range m.preview.shown {
			nums = append(nums, m.preview.result.rows[i].num)
		}
		switch {
		case w.rows != nil && !slices.Equal(nums, w.rows):
			t.Errorf("filter %s shows rows %v, want %v", w.filter, nums, w.rows)
		case w.filter == status.Ready && len(nums) != 22:
			t.Errorf("filter ready shows %d rows, want 22", len(nums))
		case w.filter == "all" && len(nums) != 26:
			t.Errorf("filter all shows %d rows, want 26", len(nums))
		}
	}
	drive(t, m, keyPress("f"))
	drive(t, m, keyPress("f")) // invalid
	if !strings.Contains(flat(m.View()), "scientific notation") {
		t.Errorf("invalid row 24 does not show its problem:\n%s", m.View())
	}
}

func TestDryRunWritesTheResultsCSV(t *testing.T) {
	m, plan := newSampleModel(t, nil)
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("d"))
	out := filepath.Join(filepath.Dir(plan.CSVPath), "sample-spring_sale.results.csv")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("dry run wrote no results CSV: %v", err)
	}
	if n := strings.Count(string(data), ",ready,"); n != 22 {
		t.Errorf("results CSV has %d ready rows, want 22", n)
	}
	if want := "Dry run: results CSV written (ready 22 · invalid 3 · duplicate 1); nothing was sent: " + out; m.status != want ||
		!strings.Contains(flat(m.View()), "Dry run: results CSV written") {
		t.Errorf("status %q, want %q:\n%s", m.status, want, m.View())
	}
}

func TestConfirmRequiresTypingTheNumber(t *testing.T) {
	cases := []struct {
		name    string
		keys    []string
		confirm bool
		hint    string
	}{
		{"the number", []string{"2", "2", "enter"}, true, ""},
		{"the number typed at once", []string{"22", "enter"}, true, ""},
		{"the word send", []string{"send", "enter"}, true, ""},
		{"the word in capitals", []string{"SEND", "enter"}, true, ""},
		{"a wrong number", []string{"21", "enter"}, false, `"21" is not 22`},
		{"enter alone", []string{"enter"}, false, "Type 22 first"},
		{"a single key", []string{"y"}, false, ""},
		{"a single key then enter", []string{"y", "enter"}, false, `"y" is not 22`},
		{"erased to a wrong number", []string{"2", "2", "backspace", "enter"}, false, `"2" is not 22`},
		{"a wrong number, then the right one", []string{"23", "enter", "22", "enter"}, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newConfirmPane(common.New())
			p.ready, p.rate, p.template, p.profile = 22, 20, "spring_sale", "sandbox"
			confirmed := false
			for _, k := range tc.keys {
				_, cmd := p.Update(keyPress(k))
				if cmd != nil {
					_, confirmed = cmd().(confirmedMsg)
				}
			}
			if confirmed != tc.confirm {
				t.Fatalf("confirmed = %v, want %v", confirmed, tc.confirm)
			}
			if tc.hint != "" && !strings.Contains(flat(p.View()), tc.hint) {
				t.Errorf("view lacks hint %q:\n%s", tc.hint, p.View())
			}
		})
	}
}

func TestConfirmAsksForTheRowsLeft(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("s"))
	if m.active != screenConfirm || m.sess == nil {
		t.Fatalf("s: screen %d, status %q", m.active, m.status)
	}
	if want := "Send 22 messages with spring_sale via sandbox at 20/s, about 1s?"; !strings.Contains(flat(m.View()), want) {
		t.Errorf("confirm view lacks %q:\n%s", want, m.View())
	}
	drive(t, m, keyPress("esc"))
	if m.active != screenPreview || m.sess != nil {
		t.Fatalf("esc: screen %d, session kept %v", m.active, m.sess != nil)
	}
}

func TestResumeIsOfferedForACampaignInTheStore(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	sess := prepareSample(t, plan)
	if err := closeSession(sess); err != nil {
		t.Fatal(err)
	}
	m := newModel(context.Background(), Config{Plan: plan}, nil)
	t.Cleanup(func() { m.shutdown() })
	drive(t, m, m.Init()())
	if want := "Last run planned: ready 22 · invalid 3 · duplicate 1. Sending continues it; nobody is messaged twice."; !strings.Contains(flat(m.View()), want) {
		t.Errorf("setup does not offer the resume (%q):\n%s", want, m.View())
	}
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("s"))
	if m.sess == nil || !m.sess.Resumed {
		t.Fatalf("prepare did not resume: %q", m.status)
	}
	if want := "started before, continuing: nobody is messaged twice"; !strings.Contains(flat(m.View()), want) {
		t.Errorf("confirm view lacks %q:\n%s", want, m.View())
	}
}

// runningModel returns the sample model on the dashboard, driving run, and the channel of the run's end.
func runningModel(t *testing.T, run *fakeRunner) (*model, <-chan tea.Msg) {
	t.Helper()
	m, _ := newSampleModel(t, func(*campaign.Session) (dashboard.Runner, io.Closer, error) { return run, nil, nil })
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("s"))
	drive(t, m, keyPress("22"))
	_, cmd := m.Update(keyPress("enter"))
	_, cmd = m.Update(cmd()) // confirmedMsg: the provider opens
	started := cmd().(tea.BatchMsg)
	_, cmd = m.Update(started[0]()) // runStartedMsg: the dashboard shows, the engine runs
	if m.active != screenRun {
		t.Fatalf("the run did not start: screen %d, status %q", m.active, m.status)
	}
	ended := make(chan tea.Msg, 4)
	for _, c := range cmd().(tea.BatchMsg) {
		go func() { ended <- c() }()
	}
	return m, ended
}
