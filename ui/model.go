package ui

import (
	"context"
	"io"
	"path/filepath"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/ui/common"
	"herald/ui/dashboard"
	"herald/ui/history"
	"herald/ui/rowdetail"
)

// screen is one step of a campaign, or the campaigns screen beside them.
type screen int

const (
	screenSetup screen = iota
	screenPreview
	screenConfirm
	screenRun
	screenSummary
	screenHistory
)

// screenNames are the screens as the top bar shows them: the steps of a campaign, then the campaigns.
var screenNames = []string{"Setup", "Preview", "Confirm", "Send", "Summary", "Campaigns"}

// model is the root: it owns the panes, routes window sizes to all of them and keys to the active one (or to
// a row's detail shown over it), and turns the panes' requests into commands (files, the state store, the
// engine, the clipboard) whose answers come back as messages. It holds the campaign's session and engine
// between the screens.
type model struct {
	common.Common
	ctx   context.Context
	start engineStarter
	help  help.Model
	// abs makes a path absolute for display (filepath.Abs; tests fix it); it runs in commands.
	abs func(string) string
	// clipboard receives the OSC 52 sequences that copy a path (the terminal; tests give a buffer).
	clipboard io.Writer
	// clock is the time the guards go by (Config.Clock).
	clock guards.Clock

	active    screen
	setup     *setupPane
	preview   *previewPane
	confirm   *confirmPane
	dashboard *dashboard.Model
	summary   *summaryPane
	history   *history.Model
	// detail is a row shown over the active screen; nil when none is. historyFrom is the screen the campaigns
	// screen returns to.
	detail      *rowdetail.Model
	historyFrom screen

	// plan is the previewed plan, its defaults filled.
	plan campaign.Plan
	sess *campaign.Session
	// closer closes the provider once the run is over.
	closer io.Closer
	// runCancel forces the run to stop; runDone is closed when the engine's Run has returned.
	runCancel context.CancelFunc
	runDone   chan struct{}
	// lastSnap and runErr are the last run's end; running is set from its start until its results are written;
	// ran once one has been; forced when the user quit at once.
	lastSnap *engine.Snapshot
	runErr   error
	running  bool
	ran      bool
	forced   bool

	// busy names the background work under way (a dry run, a prepare); busyRows counts its rows.
	busy      string
	busyRows  *atomic.Int64
	opCancel  context.CancelFunc
	spinner   spinner.Model
	status    string
	statusErr bool
}

// newModel returns the root model for cfg; start opens the provider and the engine when a run is confirmed.
func newModel(ctx context.Context, cfg Config, start engineStarter) *model {
	c := common.New()
	m := &model{Common: c, ctx: ctx, start: start, help: help.New(), abs: absPath, clipboard: io.Discard, clock: cfg.clock(),
		setup: newSetupPane(c, ctx, cfg), preview: newPreviewPane(c), confirm: newConfirmPane(c),
		dashboard: dashboard.New(c), summary: newSummaryPane(c), history: history.New(c),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))}
	m.setup.abs = func(p string) string { return m.abs(p) }
	m.help.Styles = c.Styles.Help
	m.resize()
	return m
}

// absPath is path made absolute, or path when the working directory is unknown.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// Init implements tea.Model.
func (m *model) Init() tea.Cmd { return m.setup.Init() }

// panes lists every pane, in screen order, for sizing.
func (m *model) panes() []common.Component {
	return []common.Component{m.setup, m.preview, m.confirm, m.dashboard, m.summary, m.history}
}

// activePane is the pane that has the keyboard: a row's detail when one is open, else the screen's pane.
func (m *model) activePane() common.Component {
	if m.detail != nil {
		return m.detail
	}
	return m.panes()[m.active]
}

// show switches to screen s and clears the status line.
func (m *model) show(s screen) {
	m.active, m.status, m.detail = s, "", nil
	m.resize()
}

// setStatus shows a line in the status bar (wrapped: the panes get the room that is left).
func (m *model) setStatus(text string, isErr bool) {
	m.status, m.statusErr = text, isErr
	m.resize()
}

// Update implements tea.Model.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.Common.SetSize(msg.Width, msg.Height)
		m.resize()
		return m, nil
	case tea.KeyMsg:
		return m, m.keys(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		if m.busy != "" {
			m.spinner, cmd = m.spinner.Update(msg)
		}
		return m, tea.Batch(cmd, m.forward(m.setup, msg))
	case openedMsg, checkedMsg:
		return m, m.forward(m.setup, msg)
	case dashboard.TickMsg:
		return m, m.forward(m.dashboard, msg)
	case common.StatusMsg:
		m.setStatus(msg.Text, msg.IsErr)
		return m, nil
	}
	if cmd, ok := m.flow(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.aside(msg); ok {
		return m, cmd
	}
	return m, m.forward(m.panes()[m.active], msg)
}

// keys handles a key message. Bubble Tea v1 delivers letters typed quickly (key repeat, a slow SSH link) as one
// message with several runes: each is handled as its own key, so "jjj" moves three rows. Pasted text stays
// whole.
func (m *model) keys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return m.key(msg)
	}
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Sequence(cmds...)
}

// key handles one key. During a run the dashboard owns q and ctrl+c (it asks before stopping); a pane taking
// typed text gets every key but ctrl+c; while background work runs, only help and quit work.
func (m *model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	live := m.active == screenRun && m.dashboard.Live()
	typing := false
	if t, ok := m.activePane().(common.Typist); ok {
		typing = t.Typing()
	}
	switch {
	case live && (msg.Type == tea.KeyCtrlC || key.Matches(msg, k.Quit)):
		m.detail = nil // the question shows on the dashboard
		return m.forward(m.dashboard, msg)
	case msg.Type == tea.KeyCtrlC:
		return tea.Quit
	case typing:
		return m.forward(m.activePane(), msg)
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil
	case live || m.detail != nil:
		return m.forward(m.activePane(), msg)
	case m.busy != "":
		return nil
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Campaigns) && m.active != screenHistory && m.active != screenConfirm && m.active != screenRun:
		return m.openHistory()
	}
	return m.forward(m.activePane(), msg)
}

// forward updates pane p with msg.
func (m *model) forward(p common.Component, msg tea.Msg) tea.Cmd {
	_, cmd := p.Update(msg)
	return cmd
}

// startBusy shows that background work started; its context is cancelled when the TUI ends.
func (m *model) startBusy(label string) (context.Context, *atomic.Int64, tea.Cmd) {
	ctx, cancel := context.WithCancel(m.ctx)
	m.busy, m.busyRows, m.opCancel, m.status = label, &atomic.Int64{}, cancel, ""
	m.resize()
	return ctx, m.busyRows, m.spinner.Tick
}

// stopBusy ends the background work's indicator.
func (m *model) stopBusy() {
	if m.opCancel != nil {
		m.opCancel()
	}
	m.busy, m.busyRows, m.opCancel = "", nil, nil
}
