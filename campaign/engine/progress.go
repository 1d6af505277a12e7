package engine

import (
	"cmp"
	"herald/campaign/status"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Event kinds.
const (
	EventStarted  = "started"
	EventSlowed   = "slowed"
	EventRecover  = "recovered"
	EventPaused   = "paused"
	EventResumed  = "resumed"
	EventStopped  = "stopped"
	EventFinished = "finished"
	EventWarning  = "warning"
)

// Event is one lifecycle event of a run: started, slowed, paused (and why), resumed, stopped (and why), finished.
type Event struct {
	At     time.Time
	Kind   string
	Detail string
}

// Failure is one row that failed (or whose outcome is unknown), for the failures pane.
type Failure struct {
	At     time.Time
	Row    int
	Number string
	Status string
	Code   string
	Reason string
}

// FailureGroup is every failure of this run with one code, for a failures pane grouped by cause.
type FailureGroup struct {
	// Code is the provider's or herald's code ("" when none was given); Status is failed or unknown.
	Code, Status string
	Count        int64
	// Reason is the sentence of the group's latest failure (the provider's words, or herald's).
	Reason string
	// Latest is the time of the group's latest failure.
	Latest time.Time
}

// RatePoint is one second of a run's pace, for a sparkline: the messages sent in that second and the pace
// allowed then.
type RatePoint struct {
	Sent   float64
	Target float64
	// Paused is set for a second the run spent paused.
	Paused bool
}

// Snapshot is a consistent-enough copy of a run's progress, cheap to take on a ~100 ms tick.
type Snapshot struct {
	Campaign string
	State    string
	// Reason says why the run is paused or stopped.
	Reason string
	// Total is the rows this run set out to send; Remaining those not yet finished (not counting in flight).
	Total     int64
	Remaining int64
	Sent      int64
	Failed    int64
	Unknown   int64
	InFlight  int64
	Retries   int64
	// RateLimited counts rate-limit answers.
	RateLimited int64
	// Suppressed counts rows a guard kept from being sent when their time came (the frequency cap, or a session
	// message's 24-hour window: such a row is skipped).
	Suppressed int64
	// Scheduled counts the sent rows the provider holds until their send window opens (part of Sent).
	Scheduled int64
	// Waiting counts the rows deferred to a later time (send window, messaging limit); they are part of
	// Remaining. WaitingUntil is when the next waiting row may go, and WaitingFor its code (status.CodeSendWindow
	// or status.CodeMessagingLimit); zero and "" when nothing waits.
	Waiting      int64
	WaitingUntil time.Time
	WaitingFor   string
	// Batched counts the recipients of requests held back by the rate: a request of many recipients (a batch)
	// leaves once the rate allows every one of them, so at a low rate it may wait many seconds with nothing in
	// flight. BatchedUntil is when the last of those requests leaves. Zero when no request waits over a second.
	Batched      int64
	BatchedUntil time.Time
	// Rate is the sent messages per second over the last few seconds; TargetRate the pace now allowed
	// (below ConfiguredRate after a slow-down).
	Rate           float64
	TargetRate     float64
	ConfiguredRate float64
	Concurrency    int
	Started        time.Time
	Elapsed        time.Duration
	// Paused is the part of Elapsed the run spent paused; Rate and ETA leave it out.
	Paused time.Duration
	// ETA is the estimated time left, 0 when unknown.
	ETA time.Duration
	// Failures are the most recent failures, newest first; Events the lifecycle events, newest first.
	Failures []Failure
	Events   []Event
	// FailureGroups are all of this run's failures by code, the largest group first.
	FailureGroups []FailureGroup
	// History is the pace of the last minutes, one point a second, oldest first.
	History []RatePoint
}

// Done is the number of rows with a final outcome in this run.
func (s Snapshot) Done() int64 { return s.Sent + s.Failed + s.Unknown + s.Suppressed }

const (
	failureRing = 200
	eventRing   = 200
	rateWindow  = 5 // seconds of history for the rolling rate
	// historyLen is how many seconds of pace Snapshot.History keeps.
	historyLen = 300
)

// progress holds a run's counters (atomics, written by workers) and its rings of failures and events (under a
// mutex, written rarely).
type progress struct {
	campaign    string
	total       atomic.Int64
	remaining   atomic.Int64
	sent        atomic.Int64
	failed      atomic.Int64
	unknown     atomic.Int64
	inFlight    atomic.Int64
	retries     atomic.Int64
	rateLimited atomic.Int64
	suppressed  atomic.Int64
	scheduled   atomic.Int64
	waiting     atomic.Int64
	concurrency atomic.Int64
	targetRate  atomic.Uint64 // float64 bits
	configured  float64
	started     time.Time

	// now is the clock (time.Now; tests give their own).
	now func() time.Time

	mu       sync.Mutex
	state    string
	reason   string
	failures []Failure // ring
	fNext    int
	groups   map[groupKey]*FailureGroup
	events   []Event // ring
	eNext    int
	// samples are (time, sent) once a second for the rolling rate, since the last resume.
	samples []rateSample
	// history is the pace per second (ring); lastSample the sample it was computed from.
	history    []RatePoint
	hNext      int
	lastSample rateSample
	// pausedFor is the time spent in pauses that ended; pausedAt the start of the current one (zero when running).
	pausedFor time.Duration
	pausedAt  time.Time
	// waitUntil and waitFor say when the next waiting row may go, and why it waits.
	waitUntil time.Time
	waitFor   string
	// batched and batchedUntil are Snapshot's Batched and BatchedUntil.
	batched      int64
	batchedUntil time.Time
}

// holdBatch counts n recipients of a request that waits for the rate until until.
func (p *progress) holdBatch(n int, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.batched += int64(n)
	if until.After(p.batchedUntil) {
		p.batchedUntil = until
	}
}

// releaseBatch counts out the n recipients holdBatch counted, once their request leaves or the run stops.
func (p *progress) releaseBatch(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.batched -= int64(n)
	if p.batched <= 0 {
		p.batched, p.batchedUntil = 0, time.Time{}
	}
}

// groupKey identifies a failure group.
type groupKey struct{ code, status string }

type rateSample struct {
	at   time.Time
	sent int64
}

func newProgress(campaign string, configured float64, now time.Time) *progress {
	p := &progress{campaign: campaign, configured: configured, started: now, state: status.Running, now: time.Now,
		groups: map[groupKey]*FailureGroup{}, lastSample: rateSample{at: now}}
	p.setTarget(configured)
	return p
}

func (p *progress) setTarget(r float64) { p.targetRate.Store(math.Float64bits(r)) }

// setState records the run's state. Entering and leaving a pause is timed, so that the pace and the time left
// leave paused time out; the rolling rate starts afresh after a pause.
func (p *progress) setState(state, reason string) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case state == status.Paused && p.pausedAt.IsZero():
		p.pausedAt = now
	case state != status.Paused && !p.pausedAt.IsZero():
		p.pausedFor += now.Sub(p.pausedAt)
		p.pausedAt = time.Time{}
		p.samples = p.samples[:0]
	}
	p.state, p.reason = state, reason
}

