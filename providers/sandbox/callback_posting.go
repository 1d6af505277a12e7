package sandbox

import (
	"bytes"
	"container/heap"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"herald/providers"
)

// post is one callback to post.
type post struct {
	due       time.Time
	target    CallbackTarget
	body      []byte
	forged    bool
	duplicate bool
	attempt   int
}

// postQueue orders posts by due time (container/heap).
type postQueue []*post

// Len implements heap.Interface.
func (q postQueue) Len() int { return len(q) }

// Less orders posts by due time.
func (q postQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }

// Swap implements heap.Interface.
func (q postQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

// Push implements heap.Interface.
func (q *postQueue) Push(x any) { *q = append(*q, x.(*post)) }

// Pop implements heap.Interface.
func (q *postQueue) Pop() any {
	old := *q
	p := old[len(old)-1]
	*q = old[:len(old)-1]
	return p
}

// start runs the scheduler and the posting workers.
func (c *callbacks) start() {
	c.wg.Add(1 + c.o.Workers)
	go c.schedule()
	for i := 0; i < c.o.Workers; i++ {
		go c.worker()
	}
}

// poke wakes the scheduler.
func (c *callbacks) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// schedule hands each post to a worker when it is due.
func (c *callbacks) schedule() {
	defer c.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		c.mu.Lock()
		var next *post
		wait := time.Hour
		if len(c.queue) > 0 {
			if wait = time.Until(c.queue[0].due); wait <= 0 {
				next = heap.Pop(&c.queue).(*post)
			}
		}
		c.mu.Unlock()
		if next != nil {
			select {
			case c.work <- next:
			case <-c.ctx.Done():
				return
			}
			continue
		}
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-c.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// worker posts callbacks; a failed one is scheduled again with a doubled wait, until Retries.
func (c *callbacks) worker() {
	defer c.wg.Done()
	for {
		select {
		case p := <-c.work:
			c.deliver(p)
		case <-c.ctx.Done():
			return
		}
	}
}

// deliver posts p once and counts the result.
func (c *callbacks) deliver(p *post) {
	status := c.send(p)
	ok := status >= 200 && status < 300
	switch {
	case p.forged:
		c.forged.Add(1)
		if status == http.StatusUnauthorized {
			c.refused.Add(1)
		} else if ok {
			c.forgedTaken.Add(1)
		}
	case ok:
		c.posted.Add(1)
		if p.duplicate {
			c.duplicates.Add(1)
		}
	case p.attempt < c.o.Retries && c.ctx.Err() == nil:
		c.retried.Add(1)
		p.attempt++
		p.due = time.Now().Add(c.o.RetryBase << min(p.attempt-1, 10))
		c.mu.Lock()
		heap.Push(&c.queue, p)
		c.mu.Unlock()
		c.poke()
		return
	default:
		c.gaveUp.Add(1)
	}
	c.done()
}

// send posts one callback and returns the HTTP status, 0 when no answer came.
func (c *callbacks) send(p *post) int {
	url := p.target.URL
	if p.target.Token != "" {
		sep := "?"
		if bytes.ContainsRune([]byte(url), '?') {
			sep = "&"
		}
		url += sep + "token=" + p.target.Token.Reveal()
	}
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, url, bytes.NewReader(p.body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	if p.target.Secret != "" {
		req.Header.Set(providers.SignatureHeader, providers.SignBody(p.target.Secret, p.body))
	}
	resp, err := c.o.Client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode
}

// done counts one callback finished (posted, refused or given up).
func (c *callbacks) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending--; c.pending == 0 {
		close(c.idle)
	}
}

// drain waits until every scheduled callback is finished, or ctx ends.
func (c *callbacks) drain(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("sandbox callbacks: %d still to post: %w", c.pendingCount(), ctx.Err())
	}
}

// pendingCount is how many callbacks are not finished.
func (c *callbacks) pendingCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending
}

// stop ends the scheduler and the workers; callbacks not yet posted are dropped.
func (c *callbacks) stop() {
	if c == nil {
		return
	}
	c.cancel()
	c.wg.Wait()
}
