package engine

import (
	"herald/campaign/status"
	"math"
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
	// Suppressed counts rows a guard kept from being sent when their time came (the frequency cap).
	Suppressed int64
	// Waiting counts the rows deferred to a later time (send window, messaging limit); they are part of
	// Remaining. WaitingUntil is when the next waiting row may go, and WaitingFor its code (status.CodeSendWindow
	// or status.CodeMessagingLimit); zero and "" when nothing waits.
	Waiting      int64
	WaitingUntil time.Time
	WaitingFor   string
	// Rate is the sent messages per second over the last few seconds; TargetRate the pace now allowed
	// (below ConfiguredRate after a slow-down).
	Rate           float64
	TargetRate     float64
	ConfiguredRate float64
	Concurrency    int
	Started        time.Time
	Elapsed        time.Duration
	// ETA is the estimated time left, 0 when unknown.
	ETA time.Duration
	// Failures are the most recent failures, newest first; Events the lifecycle events, newest first.
	Failures []Failure
	Events   []Event
}

// Done is the number of rows with a final outcome in this run.
func (s Snapshot) Done() int64 { return s.Sent + s.Failed + s.Unknown + s.Suppressed }

const (
	failureRing = 200
	eventRing   = 200
	rateWindow  = 5 // seconds of history for the rolling rate
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
	waiting     atomic.Int64
	concurrency atomic.Int64
	targetRate  atomic.Uint64 // float64 bits
	configured  float64
	started     time.Time

	mu       sync.Mutex
	state    string
	reason   string
	failures []Failure // ring
	fNext    int
	events   []Event // ring
	eNext    int
	// sentAt samples (time, sent) once a second for the rolling rate.
	samples []rateSample
	// waitUntil and waitFor say when the next waiting row may go, and why it waits.
	waitUntil time.Time
	waitFor   string
}

type rateSample struct {
	at   time.Time
	sent int64
}

func newProgress(campaign string, configured float64, now time.Time) *progress {
	p := &progress{campaign: campaign, configured: configured, started: now, state: status.Running}
	p.setTarget(configured)
	return p
}

func (p *progress) setTarget(r float64) { p.targetRate.Store(math.Float64bits(r)) }

func (p *progress) setState(state, reason string) {
	p.mu.Lock()
	p.state, p.reason = state, reason
	p.mu.Unlock()
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
	if len(p.failures) < failureRing {
		p.failures = append(p.failures, f)
	} else {
		p.failures[p.fNext] = f
	}
	p.fNext = (p.fNext + 1) % failureRing
}

// sample records the sent count for the rolling rate; the engine calls it once a second.
func (p *progress) sample(now time.Time) {
	s := rateSample{at: now, sent: p.sent.Load()}
	p.mu.Lock()
	p.samples = append(p.samples, s)
	if len(p.samples) > rateWindow+1 {
		p.samples = p.samples[len(p.samples)-rateWindow-1:]
	}
	p.mu.Unlock()
}

// snapshot copies the progress.
func (p *progress) snapshot(now time.Time) Snapshot {
	s := Snapshot{
		Campaign: p.campaign, Total: p.total.Load(), Remaining: p.remaining.Load(), Sent: p.sent.Load(),
		Failed: p.failed.Load(), Unknown: p.unknown.Load(), InFlight: p.inFlight.Load(),
		Retries: p.retries.Load(), RateLimited: p.rateLimited.Load(), Concurrency: int(p.concurrency.Load()),
		Suppressed: p.suppressed.Load(), Waiting: p.waiting.Load(),
		TargetRate: math.Float64frombits(p.targetRate.Load()), ConfiguredRate: p.configured,
		Started: p.started, Elapsed: now.Sub(p.started),
	}
	p.mu.Lock()
	s.State, s.Reason = p.state, p.reason
	if s.Waiting > 0 || p.waitFor == status.CodeMessagingLimit {
		s.WaitingUntil, s.WaitingFor = p.waitUntil, p.waitFor
	}
	s.Failures = newestFirst(p.failures, p.fNext)
	s.Events = newestFirst(p.events, p.eNext)
	if n := len(p.samples); n >= 2 {
		first, last := p.samples[0], p.samples[n-1]
		if d := last.at.Sub(first.at).Seconds(); d > 0 {
			s.Rate = float64(last.sent-first.sent) / d
		}
	}
	p.mu.Unlock()
	if s.Rate == 0 && s.Elapsed > time.Second {
		s.Rate = float64(s.Sent) / s.Elapsed.Seconds()
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

// newestFirst copies a ring whose next write position is next, newest element first.
func newestFirst[T any](ring []T, next int) []T {
	out := make([]T, 0, len(ring))
	for i := 1; i <= len(ring); i++ {
		out = append(out, ring[(next-i+len(ring))%len(ring)])
	}
	return out
}
