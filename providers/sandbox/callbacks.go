package sandbox

import (
	"container/heap"
	"context"
	"hash/fnv"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"herald/providers"
)

// CallbackTarget is where the sandbox posts one dialect's callbacks and how it shows they are genuine.
type CallbackTarget struct {
	// URL receives the callbacks (a herald listener's /webhooks/<profile>).
	URL string
	// Secret signs each body (X-Hub-Signature-256), for Meta's format; Token is added as ?token=, for EngageLab's.
	Secret providers.Secret
	Token  providers.Secret
}

// CallbackOptions make the sandbox call back after it accepts a message: delivered (then read for some), a
// later failure 131049 for some, a STOP reply for some, a question for others, in Meta's webhook format (meta, itniotech, huawei and
// innopaas dialects) or EngageLab's status callbacks (engagelab). A dialect without a target gets none.
type CallbackOptions struct {
	Knobs   providers.SandboxCallbacks
	Targets map[string]CallbackTarget
	// Forged is the share of messages that also get a forged callback (read, and a STOP reply) signed with a
	// wrong secret or token: a listener must refuse it.
	Forged float64
	// Retries bounds how often a callback the listener did not take (no 2xx) is posted again (default 8), the
	// waits doubling from RetryBase (default 200 ms), as providers retry.
	Retries   int
	RetryBase time.Duration
	// Workers is how many callbacks are posted at once (default 8).
	Workers int
	// Client posts the callbacks (default: a client with a 10 s timeout).
	Client *http.Client
}

// Fate is what the sandbox decided becomes of an accepted message, so what its genuine callbacks say.
type Fate struct {
	Dialect, MessageID, To string
	// State is delivered, read or failed; Code the failure's code.
	State, Code string
	// Delivered and Read are the times the callbacks report, zero when none.
	Delivered, Read time.Time
	// Reply is the recipient's reply ("" for none), sent at Replied.
	Reply   string
	Replied time.Time
	// Forged is set when forged callbacks were posted about the message too.
	Forged bool
}

// CallbackStats count the callbacks posted.
type CallbackStats struct {
	// Posted counts the genuine callbacks the listener took (2xx), Duplicates among them the repeated ones;
	// Retried the posts repeated after a failure; GaveUp the callbacks abandoned after Retries.
	Posted, Duplicates, Retried, GaveUp int64
	// Forged counts forged callbacks posted; Refused those the listener refused (401), ForgedTaken those it took.
	Forged, Refused, ForgedTaken int64
}

// The failure the sandbox reports afterwards, as Meta words it.
const (
	lateFailureCode  = "131049"
	lateFailureTitle = "This message was not delivered to maintain healthy ecosystem engagement."
	stopReply        = "STOP"
	// questionReply is the reply of the recipients who answer with a question (CallbackOptions' Reply).
	questionReply = "Yes please, can you send me the prices?"
)

// callbacks is the sandbox's callback machinery: the fates decided, and a queue of posts due at given times
// served by a scheduler and a few posting workers, started with the first accepted message.
type callbacks struct {
	s    *Server
	o    CallbackOptions
	once sync.Once

	mu      sync.Mutex // guards queue, pending, idle, fates
	queue   postQueue
	pending int
	idle    chan struct{} // closed while nothing is pending
	fates   []Fate

	wake   chan struct{}
	work   chan *post
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	posted, duplicates, retried, gaveUp, forged, refused, forgedTaken atomic.Int64
}