// setWait records when the next waiting row may go and why (zero time: nothing waits).
func (p *progress) setWait(at time.Time, code string) {
	p.mu.Lock()
	p.waitUntil, p.waitFor = at, code
	p.mu.Unlock()
}

func (p *progress) getState() (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state, p.reason
}

func (p *progress) event(kind, detail string) {
	e := Event{At: time.Now(), Kind: kind, Detail: detail}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.events) < eventRing {
		p.events = append(p.events, e)
	} else {
		p.events[p.eNext] = e
	}
	p.eNext = (p.eNext + 1) % eventRing
}

func (p *progress) failure(f Failure) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := groupKey{f.Code, f.Status}
	g := p.groups[k]
	if g == nil {
		g = &FailureGroup{Code: f.Code, Status: f.Status}
		p.groups[k] = g
	}
	g.Count++
	g.Reason, g.Latest = f.Reason, f.At
	if len(p.failures) < failureRing {
		p.failures = append(p.failures, f)
	} else {
		p.failures[p.fNext] = f
	}
	p.fNext = (p.fNext + 1) % failureRing
}

// sample records the sent count for the rolling rate and the pace history; the engine calls it once a second.
// While paused it adds to the history only.
func (p *progress) sample(now time.Time) {
	s := rateSample{at: now, sent: p.sent.Load()}
	target := math.Float64frombits(p.targetRate.Load())
	p.mu.Lock()
	defer p.mu.Unlock()
	paused := !p.pausedAt.IsZero()
	if d := now.Sub(p.lastSample.at).Seconds(); d > 0 {
		pt := RatePoint{Sent: float64(s.sent-p.lastSample.sent) / d, Target: target, Paused: paused}
		if len(p.history) < historyLen {
			p.history = append(p.history, pt)
		} else {
			p.history[p.hNext] = pt
		}
		p.hNext = (p.hNext + 1) % historyLen
	}
	p.lastSample = s
	if paused {
		return
	}
	p.samples = append(p.samples, s)
	if len(p.samples) > rateWindow+1 {
		p.samples = p.samples[len(p.samples)-rateWindow-1:]
	}
}

