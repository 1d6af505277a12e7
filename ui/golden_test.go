package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"herald/campaign"
	"herald/campaign/engine"
)

// waitTimeout bounds each wait for a screen in the golden tests.
const waitTimeout = 15 * time.Second

// fixedTimes wraps an engine so its snapshots carry fixed times and rates: golden files stay the same from
// run to run.
type fixedTimes struct{ runner }

func (f fixedTimes) Snapshot() engine.Snapshot { return withFixedTimes(f.runner.Snapshot()) }

func (f fixedTimes) Run(ctx context.Context) (engine.Snapshot, error) {
	s, err := f.runner.Run(ctx)
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

// TestScreens renders each screen at 80x24 and 160x45 and compares it with testdata/TestScreens/*.golden
// (go test ./ui/ -update writes them). Each case walks from the setup to its screen on the sample files in a
// temporary folder (the working directory during the walk, so the paths shown are the same every run): the
// run dashboard drives a fake engine with a fixed snapshot, the summary the real engine on the sandbox with
// its times fixed.
func TestScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		for target := screenSetup; target <= screenSummary; target++ {
			name := fmt.Sprintf("%s_%dx%d", strings.ToLower(screenNames[target]), size[0], size[1])
			t.Run(name, func(t *testing.T) {
				view := walkTo(t, target, size[0], size[1])
				teatest.RequireEqualOutput(t, []byte(view))
			})
		}
	}
}

// walkTo runs the TUI on the sample files up to screen target and returns its view.
func walkTo(t *testing.T, target screen, width, height int) string {
	dir := sampleDir(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	start := func(s *campaign.Session) (runner, io.Closer, error) {
		r, c, err := startEngine(s)
		return fixedTimes{r}, c, err
	}
	if target == screenRun {
		start = func(*campaign.Session) (runner, io.Closer, error) { return newFakeRunner(runningSnapshot()), nil, nil }
	}
	plan := campaign.Plan{CSVPath: "sample.csv", TemplatePath: filepath.Join("templates", "spring_sale.yaml"),
		StatePath: filepath.Join(dir, "state", "herald.db"), Profile: sandboxProfile, Rate: 20}
	m := newModel(context.Background(), Config{Plan: plan}, start)
	m.abs = goldenAbs
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(width, height))
	waitFor(t, tm, "Enter shows each message")
	if target > screenSetup {
		tm.Send(keyPress("enter"))
		waitFor(t, tm, "rows in the table")
	}
	if target > screenPreview {
		tm.Send(keyPress("s"))
		waitFor(t, tm, "Type 22")
	}
	if target > screenConfirm {
		tm.Type("22")
		tm.Send(keyPress("enter"))
		waitFor(t, tm, "[Send]")
	}
	if target > screenRun {
		waitFor(t, tm, "[Summary]")
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitTimeout)).(*model)
	view := fm.View()
	fm.shutdown()
	return view
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
