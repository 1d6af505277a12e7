package engine

import (
	"fmt"
	"herald/campaign/human"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer slows the whole campaign down when the provider says it is too fast, and brings it back up while the
// provider stays quiet: the limiter is halved at most once per second of rate-limit answers, then recovers by a
// tenth of the configured rate each second without one.
type pacer struct {
	limiter    *rate.Limiter
	configured float64
	prog       *progress

	mu        sync.Mutex
	current   float64
	lastSlow  time.Time
	quietFrom time.Time
}

func newPacer(l *rate.Limiter, configured float64, prog *progress) *pacer {
	return &pacer{limiter: l, configured: configured, current: configured, prog: prog}
}

// slowDown halves the pace (once per second, or per Retry-After when longer).
func (p *pacer) slowDown(now time.Time, retryAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quietFrom = now.Add(max(retryAfter, time.Second))
	if now.Sub(p.lastSlow) < max(retryAfter, time.Second) {
		return
	}
	p.lastSlow = now
	cur := p.current
	if math.IsInf(cur, 1) {
		// Unlimited: halve what is actually being achieved (at least 10/s before anything is measured).
		s := p.prog.snapshot(now)
		cur = math.Max(10, s.Rate)
	}
	next := math.Max(cur/2, 0.5)
	p.current = next
	p.limiter.SetLimit(rate.Limit(next))
	p.limiter.SetBurst(Burst(next))
	p.prog.setTarget(next)
	p.prog.event(EventSlowed, fmt.Sprintf("the provider answered rate-limited: pace lowered to %.1f/s", next))
}

// recover raises the pace back towards the configured rate once the provider has been quiet for a second.
func (p *pacer) recover(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current == p.configured || now.Before(p.quietFrom) {
		return
	}
	next := p.current + p.configured/10
	if math.IsInf(p.configured, 1) {
		// Unlimited: double each quiet second; past 10,000/s the limiter is lifted again.
		next = p.current * 2
		if next > 10000 {
			next = p.configured
		}
	}
	if next >= p.configured {
		next = p.configured
	}
	p.current = next
	p.limiter.SetLimit(rate.Limit(next))
	p.limiter.SetBurst(Burst(next))
	p.prog.setTarget(next)
	if next == p.configured {
		p.prog.event(EventRecover, "pace back to "+human.Rate(next))
	}
}
