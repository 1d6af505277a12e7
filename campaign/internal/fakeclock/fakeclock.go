// Package fakeclock is a guards.Clock for tests: its time moves only when the test sets it, and it tells the
// test each time someone starts waiting on it, so a test of "sent when the window opens, not before" needs no
// sleep.
package fakeclock

import (
	"sync"
	"time"
)

// Clock is a fake clock. Safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	waits   chan time.Time
}

// waiter is one After call not yet due.
type waiter struct {
	at time.Time
	ch chan time.Time
}

// New returns a clock set at now.
func New(now time.Time) *Clock {
	return &Clock{now: now, waits: make(chan time.Time, 1<<14)}
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After delivers the clock's time once it has been set d or more past now (at once when d <= 0), and reports
// the deadline on Waits.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	at := c.now.Add(d)
	if d <= 0 {
		ch <- c.now
	} else {
		c.waiters = append(c.waiters, waiter{at: at, ch: ch})
	}
	select {
	case c.waits <- at:
	default: // nobody reads them: drop
	}
	return ch
}

// Waits delivers the deadline of every After call, in order.
func (c *Clock) Waits() <-chan time.Time { return c.waits }

// Set moves the clock to t (never backwards) and fires every waiter whose deadline has come.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}
