package campaign

import (
	"context"
	"sync/atomic"
	"time"

	"herald/campaign/check"
	"herald/campaign/guards"
	"herald/campaign/results"
	"herald/campaign/status"
)

// PreviewResult is what a preview found: the summary, the first rendered messages and the results CSV's path.
type PreviewResult struct {
	Summary check.Summary
	// Samples are the first ready rows with their rendered messages (with, for a session message, the rows
	// skipped outside the 24-hour window).
	Samples []check.Row
	// OutPath is where the results CSV was written.
	OutPath string
	// Schedule counts when the rows to send go: now, later today, tomorrow, later (deferred by the send window
	// or the messaging limit).
	Schedule *guards.Schedule
	// ScheduledBy names the provider that holds the rows outside their send window until it opens (send hands
	// them over at once); "" when herald waits for their time itself.
	ScheduledBy string
	// Cost estimates the rows to send; nil without --prices.
	Cost *guards.Estimate
}

// Preview checks every row of in and writes the results CSV (status ready, invalid, duplicate, deferred or
// suppressed, with the reason). It never touches the network; it reads the state store, when there is one,
// for the frequency cap and the messaging limit. rows, when not nil, is advanced as rows are checked so a
// screen can show progress. samples is how many rendered ready rows to keep.
func Preview(ctx context.Context, in *Input, samples int, rows *atomic.Int64) (PreviewResult, error) {
	fc := in.Forecast()
	res := PreviewResult{OutPath: in.Plan.OutPath, Schedule: fc.Schedule, Cost: fc.Cost, ScheduledBy: in.scheduler()}
	if err := in.LoadHistory(); err != nil {
		return res, err
	}
	out, err := results.Create(in.Plan.OutPath, in.Recipients.Header(), in.Recipients.Separator())
	if err != nil {
		return res, InputError(err)
	}
	sum, err := in.Checker().Run(ctx, func(r *check.Row) error {
		if rows != nil {
			rows.Add(1)
		}
		fc.Add(r)
		if sample(r) && len(res.Samples) < samples {
			keep := *r
			keep.Fields = append([]string(nil), r.Fields...)
			res.Samples = append(res.Samples, keep)
		}
		return out.Write(r.Fields, resultOf(r))
	})
	res.Summary = sum
	if err != nil {
		out.Abort()
		return res, err
	}
	if err := out.Close(); err != nil {
		return res, err
	}
	return res, nil
}

// sample reports whether a checked row's message is shown as a sample: a ready row's, or a session message's
// row skipped because its number has not written in 24 hours (it goes if they write before its turn).
func sample(r *check.Row) bool {
	return r.Status == status.Ready ||
		(r.Status == status.Skipped && r.Problem != nil && r.Problem.Code == status.CodeOutsideWindow)
}

// Forecast is when a check's rows to send (ready and deferred) go and what they cost: the "When" and the
// "estimated cost" of the preview, headless or on a screen.
type Forecast struct {
	// Schedule counts the rows by when they go: now, later today, tomorrow, later.
	Schedule *guards.Schedule
	// Cost estimates them; nil without --prices.
	Cost *guards.Estimate
	in   *Input
}

// Forecast returns an empty forecast of in's rows from now; Add counts each checked row.
func (in *Input) Forecast() *Forecast {
	return &Forecast{Schedule: guards.NewSchedule(in.now(), time.Local), Cost: in.Estimate(), in: in}
}

// Add counts a checked row when it is to be sent (ready, or deferred to a later time).
func (f *Forecast) Add(r *check.Row) {
	if r.Status != status.Ready && r.Status != status.Deferred {
		return
	}
	f.Schedule.Add(r.NotBefore, 1)
	if f.Cost != nil {
		f.Cost.Add(f.in.Phones.Region(r.Number))
	}
}

// resultOf is a checked row's line in a preview's results CSV.
func resultOf(r *check.Row) results.Result {
	res := results.Result{Number: r.Number, Status: r.Status}
	if r.Problem != nil {
		res.Code, res.Error = r.Problem.Code, r.Problem.Reason
	}
	return res
}
