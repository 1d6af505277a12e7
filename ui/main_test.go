package ui

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/providers"
	"herald/ui/dashboard"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC // times on screens read the same on every machine
	os.Exit(m.Run())
}

// sandboxProfile is the built-in sandbox profile.
var sandboxProfile = providers.Profile{Name: config.SandboxProfile, Provider: "sandbox",
	Callbacks: providers.SandboxCallbacks{Off: true}} // no callbacks: the screens stay the same from run to run

// sampleDir copies the repository's sample.csv and templates/spring_sale.yaml into a temporary folder.
func sampleDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join("..", "sample.csv"), filepath.Join(dir, "sample.csv"))
	copyFile(t, filepath.Join("..", "templates", "spring_sale.yaml"), filepath.Join(dir, "templates", "spring_sale.yaml"))
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// samplePlan is the sample campaign in dir on the sandbox, with its state store in dir.
func samplePlan(dir string) campaign.Plan {
	return campaign.Plan{CSVPath: filepath.Join(dir, "sample.csv"),
		TemplatePath: filepath.Join(dir, "templates", "spring_sale.yaml"),
		StatePath:    filepath.Join(dir, "state", "herald.db"), Profile: sandboxProfile, Rate: 20}
}

// prepareSample plans the sample campaign of plan into its store and returns the session; the test closes it.
func prepareSample(t *testing.T, plan campaign.Plan) *campaign.Session {
	t.Helper()
	in, err := campaign.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		in.Close()
		t.Fatal(err)
	}
	return sess
}

// fakeRunner is an engine the test drives: Run waits for a snapshot on release (or for its context), and
// Pause, Resume and Stop are recorded and change the state Snapshot reports.
type fakeRunner struct {
	mu      sync.Mutex
	snap    engine.Snapshot
	pauses  []string
	resumes int
	stops   []string
	release chan engine.Snapshot
}

func newFakeRunner(s engine.Snapshot) *fakeRunner {
	return &fakeRunner{snap: s, release: make(chan engine.Snapshot, 1)}
}

func (f *fakeRunner) Run(ctx context.Context) (engine.Snapshot, error) {
	select {
	case s := <-f.release:
		return s, nil
	case <-ctx.Done():
		return f.Snapshot(), ctx.Err()
	}
}

func (f *fakeRunner) Snapshot() engine.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeRunner) Pause(reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pauses = append(f.pauses, reason)
	f.snap.State, f.snap.Reason = status.Paused, reason
}

func (f *fakeRunner) Resume() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resumes++
	f.snap.State, f.snap.Reason = status.Running, ""
}

func (f *fakeRunner) Stop(reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stops = append(f.stops, reason)
	f.snap.State, f.snap.Reason = status.Stopping, reason
}

// calls returns what the runner was asked to do.
func (f *fakeRunner) calls() (pauses []string, resumes int, stops []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.pauses...), f.resumes, append([]string(nil), f.stops...)
}

// keyPress is the KeyMsg of a key name as Bubble Tea spells it ("enter", "esc", "tab") or of typed text.
func keyPress(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// flat is a view with its whitespace collapsed, so that assertions do not depend on where text wraps.
func flat(view string) string { return strings.Join(strings.Fields(view), " ") }

// drive feeds msg to m, runs the commands it returns and feeds their messages back, until none is left.
// Ticks (spinner and snapshot) are dropped, so nothing waits on a timer; the screens' other commands do their
// I/O synchronously here. It returns the messages that ended the chain unhandled by design: tea.QuitMsg.
func drive(t *testing.T, m tea.Model, msg tea.Msg) (quit bool) {
	t.Helper()
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg, queue = queue[0], queue[1:]
		switch msg.(type) {
		case nil, spinner.TickMsg, dashboard.TickMsg:
			continue
		case tea.QuitMsg:
			quit = true
			continue
		}
		if cmds, ok := commandList(msg); ok { // tea.BatchMsg, and tea.Sequence's unexported message
			for _, c := range cmds {
				if c != nil {
					queue = append(queue, c())
				}
			}
			continue
		}
		_, cmd := m.Update(msg)
		if cmd != nil {
			queue = append(queue, cmd())
		}
	}
	return quit
}

// commandList returns the commands of a message that is a list of them: tea.BatchMsg, or the unexported
// message tea.Sequence returns (run in order here, as the program runs them).
func commandList(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// helpText is the descriptions of key bindings, as the help line shows them: "r retry failures · n new campaign".
func helpText(bindings []key.Binding) string {
	parts := make([]string, len(bindings))
	for i, b := range bindings {
		parts[i] = b.Help().Key + " " + b.Help().Desc
	}
	return strings.Join(parts, " · ")
}
