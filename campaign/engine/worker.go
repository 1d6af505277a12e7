package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
)

// work is one worker: it takes jobs and sends each until every row of it has a final outcome.
func (e *Engine) work() {
	defer e.workers.Done()
	for j := range e.jobs {
		if e.isStopped() {
			// The rows stay ready, to be sent when the campaign is resumed. The worker goes on taking the jobs
			// queued, until the feeder closes the queue, so that rows marked ahead are all given back.
			e.giveBack(j.rows)
			e.jobDone()
			continue
		}
		e.process(j)
		e.jobDone()
	}
}

// process sends a job's rows (one row, or a batch of rows with one message), retrying transient failures, and
// records each row's outcome. Each request takes one limiter token per row it carries, and leaves only once its
// rows are recorded in flight. When a guard is set, each row is asked about again when its slot comes.
func (e *Engine) process(j job) {
	msg, ok := e.message(j)
	if !ok {
		e.release(j.rows)
		return
	}
	rows := j.rows // the job's own: its attempts are counted in place
	for len(rows) > 0 {
		slot, ok := e.acquire(len(rows))
		if !ok {
			e.giveBack(rows)
			return
		}
		if rows = e.heldAtSlot(rows); len(rows) == 0 {
			return
		}
		for i := range rows {
			rows[i].attempts++
		}
		n := int64(len(rows))
		e.prog.inFlight.Add(n)
		began := time.Now() // the latency that sizes the pool includes the wait for the in-flight record
		if err := e.mark(rows); err != nil {
			e.prog.inFlight.Add(-n)
			if !errors.Is(err, context.Canceled) {
				e.Stop("state store failure: " + err.Error())
			}
			e.release(rows)
			return
		}
		e.leaving(rows)
		e.depart(slot)
		results, err := e.send(msg, rows)
		e.latency.observe(time.Since(began))
		e.prog.inFlight.Add(-n)
		if err != nil && len(rows) > 1 && providers.Classify(err) == providers.ClassPermanent {
			e.split(msg, rows, err)
			return
		}
		retry, wait := e.settle(rows, results, err)
		if len(retry) == 0 || !e.sleep(wait) {
			return
		}
		rows = retry
	}
}

// message is the job's message: the grouped job's, or its one row rendered. A row that no longer renders (the
// template changed since the rows were checked) fails, and false is returned.
func (e *Engine) message(j job) (providers.Message, bool) {
	if j.msg != nil {
		return *j.msg, true
	}
	r := j.rows[0]
	rendered, p := e.binding.Render(r.fields)
	if p != nil {
		e.unmark(j.rows)
		e.final(r, store.Outcome{Row: r.row, Status: status.Failed, Code: p.Code, Error: p.Reason, Attempts: r.attempts})
		return providers.Message{}, false
	}
	return rendered.Message, true
}

// heldAtSlot asks the guard again about each row when its slot has come, before its request leaves: a row
// handed out just before its send window closed (it may wait in the queue and on the limiter for seconds, or
// in a backoff for longer) is deferred again rather than sent outside the window. It returns the rows that may
// go.
func (e *Engine) heldAtSlot(rows []jobRow) []jobRow {
	if e.opts.Guard == nil {
		return rows
	}
	now := e.opts.Clock.Now()
	var keep []jobRow
	for i := range rows {
		r := &rows[i]
		h := e.opts.Guard.Hold(r.number, now)
		if h == nil || e.schedules(h) {
			// It may go: now (its window opened meanwhile) or, with a provider that schedules, at its window's
			// opening (the window closed meanwhile, or a retry's time moved).
			r.sendAt, r.why = time.Time{}, ""
			if h != nil {
				r.schedule(h)
			}
			if keep != nil {
				keep = append(keep, *r)
			}
			continue
		}
		if keep == nil {
			keep = append(make([]jobRow, 0, len(rows)), rows[:i]...)
		}
		e.unmark(rows[i : i+1])
		e.hold(*r, h, false)
		e.release([]jobRow{*r})
		e.nudge()
	}
	if keep == nil {
		return rows
	}
	return keep
}

// leaving notes that the rows' request is about to leave: for the guard (the messaging limit, the frequency
// cap), and so that their places under the limit are not given back.
func (e *Engine) leaving(rows []jobRow) {
	var now time.Time
	if e.opts.Guard != nil {
		now = e.opts.Clock.Now()
	}
	for i := range rows {
		if !rows[i].left && e.opts.Guard != nil {
			at := now
			if !rows[i].sendAt.IsZero() {
				at = rows[i].sendAt // a scheduled message holds its place from the time it goes
			}
			e.opts.Guard.Sent(rows[i].number, at)
		}
		rows[i].left = true
	}
}

