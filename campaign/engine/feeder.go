package engine

import (
	"time"

	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/campaign/store"
)

// feedPage is how many rows the feeder reads from the store at a time, of each kind.
const feedPage = 1000

// feedCursor is where the feeder is: the last ready row it took (row order) and the last deferred row it took
// ((not_before, row) order). A row deferred during the run gets a time after the clock's now, so it sorts
// after the cursor and is found again when its time comes.
type feedCursor struct {
	ready    int
	deferred store.DeferredCursor
}

// feed hands the workers the rows whose time has come: a page of ready rows in row order, then a page of the
// deferred rows whose time has come, in turn. The guard may hold a row back again (deferred to a later time,
// or suppressed) or make it wait for a place under the messaging limit. When nothing is due, the feeder waits
// on the clock for the next deferred row (never spinning), and it ends once no row is left to hand out and no
// row handed out can still come back deferred.
func (e *Engine) feed() error {
	defer close(e.jobs)
	defer e.dropBlock()
	var cur feedCursor
	for {
		took, err := e.feedPage(&cur)
		if err == nil && e.stopCtx.Err() == nil && took == 0 {
			e.handLast() // nothing more comes now: the rows the grouper gathered go before the feeder waits
			var done bool
			done, err = e.idle(&cur)
			if done {
				return nil
			}
		}
		if err != nil {
			e.Stop("state store failure: " + err.Error())
			return err
		}
		if e.stopCtx.Err() != nil {
			return nil
		}
	}
}

// feedPage hands out a page of ready rows (with the skipped rows it reopens: reopen.go) and a page of due
// deferred rows, and returns how many it took.
func (e *Engine) feedPage(cur *feedCursor) (int, error) {
	rows, err := e.readyPage(cur.ready)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		cur.ready = r.Row
		if !e.hand(r, false) {
			return 0, nil
		}
	}
	due, err := e.store.DueRows(e.info.ID, e.opts.Clock.Now(), cur.deferred, feedPage)
	if err != nil {
		return 0, err
	}
	for _, r := range due {
		cur.deferred = store.DeferredCursor{At: r.NotBefore, Row: r.Row}
		if !e.hand(r, true) {
			return 0, nil
		}
	}
	return len(rows) + len(due), nil
}

// idle waits, with nothing due, until the next deferred row's time, a worker's deferral, the last job's end
// or the stop. It reports done when no row is left to hand out and none can come back.
func (e *Engine) idle(cur *feedCursor) (done bool, err error) {
	settled := e.outstanding.Load() == 0
	if settled {
		// No job is out, so no worker can defer a row any more: commit the deferrals queued so far, so that the
		// query below sees every row still waiting.
		if err := e.journal.Flush(e.stopCtx); err != nil {
			if e.stopCtx.Err() != nil {
				return true, nil
			}
			return false, err
		}
	}
	next, code, ok, err := e.store.NextDeferred(e.info.ID, cur.deferred)
	if err != nil {
		return false, err
	}
	if !ok {
		e.prog.setWait(time.Time{}, "")
		if settled {
			return true, nil
		}
	} else {
		e.prog.setWait(next, code)
	}
	var due <-chan time.Time
	if ok {
		due = e.opts.Clock.After(next.Sub(e.opts.Clock.Now()))
	}
	select {
	case <-due:
	case <-e.wake:
	case <-e.stopCtx.Done():
	}
	return false, nil
}

// hand passes one row through the guard and on to the workers (through the grouper when the provider
// batches); it returns false once the run stops.
func (e *Engine) hand(r store.Row, wasDeferred bool) bool {
	if r.Status == status.Skipped && !e.reopen(r) {
		return true // still outside the 24-hour window: it stays skipped
	}
	jr := jobRow{row: r.Row, number: r.Number, fields: r.Fields, attempts: r.Attempts}
	if g := e.opts.Guard; g != nil {
		waited := false
		for {
			now := e.opts.Clock.Now()
			jr.sendAt, jr.why = time.Time{}, ""
			if h := g.Hold(r.Number, now); h != nil {
				if !e.schedules(h) {
					e.hold(jr, h, wasDeferred)
					return true
				}
				jr.schedule(h) // the provider holds it: it goes now, with its time, and takes its place now
			}
			fresh, ok, next := g.Reserve(r.Number, now)
			if ok {
				jr.fresh = fresh
				if waited {
					e.prog.setWait(time.Time{}, "")
				}
				break
			}
			waited = true
			// The messaging limit is reached: the rows gathered so far go, then the feeder waits for a place to
			// free (or for the jobs out to end: one whose request did not leave gives its place back) and asks
			// again; the window may have closed meanwhile.
			e.handLast()
			e.prog.setWait(next, status.CodeMessagingLimit)
			select {
			case <-e.opts.Clock.After(next.Sub(now)):
			case <-e.wake:
			case <-e.stopCtx.Done():
				return false
			}
		}
	}
	if wasDeferred {
		e.prog.waiting.Add(-1)
	}
	if e.ahead > 0 {
		return e.queueAhead(jr)
	}
	if e.group == nil {
		return e.dispatch(job{rows: []jobRow{jr}})
	}
	for _, j := range e.group.add(jr) {
		if !e.dispatch(j) {
			return false
		}
	}
	return true
}

// hold records a row the guard holds back: deferred to its time (the feeder takes it again then), or
// suppressed for good.
func (e *Engine) hold(r jobRow, h *guards.Hold, wasDeferred bool) {
	e.journal.Record(store.Outcome{Row: r.row, Status: h.Status, Code: h.Code, Error: h.Reason,
		Attempts: r.attempts, NotBefore: h.NotBefore})
	switch {
	case h.Status == status.Deferred && !wasDeferred:
		e.prog.waiting.Add(1)
	case h.Status != status.Deferred:
		if wasDeferred {
			e.prog.waiting.Add(-1)
		}
		e.prog.remaining.Add(-1)
		e.prog.suppressed.Add(1)
	}
}

// jobDone ends a job handed to the workers: the feeder is woken when the last job out is done.
func (e *Engine) jobDone() {
	if e.outstanding.Add(-1) == 0 {
		e.nudge()
	}
}

// release gives back the places under the messaging limit that rows took for this run and did not use: no
// request for them left.
func (e *Engine) release(rows []jobRow) {
	for _, r := range rows {
		if r.fresh && !r.left {
			e.opts.Guard.Release(r.number)
		}
	}
}

// nudge wakes the feeder if it is idle; it never blocks.
func (e *Engine) nudge() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}
