package ui

import (
	"context"
	"errors"
	"io"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/ui/dashboard"
)

// engineStarter opens the provider of a prepared session and returns the engine that will send its rows,
// and what to close once the run is over. startEngine is the real one; tests give their own.
type engineStarter func(sess *campaign.Session) (dashboard.Runner, io.Closer, error)

// startEngine starts the session's run (campaign.Session.Start) with an auto-pause that waits for the user.
func startEngine(sess *campaign.Session) (dashboard.Runner, io.Closer, error) {
	return sess.Start(campaign.RunOptions{})
}

// dryRunDoneMsg reports a dry run: every row checked and the results CSV written (outAbs, absolute).
type dryRunDoneMsg struct {
	counts map[string]int
	outAbs string
	// fromRecord is set when the results came from the campaign's record (it was sent before).
	fromRecord bool
	err        error
}

// dryRunCmd checks every row again and writes the results CSV, without sending. For a campaign sent before
// from the same files, the results CSV is written from its record instead: a check alone would call every row
// ready again.
func dryRunCmd(ctx context.Context, plan campaign.Plan, fromRecord bool, clock guards.Clock, rows *atomic.Int64, abs func(string) string) tea.Cmd {
	return func() tea.Msg {
		if fromRecord {
			path, err := campaign.Export(plan.StatePath, plan.Campaign, plan.OutPath)
			if err != nil {
				return dryRunDoneMsg{err: err}
			}
			prior, err := campaign.FindPrior(plan)
			if err != nil || prior == nil {
				return dryRunDoneMsg{outAbs: abs(path), fromRecord: true, err: err}
			}
			return dryRunDoneMsg{counts: prior.Info.Counts, outAbs: abs(path), fromRecord: true}
		}
		in, err := openInput(plan, clock)
		if err != nil {
			return dryRunDoneMsg{err: err}
		}
		defer in.Close()
		res, err := campaign.Preview(ctx, in, 0, rows)
		return dryRunDoneMsg{counts: res.Summary.Counts, outAbs: abs(res.OutPath), err: err}
	}
}

// preparedMsg reports a campaign planned (or found) in the state store and locked for this process, with its
// results CSV's path, absolute.
type preparedMsg struct {
	sess   *campaign.Session
	outAbs string
	err    error
}

// prepareCmd closes the previous session, if any, then opens the plan and prepares its campaign.
func prepareCmd(ctx context.Context, plan campaign.Plan, previous *campaign.Session, clock guards.Clock, rows *atomic.Int64, abs func(string) string) tea.Cmd {
	return func() tea.Msg {
		if previous != nil {
			if err := previous.Close(); err != nil {
				return preparedMsg{err: err}
			}
		}
		in, err := openInput(plan, clock)
		if err != nil {
			return preparedMsg{err: err}
		}
		sess, err := campaign.Prepare(ctx, in, rows)
		if err != nil {
			in.Close()
			return preparedMsg{err: err}
		}
		return preparedMsg{sess: sess, outAbs: abs(sess.Input.Plan.OutPath)}
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
	run    dashboard.Runner
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
func runCmd(ctx context.Context, r dashboard.Runner, done chan<- struct{}) tea.Cmd {
	return func() tea.Msg {
		defer close(done)
		snap, err := r.Run(ctx)
		return runDoneMsg{snap: snap, err: err}
	}
}

// finishedMsg reports a run's results written: rows per status in the store now, the failures that may pass
// if sent again, the results CSV's path, absolute, and the estimated cost of the messages sent ("" without
// --prices).
type finishedMsg struct {
	counts    map[string]int
	retryable int
	outAbs    string
	// funnel is what the providers' callbacks said, read once the results were written; note says what earlier
	// versions of the CSV messaged ("" for nothing).
	funnel campaign.Funnel
	note   string
	// statePath is the campaign's state store, for following up its repliers.
	statePath string
	cost      string
	err       error
}

// finishCmd closes the provider, writes the results CSV from the store and counts the rows.
func finishCmd(sess *campaign.Session, closer io.Closer, abs func(string) string) tea.Cmd {
	return func() tea.Msg {
		var errs []error
		if closer != nil {
			errs = append(errs, closer.Close())
		}
		errs = append(errs, sess.WriteResults())
		tally, err := sess.Tally()
		errs = append(errs, err)
		retryable, err := sess.Store.CountRetryable(sess.Info.ID)
		errs = append(errs, err)
		funnel, _ := sess.LiveFunnel()
		msg := finishedMsg{counts: tally.Rows, retryable: retryable, outAbs: abs(sess.Input.Plan.OutPath),
			funnel: funnel, note: tally.EarlierNote(), statePath: sess.Input.Plan.StatePath}
		cost, err := sess.SentCost()
		if errs = append(errs, err); cost != nil {
			msg.cost = cost.String()
		}
		msg.err = errors.Join(errs...)
		return msg
	}
}
