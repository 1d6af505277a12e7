package engine

import (
	"fmt"
	"herald/campaign/human"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

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

// health decides auto-pauses: 20 failures in a row, or more than half of the last 100 outcomes failed.
type health struct {
	mu          sync.Mutex
	consecutive int
	window      [pauseWindow]bool
	n, next     int
	failed      int
}

const (
	pauseAfterConsecutive = 20
	pauseWindow           = 100
)

func newHealth() *health { return &health{} }

// note adds one outcome and returns the reason to pause, or "".
func (h *health) note(failed bool) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == pauseWindow && h.window[h.next] {
		h.failed--
	}
	h.window[h.next] = failed
	h.next = (h.next + 1) % pauseWindow
	h.n = min(h.n+1, pauseWindow)
	if failed {
		h.failed++
		h.consecutive++
	} else {
		h.consecutive = 0
	}
	switch {
	case h.consecutive >= pauseAfterConsecutive:
		c := h.consecutive
		h.resetLocked()
		return fmt.Sprintf("%d failures in a row", c)
	case h.n == pauseWindow && h.failed*2 > pauseWindow:
		f := h.failed
		h.resetLocked()
		return fmt.Sprintf("%d of the last %d messages failed", f, pauseWindow)
	}
	return ""
}

func (h *health) reset() {
	h.mu.Lock()
	h.resetLocked()
	h.mu.Unlock()
}

func (h *health) resetLocked() {
	h.consecutive, h.n, h.next, h.failed = 0, 0, 0, 0
	h.window = [pauseWindow]bool{}
}

// latencyEWMA is a moving average of request latency, written by workers and read by the sizing tick.
type latencyEWMA struct{ ns atomic.Int64 }

func (l *latencyEWMA) observe(d time.Duration) {
	for {
		old := l.ns.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/16
		}
		if l.ns.CompareAndSwap(old, next) {
			return
		}
	}
}

func (l *latencyEWMA) get() time.Duration { return time.Duration(l.ns.Load()) }
