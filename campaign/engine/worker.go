package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
)

// work is one worker: it takes rows and sends each until it has a final outcome.
func (e *Engine) work() {
	defer e.workers.Done()
	for j := range e.jobs {
		if e.isStopped() {
			return // the row stays ready: it is sent when the campaign is resumed
		}
		e.jobDone(j, e.process(j))
	}
}

// process sends one row, retrying transient failures, and records its outcome. It reports whether a request
// for the row left.
func (e *Engine) process(j job) (left bool) {
	rendered, p := e.binding.Render(j.fields)
	if p != nil {
		// The template changed since the rows were checked and this row no longer fits it.
		e.final(j, store.Outcome{Row: j.row, Status: status.Failed, Code: p.Code, Error: p.Reason, Attempts: j.attempts})
		return false
	}
	msg := rendered.Message
	msg.To = j.number
	for attempt := j.attempts + 1; ; attempt++ {
		slot, ok := e.acquire()
		if !ok {
			return left
		}
		if e.heldAtSlot(j, attempt) {
			return left
		}
		e.prog.inFlight.Add(1)
		began := time.Now() // the latency that sizes the pool includes the wait for the in-flight record
		if err := e.journal.MarkInFlight(e.sendCtx, j.row, attempt); err != nil {
			e.prog.inFlight.Add(-1)
			if !errors.Is(err, context.Canceled) {
				e.Stop("state store failure: " + err.Error())
			}
			return left
		}
		left = true
		if e.opts.Guard != nil {
			e.opts.Guard.Sent(j.number, e.opts.Clock.Now())
		}
		e.depart(slot)
		msg.Ref = e.ref(j.row, attempt)
		rcpt, err := e.prov.Send(e.sendCtx, msg)
		e.latency.observe(time.Since(began))
		e.prog.inFlight.Add(-1)
		if err == nil {
			e.final(j, store.Outcome{Row: j.row, Status: status.Sent, MessageID: rcpt.MessageID, Attempts: attempt})
			return left
		}
		pe := providers.AsError(err)
		out := store.Outcome{Row: j.row, Code: pe.Code, Error: pe.Message, Class: pe.Class.String(), Attempts: attempt}
		if out.Error == "" {
			out.Error = pe.Error()
		}
		switch pe.Class {
		case providers.ClassRetryable, providers.ClassRateLimited:
			if pe.Class == providers.ClassRateLimited {
				e.prog.rateLimited.Add(1)
				e.pacer.slowDown(time.Now(), pe.RetryAfter)
			}
			if attempt >= e.opts.MaxAttempts {
				out.Status = status.Failed
				out.Error = fmt.Sprintf("gave up after %d attempts: %s", attempt, out.Error)
				e.final(j, out)
				return left
			}
			// Not in flight any more: a crash during the backoff leaves the row ready, not unknown.
			out.Status = status.Ready
			e.journal.Record(out)
			e.prog.retries.Add(1)
			if !e.sleep(backoff(attempt, e.opts.BackoffBase, e.opts.BackoffMax, pe.RetryAfter)) {
				return left
			}
		case providers.ClassPermanent:
			out.Status = status.Failed
			e.final(j, out)
			return left
		case providers.ClassFatal:
			// Not the row's fault: it stays ready, so a resume after the fix sends it.
			out.Status = status.Ready
			e.journal.Record(out)
			e.Stop(fmt.Sprintf("%s answered %s (%s): fix the account or template, then run the same command again",
				e.info.Profile, pe.Code, out.Error))
			return left
		default:
			out.Status = status.Unknown
			if e.sendCtx.Err() != nil {
				out.Code, out.Error = status.CodeInterrupted, "herald stopped while the request was in flight: it may have been sent; not resent unless --resend-unknown"
			}
			e.final(j, out)
			return left
		}
	}
}

// heldAtSlot asks the guard again when the row's slot has come, before its request leaves: a row handed out
// just before its send window closed (it may wait in the queue and on the limiter for seconds, or in a
// backoff for longer) is deferred again rather than sent outside the window. It reports whether the row was held.
func (e *Engine) heldAtSlot(j job, attempt int) bool {
	if e.opts.Guard == nil {
		return false
	}
	h := e.opts.Guard.Hold(j.number, e.opts.Clock.Now())
	if h == nil {
		return false
	}
	j.attempts = attempt - 1
	e.hold(j, h, false)
	e.nudge()
	return true
}

// acquire waits until the run is live and the limiter's next slot has come, and returns the slot; false once
// the run stops. A slot that came while the run was paused is dropped and a fresh one awaited after the resume,
// so that a pause never turns into a burst of every worker at once.
func (e *Engine) acquire() (time.Time, bool) {
	for {
		if !e.gate() {
			return time.Time{}, false
		}
		r := e.limiter.Reserve()
		slot := time.Now().Add(r.Delay())
		if !e.sleep(time.Until(slot)) {
			r.Cancel()
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
func (e *Engine) final(j job, o store.Outcome) {
	o.At = time.Now()
	e.journal.Record(o)
	e.prog.remaining.Add(-1)
	failed := true
	switch o.Status {
	case status.Sent:
		e.prog.sent.Add(1)
		failed = false
	case status.Unknown:
		e.prog.unknown.Add(1)
	default:
		e.prog.failed.Add(1)
	}
	if failed {
		e.prog.failure(Failure{At: o.At, Row: j.row, Number: j.number, Status: o.Status, Code: o.Code, Reason: o.Error})
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
	return e.refBase + "-" + strconv.FormatInt(int64(row), 36) + "-" + strconv.Itoa(attempt)
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
