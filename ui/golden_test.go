package ui

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/ui/dashboard"
)

// waitTimeout bounds each wait for a screen in the golden tests.
const waitTimeout = 15 * time.Second

// fixedTimes wraps an engine so its snapshots carry fixed times and rates: golden files stay the same from
// run to run.
type fixedTimes struct{ dashboard.Runner }

func (f fixedTimes) Snapshot() engine.Snapshot { return withFixedTimes(f.Runner.Snapshot()) }

func (f fixedTimes) Run(ctx context.Context) (engine.Snapshot, error) {
	s, err := f.Runner.Run(ctx)
	return withFixedTimes(s), err
}

func withFixedTimes(s engine.Snapshot) engine.Snapshot {
	s.Started, s.Elapsed, s.ETA, s.Rate = time.Time{}, 2*time.Second, 0, 11
	for i := range s.Events {
		s.Events[i].At = time.Time{}
	}
	for i := range s.Failures {
		s.Failures[i].At = time.Time{}
	}
	return s
}

// goldenScreens are the screens TestScreens compares, each reached by a walk from the setup on the sample
// files: keys to press, and the text to wait for after each.
var goldenScreens = []struct {
	name string
	// csv is the recipients file (default sample.csv); fake runs the dashboard on a fake engine.
	csv  string
	fake bool
	walk []goldenStep
}{
	{name: "setup", walk: []goldenStep{{"", "Enter shows each message"}}},
	{name: "setup-national", csv: "uk_export.csv", walk: []goldenStep{{"", "no country code"}}},
	{name: "setup-help", walk: []goldenStep{{"", "Enter shows each message"}, {"?", "previous choice"}}},
	{name: "preview", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"}}},
	{name: "confirm", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"}, {"s", "Type 22"}}},
	{name: "send", fake: true, walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Send]"}}},
	{name: "send-quit", fake: true, walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Send]"}, {"q", "Stop sending and quit?"}}},
	{name: "summary", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Summary]"}}},
	{name: "campaigns", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Summary]"}, {"H", "Campaigns ·"}}},
	{name: "campaign-rows", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Summary]"}, {"H", "Campaigns ·"}, {"enter", "rows shown"}}},
	{name: "row-detail", walk: []goldenStep{{"", "Enter shows each message"}, {"enter", "rows in the table"},
		{"s", "Type 22"}, {"22", "22"}, {"enter", "[Summary]"}, {"H", "Campaigns ·"}, {"enter", "rows shown"},
		{"enter", "Row 2 of"}}},
}

// goldenStep is a key (or typed text; "" for none) and the text the screen shows after it.
type goldenStep struct{ key, want string }

// TestScreens renders each screen at 80x24 and 160x45 and compares it with testdata/TestScreens/*.golden
// (go test ./ui/ -update writes them). Each walks from the setup to its screen on the sample files in a
// temporary folder (the working directory during the walk, so the paths shown are the same every run): the
// send dashboard drives a fake engine with a fixed snapshot, the summary and the campaigns screen the real
// engine on the sandbox with its times fixed. Clock times and message ids read from the store are replaced
// by fixed ones.
func TestScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		for _, g := range goldenScreens {
			t.Run(fmt.Sprintf("%s_%dx%d", g.name, size[0], size[1]), func(t *testing.T) {
				view := walkScreens(t, g.csv, g.fake, g.walk, size[0], size[1])
				teatest.RequireEqualOutput(t, []byte(stableTimes(view)))
			})
		}
	}
}

// Times and ids that change from run to run, and what the golden files hold instead.
var (
	clockTime = regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}\b`)
	dayDate   = regexp.MustCompile(`\b\d{1,2} [A-Z][a-z]{2} \d{4}\b`)
	messageID = regexp.MustCompile(`wamid\.[0-9a-f]+`)
)

// stableTimes replaces clock times, dates and message ids with fixed ones.
func stableTimes(view string) string {
	view = clockTime.ReplaceAllString(view, "09:00:00")
	view = dayDate.ReplaceAllString(view, "1 Apr 2025")
	return messageID.ReplaceAllStringFunc(view, func(id string) string {
		return "wamid." + strings.Repeat("0", len(id)-len("wamid."))
	})
}

// walkScreens runs the TUI on the sample files (csv instead of sample.csv when given), presses the keys of
// walk, waiting for each step's text, and returns the last view.
func walkScreens(t *testing.T, csv string, fake bool, walk []goldenStep, width, height int) string {
	w := walker{csv: csv}
	if fake {
		w.runner = func(*campaign.Session) dashboard.Runner { return newFakeRunner(runningSnapshot()) }
	}
	return w.walk(t, walk, width, height)
}

// walker is how a golden walk sets the TUI up: the recipients file (default sample.csv), a change to the plan
// and work on the folder before the TUI starts (a campaign run before, a price table), the clock of the guards
// (default the machine's), and a fake engine (default the real one, its times fixed).
type walker struct {
	csv    string
	before func(t *testing.T, dir string, plan *campaign.Plan)
	clock  guards.Clock
	runner func(*campaign.Session) dashboard.Runner
}

// walk runs the TUI set up as w says in a temporary folder holding the sample files (the working directory
// during the walk, so the paths shown are the same every run), presses the keys of walk, waiting for each
// step's text, and returns the last view.
func (w walker) walk(t *testing.T, walk []goldenStep, width, height int) string {
	dir := sampleDir(t)
	writeUKExport(t, filepath.Join(dir, "uk_export.csv"), 20)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	start := func(s *campaign.Session) (dashboard.Runner, io.Closer, error) {
		r, c, err := startEngine(s)
		return fixedTimes{r}, c, err
	}
	if w.runner != nil {
		start = func(s *campaign.Session) (dashboard.Runner, io.Closer, error) { return w.runner(s), nil, nil }
	}
	plan := campaign.Plan{CSVPath: cmp.Or(w.csv, "sample.csv"), TemplatePath: filepath.Join("templates", "spring_sale.yaml"),
		StatePath: filepath.Join("state", "herald.db"), Profile: sandboxProfile, Rate: 20}
	if w.before != nil {
		w.before(t, dir, &plan)
	}
	m := newModel(context.Background(), Config{Plan: plan, Clock: w.clock}, start)
	m.abs = goldenAbs
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(width, height))
	for _, step := range walk {
		switch {
		case step.key == "":
		case len(step.key) > 1 && strings.Trim(step.key, "0123456789") == "":
			tm.Type(step.key)
		default:
			tm.Send(keyPress(step.key))
		}
		waitFor(t, tm, step.want)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitTimeout)).(*model)
	view := fm.View()
	fm.shutdown()
	return view
}

// writeUKExport writes a UK CRM export of n rows: every other number written the national way (07400 100000),
// the others with their country code.
func writeUKExport(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("first_name,last_name,mobile,code,discount,expires\n")
	for i := range n {
		number := fmt.Sprintf("+44 7400 %d", 100000+i)
		if i%2 == 0 {
			number = fmt.Sprintf("07400 %d", 100000+i)
		}
		fmt.Fprintf(&b, "Name%d,Smith,%s,SPRING-UK%03d,15%%,30 April\n", i, number, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// goldenAbs makes paths absolute in a folder that is the same on every run, so the golden files hold one.
func goldenAbs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join("/home/olivia/campaigns", path)
}

// waitFor waits until the program's output shows text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(waitTimeout), teatest.WithCheckInterval(10*time.Millisecond))
}
