package engine

import (
	"time"

	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/campaign/store"
)

// Scheduling at the provider. With Options.Schedule and a provider that takes a send time
// (providers.Scheduler: Huawei CEC's sendAt), a row the send window holds back is not deferred: the feeder hands
// it to the workers at once with the time its window opens, and the provider sends it then, so the run need not
// stay open until every window has opened. The slot check before the request leaves (heldAtSlot) recomputes the
// time: a row whose window opened meanwhile goes without one, a row whose window closed meanwhile gets one.
// Such a row is recorded sent, with code scheduled, the time in result_error and its sent_at set to that time.
//
// The other guards still apply. The frequency cap suppresses as before. The messaging limit: a scheduled row
// takes its place when it is handed over (Reserve at now, which counts every place held now or later) and
// holds it until 24 hours after its send time (Sent at that time), so no 24 hours ever see more distinct numbers
// than the limit; the place is only counted early, between the hand-over and the send time. A row that finds no
// place waits at the feeder for one, as a row sent at once does.

// schedules reports whether the row held back by h may go to the provider with h's time instead: a deferral for
// the send window, with a provider that schedules.
func (e *Engine) schedules(h *guards.Hold) bool {
	return e.sched != nil && h.Status == status.Deferred && h.Code == status.CodeSendWindow && !h.NotBefore.IsZero()
}

// schedule sets the row to go at h's time.
func (r *jobRow) schedule(h *guards.Hold) { r.sendAt, r.why = h.NotBefore, h.Reason }

// sentOutcome is the outcome of the row once the provider took it: sent, and for a scheduled row its send time,
// code scheduled and a sentence saying when it goes and why.
func (r *jobRow) sentOutcome(messageID string) store.Outcome {
	o := store.Outcome{Row: r.row, Status: status.Sent, MessageID: messageID, Attempts: r.attempts}
	if !r.sendAt.IsZero() {
		why := r.why // the send window's sentence, with the time the row goes
		if why == "" {
			why = "it goes at " + r.sendAt.UTC().Format(time.RFC3339)
		}
		o.NotBefore, o.Code, o.Error = r.sendAt, status.CodeScheduled, "handed to the provider to send later: "+why
	}
	return o
}
