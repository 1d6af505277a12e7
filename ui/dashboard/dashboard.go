// Package dashboard is the run's screen: progress, counts, the pace and its sparkline, the failures grouped by
// code (enter opens a row) and the events. It reads the engine's Snapshot on a ~100 ms tick and drives the
// engine: pause, resume, cancel, quit.
//
// Beside them, when the run listens for receipts, the funnel (a line of the head); when rows wait for their send
// window or the messaging limit, a pane of the rows that wait with when each goes (read from the store every
// few seconds, in a command).
package dashboard

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"
	"herald/ui/rowdetail"
)

// Runner is the send engine as the dashboard drives it; *engine.Engine is one.
type Runner interface {
	Run(ctx context.Context) (engine.Snapshot, error)
	Snapshot() engine.Snapshot
	Pause(reason string)
	Resume()
	Stop(reason string)
}

// snapshotEvery is how often the dashboard reads the engine's progress.
const snapshotEvery = 100 * time.Millisecond

// TickMsg asks the dashboard to read the engine's progress.
type TickMsg struct{}

// tick fires once after snapshotEvery; the dashboard re-arms it while the run is live.
func tick() tea.Cmd {
	return tea.Tick(snapshotEvery, func(time.Time) tea.Msg { return TickMsg{} })
}

// ForceQuitMsg asks the root to quit at once: q (or ctrl+c) again while a run stops.
type ForceQuitMsg struct{}

// Stop and pause reasons the dashboard gives the engine; they show in the events and the summary.
const (
	ReasonUserPause  = "paused by the user (p)"
	ReasonUserCancel = "cancelled by the user (c)"
	ReasonUserQuit   = "quit by the user (q)"
)

// dashFocus is the dashboard pane that has the keyboard.
type dashFocus int

const (
	focusFailures dashFocus = iota
	focusEvents
	// focusWaiting names the pane of the rows that wait; it never has the keyboard.
	focusWaiting
)

// question is what the dashboard is asking before it acts: a single stray key never stops a send.
type question int

const (
	askNothing question = iota
	askCancel
	askQuit
)

// Model shows a run: progress, counts, pace and its sparkline, the failures grouped by code and the
// events. It reads the engine's snapshot on a tick while the run is live (never one message per sent
// message) and drives the engine: pause, resume, cancel and quit (each stop asked first; ctrl+c stops at
// once, gracefully; a second q or ctrl+c while stopping quits at once).
type Model struct {
	common.Common
	run   Runner
	title string
	// statePath and campaign locate the run's rows, for a failure's detail.
	statePath, campaign string
	snap                engine.Snapshot
	// live is set from the start of a run until Run returns.
	live     bool
	asking   question
	quitting bool
	focus    dashFocus
	failures failureList
	events   viewport.Model
	bar      progress.Model
	// Funnel, when set, is what the providers' callbacks said so far (campaign.Session.LiveFunnel: a copy kept
	// up to date by the run, so reading it does no I/O).
	Funnel func() (campaign.Funnel, bool)
	// Upcoming, when set, reads the rows that wait and when they go (campaign.Session.Upcoming). It reads the
	// store: the dashboard calls it in a command, every few seconds while rows wait.
	Upcoming func(limit int) (campaign.Upcoming, error)
	waiting  waitingList
	// waited is set once a snapshot had rows that wait.
	waited bool
	// waitingWidth and waitingHeight are the room of the rows that wait (0 lines: no pane).
	waitingWidth, waitingHeight int
}

// New returns an idle dashboard; Start gives it a run.
func New(c common.Common) *Model {
	fill := c.Styles.ProgressFill.Dark
	if !lipgloss.HasDarkBackground() {
		fill = c.Styles.ProgressFill.Light
	}
	return &Model{Common: c,
		bar: progress.New(progress.WithSolidFill(fill), progress.WithColorProfile(lipgloss.ColorProfile()))}
}

// Start shows a new run of the campaign called campaign (in the store at statePath) and starts reading its
// progress.
func (d *Model) Start(r Runner, title, statePath, campaign string) tea.Cmd {
	*d = Model{Common: d.Common, bar: d.bar, run: r, title: title, statePath: statePath, campaign: campaign,
		live: true, events: viewport.New(0, 0)}
	d.SetSize(d.Width, d.Height)
	d.refresh(r.Snapshot())
	return tick()
}

// Finish shows the run's last snapshot; the ticks stop.
func (d *Model) Finish(s engine.Snapshot) {
	d.live, d.asking = false, askNothing
	d.refresh(s)
}

// Live reports whether a run is going: from Start until Finish.
func (d *Model) Live() bool { return d.live }

// Waited reports whether rows of the run waited for their time (a send window, the messaging limit): its
// average pace then says little.
func (d *Model) Waited() bool { return d.waited }

// Quitting reports whether the user asked to quit once the run has stopped.
func (d *Model) Quitting() bool { return d.quitting }

