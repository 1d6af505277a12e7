package ui

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/ui/common"
	"herald/ui/dashboard"
)

// flow moves the campaign along: it answers the panes' requests with commands and the commands' answers
// with screen changes. It reports false for messages it does not handle.
func (m *model) flow(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case goPreviewMsg:
		m.plan = msg.info.plan
		m.preview.setData(msg.info, msg.result)
		m.show(screenPreview)
	case dryRunRequestMsg:
		ctx, rows, tick := m.startBusy("Dry run: checking every row and writing the results CSV")
		return tea.Batch(dryRunCmd(ctx, m.plan, m.preview.result.stored, m.clock, rows, m.abs), tick), true
	case dryRunDoneMsg:
		m.stopBusy()
		m.dryRunDone(msg)
	case sendRequestMsg:
		return m.prepare(m.plan), true
	case retryRequestMsg:
		plan := m.plan
		plan.RetryFailed, plan.ResendUnknown = true, false
		return m.prepare(plan), true
	case resendUnknownRequestMsg:
		plan := m.plan
		plan.RetryFailed, plan.ResendUnknown = false, true
		return m.prepare(plan), true
	case preparedMsg:
		m.stopBusy()
		return m.prepared(msg), true
	case backMsg:
		return m.back(), true
	case confirmedMsg:
		_, _, tick := m.startBusy("Opening the provider")
		return tea.Batch(startRunCmd(m.start, m.sess), tick), true
	case runStartedMsg:
		m.stopBusy()
		return m.runStarted(msg), true
	case runDoneMsg:
		m.dashboard.Finish(msg.snap)
		m.lastSnap, m.runErr = &msg.snap, msg.err
		_, _, tick := m.startBusy("Writing the results CSV")
		finish := finishCmd(m.sess, m.closer, m.abs)
		m.closer = nil
		return tea.Batch(finish, tick), true
	case finishedMsg:
		m.stopBusy()
		return m.finished(msg), true
	case dashboard.ForceQuitMsg:
		m.forced = true
		m.runCancel()
		return tea.Quit, true
	case newCampaignMsg:
		closing := m.closeSession()
		m.show(screenSetup)
		return tea.Batch(closing, m.setup.newCampaign()), true
	case sessionClosedMsg:
		if msg.err != nil {
			m.setStatus(msg.err.Error(), true)
		}
	default:
		return nil, false
	}
	return nil, true
}

// dryRunDone shows where the dry run wrote the results and what it found.
func (m *model) dryRunDone(msg dryRunDoneMsg) {
	if msg.err != nil {
		m.setStatus("Dry run failed: "+msg.err.Error(), true)
		return
	}
	what := "Dry run: results CSV written"
	if msg.fromRecord {
		what = "Results CSV written from the campaign's record"
	}
	m.setStatus(fmt.Sprintf("%s (%s); nothing was sent: %s", what, common.CountsLine(msg.counts), msg.outAbs), false)
}

// prepare plans the campaign into the state store (or finds it there), replacing the current session.
func (m *model) prepare(plan campaign.Plan) tea.Cmd {
	ctx, rows, tick := m.startBusy("Preparing the campaign: checking and recording every row")
	previous := m.sess
	m.sess = nil
	return tea.Batch(prepareCmd(ctx, plan, previous, m.clock, rows, m.abs), tick)
}

// prepared asks to confirm the prepared run, or says that nothing is left to send.
func (m *model) prepared(msg preparedMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return nil
	}
	m.sess = msg.sess
	if m.sess.ToSend() == 0 {
		name := m.sess.Info.Name
		closing := m.closeSession()
		m.setStatus(fmt.Sprintf("Nothing is left to send in %s: every row has an outcome. Rename the campaign on the "+
			"setup to send these files again.", name), true)
		return closing
	}
	m.confirm.setSession(m.sess, msg.outAbs)
	m.show(screenConfirm)
	return nil
}

// back returns to the previous screen, releasing the session when leaving the confirmation.
func (m *model) back() tea.Cmd {
	switch m.active {
	case screenPreview:
		m.show(screenSetup)
	case screenConfirm:
		cmd := m.closeSession()
		m.show(screenPreview)
		return cmd
	}
	return nil
}

// closeSession releases the current session, if any.
func (m *model) closeSession() tea.Cmd {
	if m.sess == nil {
		return nil
	}
	cmd := closeSessionCmd(m.sess)
	m.sess = nil
	return cmd
}

// runStarted shows the dashboard and runs the engine.
func (m *model) runStarted(msg runStartedMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.closer, m.runCancel, m.runDone, m.running = msg.closer, cancel, make(chan struct{}), true
	m.show(screenRun)
	in := m.sess.Input
	title := fmt.Sprintf("%s · %s via %s", m.sess.Info.Name, in.Template.Name, in.Plan.Profile.Name)
	cmd := m.dashboard.Start(msg.run, title, in.Plan.StatePath, m.sess.Info.Name)
	m.dashboard.Funnel = m.sess.LiveFunnel // callbacks, when the run listens: read on the tick, no I/O
	m.dashboard.Upcoming = m.sess.Upcoming // the rows that wait: read in a command
	return tea.Batch(cmd, runCmd(ctx, msg.run, m.runDone))
}

// finished shows the summary, or quits when the user asked to during the run.
func (m *model) finished(msg finishedMsg) tea.Cmd {
	if m.runCancel != nil {
		m.runCancel()
	}
	m.running, m.ran = false, true
	m.summary.set(m.sess, m.lastSnap, msg, errors.Join(m.runErr, msg.err), m.dashboard.Waited())
	if m.dashboard.Quitting() {
		return tea.Quit
	}
	m.show(screenSummary)
	return nil
}
