package engine

import (
	"math"
	"sync/atomic"
	"time"
)

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

// grow starts workers until there are n (at most maxConcurrency).
func (e *Engine) grow(n int) {
	n = min(n, maxConcurrency)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fed || e.stopped {
		return
	}
	for e.nWorker < n {
		e.nWorker++
		e.workers.Add(1)
		go e.work()
	}
	e.prog.concurrency.Store(int64(e.nWorker))
}

func (e *Engine) initialConcurrency() int {
	if e.opts.Concurrency > 0 {
		return e.opts.Concurrency
	}
	return sizeConcurrency(e.opts.Rate, assumedLatency)
}

// sizeConcurrency is rate x latency x 1.5, between minConcurrency and maxConcurrency (Little's law with room).
func sizeConcurrency(r float64, latency time.Duration) int {
	if math.IsInf(r, 1) {
		return 64
	}
	n := int(math.Ceil(r * latency.Seconds() * 1.5))
	return min(max(n, minConcurrency), maxConcurrency)
}
