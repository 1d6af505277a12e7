package ui

import (
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// forceQuitMsg asks the root to quit at once: the second q (or ctrl+c) of a run.
type forceQuitMsg struct{}

// Stop and pause reasons the dashboard gives the engine; they show in the events and the summary.
const (
	reasonUserPause  = "paused by the user (p)"
	reasonUserCancel = "cancelled by the user (c)"
	reasonUserQuit   = "quit by the user (q)"
)

// dashFocus is the dashboard pane that has the keyboard.
type dashFocus int

const (
	focusFailures dashFocus = iota
	focusEvents
)

// dashboardPane shows a run: progress, counts, pace, the failures and the events. It reads the engine's
// snapshot on a tick while the run is live (never one message per sent message) and drives the engine: pause,
// resume, cancel (after asking) and quit (graceful; a second press forces).
type dashboardPane struct {
	common.Common
	run   runner
	title string
	snap  engine.Snapshot
	// live is set from the start of a run until Run returns.
	live bool
	// asking is set while the cancel question is shown; quitting once q was pressed.
	asking   bool
	quitting bool
	focus    dashFocus
	failures viewport.Model
	events   viewport.Model
	bar      progress.Model
}

// newDashboardPane returns an idle dashboard; start gives it a run.
func newDashboardPane(c common.Common) *dashboardPane {
	fill := c.Styles.ProgressFill.Dark
	if !lipgloss.HasDarkBackground() {
		fill = c.Styles.ProgressFill.Light
	}
	return &dashboardPane{Common: c,
		bar: progress.New(progress.WithSolidFill(fill), progress.WithColorProfile(lipgloss.ColorProfile()))}
}

// start shows a new run and starts reading its progress.
func (d *dashboardPane) start(r runner, title string) tea.Cmd {
	*d = dashboardPane{Common: d.Common, bar: d.bar, run: r, title: title, live: true,
		failures: viewport.New(0, 0), events: viewport.New(0, 0)}
	d.SetSize(d.Width, d.Height)
	d.refresh(r.Snapshot())
	return snapshotTick()
}

// finish shows the run's last snapshot; the ticks stop.
func (d *dashboardPane) finish(s engine.Snapshot) {
	d.live, d.asking = false, false
	d.refresh(s)
}

// Init implements tea.Model.
func (d *dashboardPane) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (d *dashboardPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotTickMsg:
		if !d.live {
			return d, nil
		}
		d.refresh(d.run.Snapshot())
		return d, snapshotTick()
	case tea.KeyMsg:
		if d.live {
			return d, d.key(msg)
		}
	}
	return d, nil
}

// key handles a key during a run.
func (d *dashboardPane) key(msg tea.KeyMsg) tea.Cmd {
	k := d.Keys
	if d.asking {
		switch {
		case key.Matches(msg, k.Yes):
			d.asking = false
			d.run.Stop(reasonUserCancel)
			d.refresh(d.run.Snapshot())
		case key.Matches(msg, k.No):
			d.asking = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		if d.quitting {
			return common.Emit(forceQuitMsg{})
		}
		d.quitting = true
		d.run.Stop(reasonUserQuit)
		d.refresh(d.run.Snapshot())
	case key.Matches(msg, k.Pause):
		switch d.snap.State {
		case status.Paused:
			d.run.Resume()
		case status.Running:
			d.run.Pause(reasonUserPause)
		}
		d.refresh(d.run.Snapshot())
	case key.Matches(msg, k.Cancel):
		d.asking = d.snap.State == status.Running || d.snap.State == status.Paused
	case key.Matches(msg, k.Focus):
		d.focus = 1 - d.focus
	case key.Matches(msg, k.Up):
		d.focused().LineUp(1)
	case key.Matches(msg, k.Down):
		d.focused().LineDown(1)
	case key.Matches(msg, k.PageUp):
		d.focused().PageUp()
	case key.Matches(msg, k.PageDown):
		d.focused().PageDown()
	}
	return nil
}

// focused is the list that scrolls.
func (d *dashboardPane) focused() *viewport.Model {
	if d.focus == focusEvents {
		return &d.events
	}
	return &d.failures
}

// refresh shows snapshot s.
func (d *dashboardPane) refresh(s engine.Snapshot) {
	d.snap = s
	d.failures.SetContent(failureLines(s, d.failures.Width))
	d.events.SetContent(eventLines(s, d.events.Width))
}

// ShortHelp implements help.KeyMap.
func (d *dashboardPane) ShortHelp() []key.Binding {
	k := d.Keys
	if d.asking {
		return []key.Binding{common.WithHelp(k.Yes, "cancel the run"), common.WithHelp(k.No, "keep sending")}
	}
	quit := common.WithHelp(k.Quit, "stop and quit")
	if d.quitting {
		quit = common.WithHelp(k.Quit, "quit at once")
	}
	return []key.Binding{k.Pause, k.Cancel, k.Focus, common.WithHelp(k.Down, "scroll"), quit}
}

// FullHelp implements help.KeyMap.
func (d *dashboardPane) FullHelp() [][]key.Binding {
	k := d.Keys
	return [][]key.Binding{{k.Pause, k.Cancel, common.WithHelp(k.Quit, "stop, then quit (twice: at once)")},
		{k.Focus, common.WithHelp(k.Up, "scroll up"), common.WithHelp(k.Down, "scroll down"), k.PageUp, k.PageDown}}
}