// snapshot copies the progress.
func (p *progress) snapshot(now time.Time) Snapshot {
	s := Snapshot{
		Campaign: p.campaign, Total: p.total.Load(), Remaining: p.remaining.Load(), Sent: p.sent.Load(),
		Failed: p.failed.Load(), Unknown: p.unknown.Load(), InFlight: p.inFlight.Load(),
		Retries: p.retries.Load(), RateLimited: p.rateLimited.Load(), Concurrency: int(p.concurrency.Load()),
		Suppressed: p.suppressed.Load(), Scheduled: p.scheduled.Load(), Waiting: p.waiting.Load(),
		TargetRate: math.Float64frombits(p.targetRate.Load()), ConfiguredRate: p.configured,
		Started: p.started, Elapsed: now.Sub(p.started),
	}
	p.mu.Lock()
	s.State, s.Reason = p.state, p.reason
	s.Batched, s.BatchedUntil = p.batched, p.batchedUntil
	if s.Waiting > 0 || p.waitFor == status.CodeMessagingLimit {
		s.WaitingUntil, s.WaitingFor = p.waitUntil, p.waitFor
	}
	s.Failures = newestFirst(p.failures, p.fNext)
	s.Events = newestFirst(p.events, p.eNext)
	s.FailureGroups = p.failureGroups()
	s.History = slices.Clone(p.history)
	if len(p.history) == historyLen { // a full ring: oldest first
		s.History = append(s.History[:0], p.history[p.hNext:]...)
		s.History = append(s.History, p.history[:p.hNext]...)
	}
	s.Paused = p.pausedFor
	if !p.pausedAt.IsZero() {
		s.Paused += now.Sub(p.pausedAt)
	}
	if n := len(p.samples); n >= 2 {
		first, last := p.samples[0], p.samples[n-1]
		if d := last.at.Sub(first.at).Seconds(); d > 0 {
			s.Rate = float64(last.sent-first.sent) / d
		}
	}
	p.mu.Unlock()
	if active := s.Elapsed - s.Paused; s.Rate == 0 && active > time.Second {
		s.Rate = float64(s.Sent) / active.Seconds()
	}
	pace := s.Rate
	if pace <= 0 || (s.TargetRate > 0 && s.TargetRate < pace) {
		pace = s.TargetRate
	}
	if left := s.Remaining - s.Waiting + s.InFlight; pace > 0 && left > 0 && s.State == status.Running {
		s.ETA = time.Duration(float64(left) / pace * float64(time.Second))
	}
	return s
}

// failureGroups lists the failure groups, the largest first (ties: the latest first, then by code). p.mu is held.
func (p *progress) failureGroups() []FailureGroup {
	out := make([]FailureGroup, 0, len(p.groups))
	for _, g := range p.groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b FailureGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Latest.Compare(a.Latest), cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Status, b.Status))
	})
	return out
}

// newestFirst copies a ring whose next write position is next, newest element first.
func newestFirst[T any](ring []T, next int) []T {
	out := make([]T, 0, len(ring))
	for i := 1; i <= len(ring); i++ {
		out = append(out, ring[(next-i+len(ring))%len(ring)])
	}
	return out
}