// newCallbacks prepares the callbacks of s; nothing runs until a message is accepted.
func newCallbacks(s *Server, o CallbackOptions) *callbacks {
	if o.Retries <= 0 {
		o.Retries = 8
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 200 * time.Millisecond
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	o.Knobs = o.Knobs.Knobs()
	c := &callbacks{s: s, o: o, idle: make(chan struct{}), wake: make(chan struct{}, 1), work: make(chan *post)}
	close(c.idle)
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c
}

// enabled reports whether messages of dialect get callbacks.
func (c *callbacks) enabled(dialect string) bool {
	if c == nil || c.o.Knobs.Off {
		return false
	}
	_, ok := c.o.Targets[dialect]
	return ok
}

// accepted decides the fate of a message the sandbox just accepted and schedules its callbacks.
func (c *callbacks) accepted(req Request, messageID string) {
	if !c.enabled(req.Dialect) || messageID == "" {
		return
	}
	c.once.Do(c.start)
	k := c.o.Knobs
	now := time.Now()
	base := now.UTC().Truncate(time.Second)
	s := c.s
	s.mu.Lock()
	failed := s.rng.Float64() < k.Failed
	read := s.rng.Float64() < k.Read
	stop := s.rng.Float64() < k.Stop
	forged := s.rng.Float64() < c.o.Forged
	s.mu.Unlock()
	f := Fate{Dialect: req.Dialect, MessageID: messageID, To: req.To, Forged: forged}
	events := []event{{kind: providers.DeliverySent, at: base}}
	switch {
	case failed:
		f.State, f.Code = providers.DeliveryFailed, lateFailureCode
		events = append(events, event{kind: providers.DeliveryFailed, at: base.Add(time.Second)})
	default:
		f.State, f.Delivered = providers.DeliveryDelivered, base.Add(time.Second)
		events = append(events, event{kind: providers.DeliveryDelivered, at: f.Delivered})
		if read {
			f.State, f.Read = providers.DeliveryRead, base.Add(2*time.Second)
			events = append(events, event{kind: providers.DeliveryRead, at: f.Read})
		}
		switch {
		case stop:
			f.Reply, f.Replied = stopReply, base.Add(3*time.Second)
			events = append(events, event{kind: "reply", at: f.Replied, text: stopReply})
		case share(messageID+":"+req.To) < k.Reply: // one message_id may name many recipients (EngageLab)
			f.Reply, f.Replied = questionReply, base.Add(3*time.Second)
			events = append(events, event{kind: "reply", at: f.Replied, text: questionReply})
		}
	}
	target := c.o.Targets[req.Dialect]
	posts := make([]*post, 0, 2*len(events)+2)
	for i, e := range events {
		body := s.callbackBody(req.Dialect, messageID, req.To, e)
		due := c.due(now, i, len(events))
		posts = append(posts, &post{due: due, target: target, body: body})
		s.mu.Lock()
		dup := s.rng.Float64() < k.Duplicates
		s.mu.Unlock()
		if dup {
			posts = append(posts, &post{due: c.due(now, i, len(events)), target: target, body: body, duplicate: true})
		}
	}
	if forged {
		bad := target
		bad.Secret, bad.Token = "forged-"+target.Secret, "forged-"+target.Token
		for _, e := range []event{{kind: providers.DeliveryRead, at: base.Add(4 * time.Second)},
			{kind: "reply", at: base.Add(5 * time.Second), text: stopReply, id: "forged"}} {
			posts = append(posts, &post{due: c.due(now, 0, 1), target: bad, forged: true,
				body: s.callbackBody(req.Dialect, messageID, req.To, e)})
		}
	}
	c.mu.Lock()
	c.fates = append(c.fates, f)
	if c.pending == 0 {
		c.idle = make(chan struct{})
	}
	c.pending += len(posts)
	for _, p := range posts {
		heap.Push(&c.queue, p)
	}
	c.mu.Unlock()
	c.poke()
}

// share is a number in [0, 1) drawn from the message id, so that choosing who asks a question leaves the
// sandbox's random sequence (and so every other choice of a seeded run) as it was.
func share(messageID string) float64 {
	h := fnv.New64a()
	h.Write([]byte(messageID))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// due is when the i-th of n events of a message is posted: after Delay, plus a random share of Jitter; in
// order unless Shuffle, which makes every order possible (read before delivered, a reply before its message).
func (c *callbacks) due(now time.Time, i, n int) time.Time {
	k := c.o.Knobs
	var r time.Duration
	if k.Jitter > 0 {
		c.s.mu.Lock()
		r = time.Duration(c.s.rng.Int64N(int64(k.Jitter) + 1))
		c.s.mu.Unlock()
	}
	if k.Shuffle || n <= 1 {
		return now.Add(k.Delay + r)
	}
	step := k.Jitter/time.Duration(n) + 20*time.Millisecond
	return now.Add(k.Delay + time.Duration(i)*step + r/time.Duration(n))
}

// DrainCallbacks waits until every callback scheduled so far has been posted (or given up), or ctx ends.
func (s *Server) DrainCallbacks(ctx context.Context) error { return s.callbacks.drain(ctx) }

// Fates returns what the sandbox decided for each message it accepted with callbacks, in acceptance order.
func (s *Server) Fates() []Fate {
	if s.callbacks == nil {
		return nil
	}
	s.callbacks.mu.Lock()
	defer s.callbacks.mu.Unlock()
	return append([]Fate(nil), s.callbacks.fates...)
}

// CallbackStats returns the callback counts so far.
func (s *Server) CallbackStats() CallbackStats {
	c := s.callbacks
	if c == nil {
		return CallbackStats{}
	}
	return CallbackStats{Posted: c.posted.Load(), Duplicates: c.duplicates.Load(), Retried: c.retried.Load(),
		GaveUp: c.gaveUp.Load(), Forged: c.forged.Load(), Refused: c.refused.Load(), ForgedTaken: c.forgedTaken.Load()}
}