// mark records rows in flight, each as its attempt number, in one commit. A row the feeder marked ahead is in
// flight for this attempt already; a retry of it marks its own.
func (e *Engine) mark(rows []jobRow) error {
	if len(rows) == 1 {
		if rows[0].premarked {
			rows[0].premarked = false
			return nil
		}
		return e.journal.MarkInFlight(e.sendCtx, rows[0].row, rows[0].attempts)
	}
	marks := make([]store.Mark, len(rows))
	for i, r := range rows {
		marks[i] = store.Mark{Row: r.row, Attempt: r.attempts}
	}
	return e.journal.MarkManyInFlight(e.sendCtx, marks)
}

// split answers a batch request refused as a whole for a permanent reason. The provider sent nothing, and the
// reason may be one row's (an invalid number refuses EngageLab's whole request): the rows go again in two halves,
// and a half refused again is halved in turn, so that only the rows at fault fail, alone, after about
// 2·log2(rows) requests for one such row. These requests do not count against MaxAttempts: they find the row at
// fault rather than retry it.
func (e *Engine) split(msg providers.Message, rows []jobRow, err error) {
	pe := providers.AsError(err)
	for i := range rows {
		rows[i].splits++
		// Not in flight any more: a crash before the halves leave leaves the row ready.
		e.journal.Record(store.Outcome{Row: rows[i].row, Status: status.Ready, Code: pe.Code, Error: pe.Message,
			Class: pe.Class.String(), Attempts: rows[i].attempts})
	}
	if rows[0].splits == 1 { // the first refusal of these rows

		e.prog.event(EventWarning, fmt.Sprintf("a request for %d rows was refused as a whole (%s): sending them again in halves to find the rows at fault",
			len(rows), pe.Code))
	}
	half := len(rows) / 2
	for _, part := range [][]jobRow{rows[:half:half], rows[half:]} {
		if e.isStopped() {
			return
		}
		e.process(job{rows: part, msg: &msg})
	}
}

// settle records the outcome of one request for rows: err is the whole request's, else results has each row's.
// It returns the rows to send again and how long to wait first.
func (e *Engine) settle(rows []jobRow, results []providers.BatchResult, err error) ([]jobRow, time.Duration) {
	var retry []jobRow
	var wait time.Duration
	limited, answered := false, int64(0)
	for i, r := range rows {
		rowErr := err
		if err == nil {
			rowErr = results[i].Err
		}
		if rowErr == nil {
			answered++
			e.final(r, r.sentOutcome(results[i].Receipt.MessageID))
			continue
		}
		pe := providers.AsError(rowErr)
		if pe.Class == providers.ClassRateLimited {
			limited = true
		} else {
			answered++
		}
		if e.fail(r, pe) {
			retry = append(retry, r)
			wait = max(wait, backoff(r.attempts, e.opts.BackoffBase, e.opts.BackoffMax, pe.RetryAfter))
		}
	}
	e.pacer.answer(answered)
	if limited {
		pe := providers.AsError(err)
		for i := 0; err == nil && i < len(results); i++ {
			if providers.Classify(results[i].Err) == providers.ClassRateLimited {
				pe = providers.AsError(results[i].Err)
				break
			}
		}
		e.prog.rateLimited.Add(1)
		e.pacer.slowDown(time.Now(), pe.RetryAfter)
	}
	if len(retry) > 0 {
		e.prog.retries.Add(int64(len(retry)))
	}
	return retry, wait
}

// fail records what a classified error means for one row and reports whether the row is to be sent again.
func (e *Engine) fail(r jobRow, pe *providers.Error) bool {
	out := store.Outcome{Row: r.row, Code: pe.Code, Error: pe.Message, Class: pe.Class.String(), Attempts: r.attempts}
	if out.Error == "" {
		out.Error = pe.Error()
	}
	switch pe.Class {
	case providers.ClassRetryable, providers.ClassRateLimited:
		if r.attempts-r.splits >= e.opts.MaxAttempts {
			out.Status = status.Failed
			out.Error = fmt.Sprintf("gave up after %d attempts: %s", r.attempts-r.splits, out.Error)
			e.final(r, out)
			return false
		}
		// Not in flight any more: a crash during the backoff leaves the row ready, not unknown.
		out.Status = status.Ready
		e.journal.Record(out)
		return true
	case providers.ClassPermanent:
		out.Status = status.Failed
		e.final(r, out)
	case providers.ClassFatal:
		// Not the row's fault: it stays ready, so a resume after the fix sends it.
		out.Status = status.Ready
		e.journal.Record(out)
		e.Stop(fmt.Sprintf("%s answered %s (%s): fix the account or template, then run the same command again",
			e.info.Profile, pe.Code, out.Error))
	default:
		out.Status = status.Unknown
		if e.sendCtx.Err() != nil {
			out.Code, out.Error = status.CodeInterrupted, "herald stopped while the request was in flight: it may have been sent; not resent unless --resend-unknown"
		}
		e.final(r, out)
	}
	return false
}

