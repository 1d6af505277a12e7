package engine

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"herald/campaign/human"
)

// The pacer's learning constants.
const (
	// settleShare is how far under the learned rate the campaign settles: 95% of what the provider accepts.
	settleShare = 0.95
	// reactEvery is the shortest time between two adjustments: each measures the rate the provider accepted
	// since the one before.
	reactEvery = 250 * time.Millisecond
	// minAnswers is how many answers a measurement needs to be trusted; with fewer the pace is halved.
	minAnswers = 8
	// probeAfter is how long the provider must stay quiet at the settled pace before the pacer tries 5% more,
	// in case the provider's limit was raised.
	probeAfter = 30 * time.Second
	probeStep  = 1.05
	// minPace is the slowest the pacer ever goes, in messages per second.
	minPace = 0.5
)

// pacer learns the rate the provider accepts from its rate-limit answers and keeps the campaign just under it.
// When an answer says "too fast", it measures how many answers the provider gave (other than rate-limit ones)
// per second since its last adjustment: that is the rate the provider accepts, its ceiling. The limiter is then
// set to 95% of the ceiling, at once for the whole campaign. While the provider stays quiet the pace stays
// there; after probeAfter of quiet it tries 5% more, and a new rate-limit answer teaches the ceiling again. So
// a provider limiting to 50/s under --rate 200 gets about 47.5/s with rate-limit answers only at the start
// and, rarely, at a probe. It never goes above the configured rate.
type pacer struct {
	limiter    *rate.Limiter
	configured float64
	prog       *progress
	// answered counts the provider's answers that were not rate-limit answers, written by every worker.
	answered atomic.Int64

	mu      sync.Mutex
	current float64
	// ceiling is the learned rate the provider accepts (+Inf until a rate-limit answer teaches it).
	ceiling float64
	// mark and markAnswered start the current measurement.
	mark         time.Time
	markAnswered int64
	// reacted is set once the pacer has answered a rate-limit answer.
	reacted bool
	// quietFrom is when the provider's last Retry-After ends; lastChange when the pace last changed.
	quietFrom  time.Time
	lastChange time.Time
}

func newPacer(l *rate.Limiter, configured float64, prog *progress, now time.Time) *pacer {
	return &pacer{limiter: l, configured: configured, current: configured, ceiling: math.Inf(1), prog: prog,
		mark: now, lastChange: now}
}

// answer counts n messages the provider answered other than "too fast" (a batch request answers for all its
// rows): the pacer measures the rate it accepts in messages, as the limiter counts them.
func (p *pacer) answer(n int64) { p.answered.Add(n) }

// slowDown learns from a rate-limit answer: it measures the rate the provider accepted since the last
// adjustment and settles just under it.
func (p *pacer) slowDown(now time.Time, retryAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if end := now.Add(max(retryAfter, time.Second)); end.After(p.quietFrom) {
		p.quietFrom = end
	}
	elapsed := now.Sub(p.mark)
	if elapsed < reactEvery && p.reacted {
		return // this measurement is too short: the next rate-limit answer after it decides
	}
	p.reacted = true
	answered := p.answered.Load()
	n := answered - p.markAnswered
	p.mark, p.markAnswered = now, answered
	accepted := float64(n) / elapsed.Seconds()
	if n < minAnswers || math.IsInf(p.current, 1) && n == 0 {
		// Too few answers to measure: halve what is being sent (at least 10/s when unlimited).
		cur := p.current
		if math.IsInf(cur, 1) {
			cur = math.Max(10, p.prog.snapshot(now).Rate)
		}
		accepted = cur / 2 / settleShare
	}
	p.ceiling = math.Max(accepted, minPace/settleShare)
	p.set(now, math.Min(p.ceiling*settleShare, p.configured))
	p.prog.event(EventSlowed, fmt.Sprintf("the provider answered rate-limited: it accepts about %s, pace lowered to %s",
		human.Rate(p.ceiling), human.Rate(p.current)))
}

// recover runs once a second. After a long quiet spell at the settled pace it probes 5% higher (never above
// the configured rate), so a raised provider limit is found; the measurement restarts at each change.
func (p *pacer) recover(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if math.IsInf(p.ceiling, 1) || p.current >= p.configured || now.Before(p.quietFrom) ||
		now.Sub(p.lastChange) < probeAfter {
		return
	}
	p.ceiling *= probeStep
	p.set(now, math.Min(p.ceiling*settleShare, p.configured))
	p.mark, p.markAnswered = now, p.answered.Load()
	if p.current == p.configured {
		p.prog.event(EventRecover, "pace back to "+human.Rate(p.current))
	} else {
		p.prog.event(EventRecover, "no rate-limit answer for a while: trying "+human.Rate(p.current))
	}
}

// restart begins a new measurement, after a pause: the time paused says nothing of the provider's rate.
func (p *pacer) restart(now time.Time) {
	p.mu.Lock()
	p.mark, p.markAnswered = now, p.answered.Load()
	p.mu.Unlock()
}

// set changes the pace (p.mu held).
func (p *pacer) set(now time.Time, next float64) {
	p.current, p.lastChange = next, now
	p.limiter.SetLimitAt(now, limitOf(next))
	p.limiter.SetBurstAt(now, Burst(next))
	p.prog.setTarget(next)
}
