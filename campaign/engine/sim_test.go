package engine

import (
	"context"
	"math"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
)

// The tests in this file run the engine in a testing/synctest bubble: time is virtual, so pacing is measured
// exactly, a long run takes no wall time, and nothing sleeps to wait for another goroutine. The provider is a
// simulation (simProvider) recording when each request arrived, in virtual time.

// simCampaign stores n ready rows (every name cell "Ann") in a new state store and returns it with the campaign
// and its binding.
func simCampaign(t *testing.T, n int) (*store.Store, store.CampaignInfo, *template.Binding) {
	t.Helper()
	return simRows(t, n, func(int) string { return "Ann" })
}

// simProvider answers every request after latency, optionally limiting accepted requests to a token bucket
// (limit per second, burst) like a provider's rate limit, with Retry-After as herald's sandbox gives it.
type simProvider struct {
	latency time.Duration
	limiter *rate.Limiter
	// before, when set, runs at each request before it is answered.
	before func(msg providers.Message)

	mu       sync.Mutex
	accepted []time.Time
	limited  int
}

func (p *simProvider) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	if p.before != nil {
		p.before(msg)
	}
	now := time.Now()
	ok := p.limiter == nil || p.limiter.AllowN(now, 1)
	var retryAfter time.Duration
	if !ok {
		r := p.limiter.ReserveN(now, 1)
		retryAfter = time.Duration(math.Ceil(max(r.DelayFrom(now).Seconds(), 1))) * time.Second
		r.CancelAt(now)
	}
	p.mu.Lock()
	if ok {
		p.accepted = append(p.accepted, now)
	} else {
		p.limited++
	}
	p.mu.Unlock()
	select {
	case <-time.After(p.latency):
	case <-ctx.Done():
		return providers.Receipt{}, &providers.Error{Class: providers.ClassUnknown, Code: "timeout", Err: ctx.Err()}
	}
	if !ok {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassRateLimited, Code: "429", HTTPStatus: 429,
			RetryAfter: retryAfter, Message: "too many requests"}
	}
	return providers.Receipt{MessageID: "wamid." + msg.To}, nil
}

func (p *simProvider) Close() error { return nil }

// times returns the accepted requests' arrival times, in order.
func (p *simProvider) times() []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]time.Time(nil), p.accepted...)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// pace is the achieved rate from the first arrival to the last, and the most arrivals in any sliding
// 1-second window.
func pace(times []time.Time) (achieved float64, busiest int) {
	if len(times) < 2 {
		return 0, len(times)
	}
	achieved = float64(len(times)-1) / times[len(times)-1].Sub(times[0]).Seconds()
	j := 0
	for i := range times {
		for times[i].Sub(times[j]) >= time.Second {
			j++
		}
		busiest = max(busiest, i-j+1)
	}
	return achieved, busiest
}

// simOptions are engine options for simulations: short backoffs, stop on an auto-pause.
func simOptions(r float64, concurrency int) Options {
	return Options{Rate: r, Concurrency: concurrency, BackoffBase: 10 * time.Millisecond,
		BackoffMax: 100 * time.Millisecond, StopOnPause: true}
}