// acquire waits until the run is live and the limiter has given n tokens, one per message of the request, and
// returns the slot of the last; false once the run stops. A slot that came while the run was paused is dropped
// and fresh tokens awaited after the resume, so that a pause never turns into a burst of every worker at once.
func (e *Engine) acquire(n int) (time.Time, bool) {
	for {
		if !e.gate() {
			return time.Time{}, false
		}
		slot, cancel := e.reserve(n)
		wait := time.Until(slot)
		held := n > 1 && wait > time.Second // a batch the rate holds back: the progress says so
		if held {
			e.prog.holdBatch(n, slot)
		}
		slept := e.sleep(wait)
		if held {
			e.prog.releaseBatch(n)
		}
		if !slept {
			cancel()
			return time.Time{}, false
		}
		e.mu.Lock()
		live := !e.paused && !e.stopped
		e.mu.Unlock()
		if live {
			return slot, true
		}
	}
}

// reserve takes n tokens from the limiter, one at a time (its bucket holds a few milliseconds' worth), and
// returns when the last one is due and how to give back those not yet due.
func (e *Engine) reserve(n int) (time.Time, func()) {
	now := time.Now()
	if e.limiter.Limit() == rate.Inf {
		// Unlimited (and not slowed down by the pacer): every token is due now, and the limiter would only
		// allocate a reservation to say so.
		return now, noCancel
	}
	if n == 1 {
		r := e.limiter.ReserveN(now, 1)
		return now.Add(r.DelayFrom(now)), r.Cancel
	}
	rs := make([]*rate.Reservation, n)
	var last time.Duration
	for i := range rs {
		rs[i] = e.limiter.ReserveN(now, 1)
		last = max(last, rs[i].DelayFrom(now))
	}
	return now.Add(last), func() {
		for i := len(rs) - 1; i >= 0; i-- {
			rs[i].Cancel()
		}
	}
}

// noCancel gives back nothing: the tokens of an unlimited rate.
func noCancel() {}

// departureSlack is how long after its limiter slot a request leaves when the rate is limited: enough for the
// in-flight record to be committed (1-3 ms here), so that requests leave exactly one slot apart whatever each
// commit took, and the provider sees the configured pace with no burst.
const departureSlack = 5 * time.Millisecond

// depart waits, after the in-flight record, until the request's slot plus departureSlack (a few ms at most).
func (e *Engine) depart(slot time.Time) {
	if math.IsInf(e.opts.Rate, 1) {
		return
	}
	if d := time.Until(slot.Add(departureSlack)); d > 0 {
		time.Sleep(d)
	}
}

// final records a row's last outcome and counts it.
func (e *Engine) final(r jobRow, o store.Outcome) {
	o.At = time.Now()
	e.journal.Record(o)
	e.prog.remaining.Add(-1)
	failed := true
	switch o.Status {
	case status.Sent:
		e.prog.sent.Add(1)
		if !o.NotBefore.IsZero() {
			e.prog.scheduled.Add(1)
		}
		failed = false
	case status.Unknown:
		e.prog.unknown.Add(1)
	default:
		e.prog.failed.Add(1)
	}
	if failed {
		e.prog.failure(Failure{At: o.At, Row: r.row, Number: r.number, Status: o.Status, Code: o.Code, Reason: o.Error})
	}
	if reason := e.health.note(failed); reason != "" {
		if e.opts.StopOnPause {
			e.Stop("auto-paused: " + reason)
		} else {
			e.Pause("auto-paused: " + reason)
		}
	}
}

// sleep waits d unless the run stops first.
func (e *Engine) sleep(d time.Duration) bool {
	if d <= 0 {
		return e.stopCtx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-e.stopCtx.Done():
		return false
	}
}

// ref is the client reference of one row attempt: unique per campaign, row and attempt, <= 32 characters.
func (e *Engine) ref(row, attempt int) string {
	b := make([]byte, 0, 32)
	b = append(b, e.refBase...)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(row), 36)
	b = append(b, '-')
	return string(strconv.AppendInt(b, int64(attempt), 10))
}

// backoff is the wait before attempt+1: exponential with full jitter (a random wait between 0 and
// base x 2^(attempt-1), capped at max), and never less than the provider's Retry-After.
func backoff(attempt int, base, max, retryAfter time.Duration) time.Duration {
	ceiling := float64(base) * math.Pow(2, float64(attempt-1))
	if ceiling > float64(max) {
		ceiling = float64(max)
	}
	d := time.Duration(rand.Float64() * ceiling)
	if retryAfter > d {
		d = retryAfter
	}
	return d
}
