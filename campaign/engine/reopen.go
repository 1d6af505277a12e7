package engine

import (
	"herald/campaign/status"
	"herald/campaign/store"
)

// A session message goes only to people who wrote in the last 24 hours. A row whose number had not when the
// campaign was checked is skipped (code outside_window), but its turn still comes: the feeder reads it in row
// order with the ready rows (Options.Reopen), and when the guard says the number has written since, the row is
// made ready again and sent like the others. So someone who replies while a follow-up runs gets it, as long as
// the run has not passed their row yet; a later run of the same campaign asks about the rows left skipped again.

// readyPage reads the next page of rows to hand out after row after: the ready rows, with the rows skipped with
// the Reopen code among them.
func (e *Engine) readyPage(after int) ([]store.Row, error) {
	if e.opts.Reopen == "" {
		return e.store.ReadyRows(e.info.ID, after, feedPage)
	}
	return e.store.FeedRows(e.info.ID, after, feedPage, e.opts.Reopen)
}

// reopen asks the guard about a skipped row at its turn. When it may go now, the row is recorded ready again
// (before any in-flight mark of it: the journal keeps the order), counted as one more to send, and true is
// returned; otherwise it stays skipped as it is.
func (e *Engine) reopen(r store.Row) bool {
	g := e.opts.Guard
	if g == nil || g.Hold(r.Number, e.opts.Clock.Now()) != nil {
		return false
	}
	e.journal.Record(store.Outcome{Row: r.Row, Status: status.Ready, Attempts: r.Attempts})
	e.prog.total.Add(1)
	e.prog.remaining.Add(1)
	return true
}
