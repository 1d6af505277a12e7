package ui

import (
	"context"
	"io"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/ui/common"
)

// screen is one step of a campaign.
type screen int

const (
	screenSetup screen = iota
	screenPreview
	screenConfirm
	screenRun
	screenSummary
)

// screenNames are the steps as the top bar shows them.
var screenNames = []string{"Setup", "Preview", "Confirm", "Send", "Summary"}

// model is the root: it owns the panes, routes window sizes to all of them and keys to the active one, and
// turns the panes' requests into commands (files, the state store, the engine) whose answers come back as
// messages. It holds the campaign's session and engine between the screens.
type model struct {
	common.Common
	ctx   context.Context
	start engineStarter
	help  help.Model

	active    screen
	setup     *setupPane
	preview   *previewPane
	confirm   *confirmPane
	dashboard *dashboardPane
	summary   *summaryPane

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
	m := &model{Common: c, ctx: ctx, start: start, help: help.New(),
		setup: newSetupPane(c, ctx, cfg), preview: newPreviewPane(c), confirm: newConfirmPane(c),
		dashboard: newDashboardPane(c), summary: newSummaryPane(c),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))}
	m.help.Styles = c.Styles.Help
	m.resize()
	return m
}

// Init implements tea.Model.
func (m *model) Init() tea.Cmd { return m.setup.Init() }

// panes lists every pane, for sizing.
func (m *model) panes() []common.Component {
	return []common.Component{m.setup, m.preview, m.confirm, m.dashboard, m.summary}
}

// activePane is the pane on screen.
func (m *model) activePane() common.Component { return m.panes()[m.active] }

// show switches to screen s and clears the status line.
func (m *model) show(s screen) {
	m.active, m.status = s, ""
	m.resize()
}

// resize gives every pane the room between the top bar and the status and help lines.
func (m *model) resize() {
	m.help.Width = m.Width - 1
	helpHeight := lipgloss.Height(m.help.View(m))
	for _, p := range m.panes() {
		p.SetSize(m.Width, max(m.Height-2-helpHeight, 1))
	}
}

// Update implements tea.Model.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.Common.SetSize(msg.Width, msg.Height)
		m.resize()
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		if m.busy != "" {
			m.spinner, cmd = m.spinner.Update(msg)
		}
		return m, tea.Batch(cmd, m.forward(m.setup, msg))
	case openedMsg, checkedMsg:
		return m, m.forward(m.setup, msg)
	case snapshotTickMsg:
		return m, m.forward(m.dashboard, msg)
	case common.StatusMsg:
		m.status, m.statusErr = msg.Text, msg.IsErr
		return m, nil
	}
	if cmd, ok := m.flow(msg); ok {
		return m, cmd
	}
	return m, m.forward(m.activePane(), msg)
}

// key handles a key: help and quit everywhere, the rest by the active pane. During a run the dashboard owns
// q and ctrl+c (graceful stop first); while background work runs, only help and quit work.
func (m *model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil
	case m.active == screenRun && m.dashboard.live:
		return m.forward(m.dashboard, msg)
	case msg.Type == tea.KeyCtrlC:
		return tea.Quit
	case m.busy != "":
		return nil
	case key.Matches(msg, k.Quit) && m.active != screenConfirm:
		return tea.Quit
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
	return ctx, m.busyRows, m.spinner.Tick
}

// stopBusy ends the background work's indicator.
func (m *model) stopBusy() {
	if m.opCancel != nil {
		m.opCancel()
	}
	m.busy, m.busyRows, m.opCancel = "", nil, nil
}

// View implements tea.Model.
func (m *model) View() string {
	bodyHeight := max(m.Height-2-lipgloss.Height(m.help.View(m)), 1)
	body := lipgloss.NewStyle().Height(bodyHeight).MaxHeight(bodyHeight).MaxWidth(m.Width).
		Render(m.activePane().View())
	return lipgloss.JoinVertical(lipgloss.Left, m.topBar(), body, m.statusLine(), " "+m.help.View(m))
}

// topBar is herald's name and the steps, the current one bracketed.
func (m *model) topBar() string {
	st := m.Styles
	steps := make([]string, len(screenNames))
	for i, name := range screenNames {
		if screen(i) == m.active {
			steps[i] = st.StepActive.Render("[" + name + "]")
		} else {
			steps[i] = st.Step.Render(name)
		}
	}
	return common.Fit(" "+st.AppName.Render("herald")+"   "+strings.Join(steps, st.Step.Render(" › ")), m.Width)
}

// statusLine shows the background work under way, else the last outcome.
func (m *model) statusLine() string {
	st := m.Styles
	switch {
	case m.busy != "":
		line := m.spinner.View() + " " + m.busy
		if n := m.busyRows.Load(); n > 0 {
			line += " · " + human.Plural(n, "row")
		}
		return common.Fit(" "+line, m.Width)
	case m.status == "":
		return ""
	case m.statusErr:
		return common.Fit(" "+st.Error.Render(m.status), m.Width)
	}
	return common.Fit(" "+st.OK.Render(m.status), m.Width)
}

// ShortHelp implements help.KeyMap: the active pane's keys, then help and quit.
func (m *model) ShortHelp() []key.Binding {
	return append(m.activePane().ShortHelp(), m.globalKeys()...)
}

// FullHelp implements help.KeyMap.
func (m *model) FullHelp() [][]key.Binding {
	return append(m.activePane().FullHelp(), m.globalKeys())
}

// globalKeys are the keys every screen has.
func (m *model) globalKeys() []key.Binding {
	quit := m.Keys.Quit
	switch {
	case m.active == screenRun && m.dashboard.live:
		return []key.Binding{m.Keys.Help}
	case m.active == screenConfirm:
		quit = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
	}
	return []key.Binding{m.Keys.Help, quit}
}
