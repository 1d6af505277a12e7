package ui

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
)

// snapshotEvery is how often the dashboard reads the engine's progress.
const snapshotEvery = 100 * time.Millisecond

// runner is the send engine as the dashboard drives it; *engine.Engine is one.
type runner interface {
	Run(ctx context.Context) (engine.Snapshot, error)
	Snapshot() engine.Snapshot
	Pause(reason string)
	Resume()
	Stop(reason string)
}

// engineStarter opens the provider of a prepared session and returns the engine that will send its rows,
// and what to close once the run is over. startEngine is the real one; tests give their own.
type engineStarter func(sess *campaign.Session) (runner, io.Closer, error)

// startEngine starts the session's run (campaign.Session.Start) with an auto-pause that waits for the user.
func startEngine(sess *campaign.Session) (runner, io.Closer, error) {
	return sess.Start(campaign.RunOptions{})
}

// dryRunDoneMsg reports a dry run: every row checked and the results CSV written.
type dryRunDoneMsg struct {
	result campaign.PreviewResult
	err    error
}

// dryRunCmd checks every row again and writes the results CSV, without sending.
func dryRunCmd(ctx context.Context, plan campaign.Plan, rows *atomic.Int64) tea.Cmd {
	return func() tea.Msg {
		in, err := campaign.Open(plan)
		if err != nil {
			return dryRunDoneMsg{err: err}
		}
		defer in.Close()
		res, err := campaign.Preview(ctx, in, 0, rows)
		return dryRunDoneMsg{result: res, err: err}
	}
}

// preparedMsg reports a campaign planned (or found) in the state store and locked for this process.
type preparedMsg struct {
	sess *campaign.Session
	err  error
}

// prepareCmd closes the previous session, if any, then opens the plan and prepares its campaign.
func prepareCmd(ctx context.Context, plan campaign.Plan, previous *campaign.Session, rows *atomic.Int64) tea.Cmd {
	return func() tea.Msg {
		if previous != nil {
			if err := previous.Close(); err != nil {
				return preparedMsg{err: err}
			}
		}
		in, err := campaign.Open(plan)
		if err != nil {
			return preparedMsg{err: err}
		}
		sess, err := campaign.Prepare(ctx, in, rows)
		if err != nil {
			in.Close()
			return preparedMsg{err: err}
		}
		return preparedMsg{sess: sess}
	}
}

// closeSessionCmd releases a session the user walked away from.
func closeSessionCmd(sess *campaign.Session) tea.Cmd {
	return func() tea.Msg {
		return sessionClosedMsg{err: closeSession(sess)}
	}
}

// sessionClosedMsg reports a session closed.
type sessionClosedMsg struct{ err error }

// closeSession closes the session and its CSV.
func closeSession(sess *campaign.Session) error {
	return errors.Join(sess.Close(), sess.Input.Close())
}

// runStartedMsg reports the engine ready to run, or why the provider could not be opened.
type runStartedMsg struct {
	run    runner
	closer io.Closer
	err    error
}

// startRunCmd opens the provider and builds the engine with start.
func startRunCmd(start engineStarter, sess *campaign.Session) tea.Cmd {
	return func() tea.Msg {
		r, c, err := start(sess)
		return runStartedMsg{run: r, closer: c, err: err}
	}
}

// runDoneMsg reports the end of a run with its last snapshot.
type runDoneMsg struct {
	snap engine.Snapshot
	err  error
}

// runCmd runs the engine until every row is done or the run is stopped; done is closed when it returns, so
// that a forced quit can wait for the store to be consistent.
func runCmd(ctx context.Context, r runner, done chan<- struct{}) tea.Cmd {
	return func() tea.Msg {
		defer close(done)
		snap, err := r.Run(ctx)
		return runDoneMsg{snap: snap, err: err}
	}
}

// snapshotTickMsg asks the dashboard to read the engine's progress.
type snapshotTickMsg struct{}

// snapshotTick fires once after snapshotEvery; the dashboard re-arms it while the run is live.
func snapshotTick() tea.Cmd {
	return tea.Tick(snapshotEvery, func(time.Time) tea.Msg { return snapshotTickMsg{} })
}

// finishedMsg reports a run's results written: rows per status in the store now, and the estimated cost of
// the messages sent ("" without --prices).
type finishedMsg struct {
	counts map[string]int
	cost   string
	err    error
}

// finishCmd closes the provider, writes the results CSV from the store and counts the rows.
func finishCmd(sess *campaign.Session, closer io.Closer) tea.Cmd {
	return func() tea.Msg {
		var errs []error
		if closer != nil {
			errs = append(errs, closer.Close())
		}
		errs = append(errs, sess.WriteResults())
		counts, err := sess.Store.Counts(sess.Info.ID)
		errs = append(errs, err)
		msg := finishedMsg{counts: counts}
		cost, err := sess.SentCost()
		if errs = append(errs, err); cost != nil {
			msg.cost = cost.String()
		}
		msg.err = errors.Join(errs...)
		return msg
	}
}