// Asking reports whether the dashboard waits for an answer (y or n), or for the run to stop before quitting:
// then only its own keys apply.
func (d *Model) Asking() bool { return d.asking != askNothing || d.quitting }

// Init implements tea.Model.
func (d *Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (d *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case TickMsg:
		if !d.live {
			return d, nil
		}
		d.refresh(d.run.Snapshot())
		return d, tea.Batch(tick(), d.waiting.next(d.snap, d.Upcoming))
	case upcomingMsg:
		d.waiting.got(msg)
		d.layout()
	case tea.KeyMsg:
		if d.live {
			return d, d.key(msg)
		}
	}
	return d, nil
}

// key handles a key during a run.
func (d *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := d.Keys
	if d.asking != askNothing {
		return d.answer(msg)
	}
	stoppable := d.snap.State == status.Running || d.snap.State == status.Paused
	switch {
	case (msg.Type == tea.KeyCtrlC || key.Matches(msg, k.Quit)) && d.quitting:
		return common.Emit(ForceQuitMsg{})
	case msg.Type == tea.KeyCtrlC: // deliberate: stop gracefully at once, then quit
		d.stop(ReasonUserQuit, true)
	case key.Matches(msg, k.Quit):
		d.asking = askQuit
	case key.Matches(msg, k.Cancel) && stoppable:
		d.asking = askCancel
	case key.Matches(msg, k.Pause):
		switch d.snap.State {
		case status.Paused:
			d.run.Resume()
		case status.Running:
			d.run.Pause(ReasonUserPause)
		}
		d.refresh(d.run.Snapshot())
	case key.Matches(msg, k.Focus):
		d.focus = focusFailures + focusEvents - d.focus
	case key.Matches(msg, k.Continue) && d.focus == focusFailures:
		if row, ok := d.failures.selected(); ok {
			return common.Emit(rowdetail.OpenMsg{StatePath: d.statePath, Campaign: d.campaign, Row: row})
		}
	case d.focus == focusFailures:
		d.failures.key(msg, k)
	default:
		common.ScrollKey(&d.events, msg, k)
	}
	return nil
}

// answer takes y or n for the question asked.
func (d *Model) answer(msg tea.KeyMsg) tea.Cmd {
	k := d.Keys
	switch {
	case key.Matches(msg, k.Yes) && d.asking == askQuit:
		d.stop(ReasonUserQuit, true)
	case key.Matches(msg, k.Yes):
		d.stop(ReasonUserCancel, false)
	case key.Matches(msg, k.No):
	case msg.Type == tea.KeyCtrlC:
		d.stop(ReasonUserQuit, true)
	default:
		return nil
	}
	d.asking = askNothing
	return nil
}

// stop asks the engine to stop gracefully; quit says the TUI ends once the results are written.
func (d *Model) stop(reason string, quit bool) {
	d.asking, d.quitting = askNothing, quit
	d.run.Stop(reason)
	d.refresh(d.run.Snapshot())
}

// refresh shows snapshot s; the panes are laid out again when the rows that wait come or go.
func (d *Model) refresh(s engine.Snapshot) {
	before := d.panes()
	d.snap = s
	d.waited = d.waited || s.Waiting > 0
	if d.panes() != before {
		d.layout()
	}
	d.failures.set(s, d.Styles)
	d.events.SetContent(eventLines(s, d.events.Width))
}

// panes says which panes the layout depends on: the rows that wait, and whether any row failed.
func (d *Model) panes() [2]bool {
	return [2]bool{d.waiting.show(d.snap), d.snap.Failed+d.snap.Unknown > 0}
}

// ShortHelp implements help.KeyMap.
func (d *Model) ShortHelp() []key.Binding {
	k := d.Keys
	switch {
	case d.asking == askQuit:
		return []key.Binding{common.WithHelp(k.Yes, "stop and quit"), common.WithHelp(k.No, "keep sending")}
	case d.asking == askCancel:
		return []key.Binding{common.WithHelp(k.Yes, "cancel the run"), common.WithHelp(k.No, "keep sending")}
	case d.quitting:
		return []key.Binding{common.WithHelp(k.Quit, "quit at once")}
	}
	keys := []key.Binding{k.Pause, k.Cancel, k.Focus}
	if d.focus == focusFailures && len(d.failures.rows) > 0 {
		keys = append(keys, common.WithHelp(k.Continue, "row detail"))
	}
	return append(keys, common.WithHelp(k.Down, "scroll"))
}

// FullHelp implements help.KeyMap.
func (d *Model) FullHelp() [][]key.Binding {
	k := d.Keys
	return [][]key.Binding{{k.Pause, k.Cancel, common.WithHelp(k.Quit, "stop, then quit (asks first)")},
		{k.Focus, common.WithHelp(k.Continue, "a failure's detail"), common.WithHelp(k.Up, "up"),
			common.WithHelp(k.Down, "down"), k.PageUp, k.PageDown}}
}
