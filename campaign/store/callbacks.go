package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"herald/providers"
)

// CallbackBatch is what one callback request said, as the listener hands it to the store once it has verified
// it.
type CallbackBatch struct {
	// Profile is the profile whose URL the callback came to.
	Profile string
	// Rehearsal is set for the sandbox: opt-outs its replies cause are recorded with the source "sandbox" and
	// never suppress a campaign sent with a real provider.
	Rehearsal  bool
	Deliveries []providers.DeliveryEvent
	Inbound    []InboundMessage
	// Received is when the callback arrived; events that carry no time take it.
	Received time.Time
}

// InboundMessage is an inbound message and whether its whole text is an opt-out keyword (decided by the
// listener, which knows the keywords).
type InboundMessage struct {
	providers.Inbound
	Keyword bool
}

// CallbackResult says what a batch changed.
type CallbackResult struct {
	// Deliveries and Inbound count the events recorded; Unknown the delivery events whose message id no
	// campaign row has (yet): they are kept and apply once a row has the id.
	Deliveries, Inbound, Unknown int
	// OptedOut lists the numbers the batch put on the opt-out list.
	OptedOut []string
}

// CallbackWriterOptions tune a CallbackWriter.
type CallbackWriterOptions struct {
	// MaxBatch is the most callback requests one transaction holds (default 256).
	MaxBatch int
	// BeforeCommit, when set (crash tests), runs just before each commit.
	BeforeCommit func()
}

// CallbackWriter records verified callbacks: it gathers the requests that arrive while a commit is under way
// into the next transaction, so that the listener answers each request only once what it says is on disk,
// without a disk flush per request. It is safe for concurrent use until Close.
type CallbackWriter struct {
	s       *Store
	o       CallbackWriterOptions
	reqs    chan *callbackReq
	stopped chan struct{}
	close   sync.Once
	mu      sync.Mutex
	closed  bool
	// reconciled is when the writer last applied what was kept aside (only its goroutine touches it).
	reconciled time.Time
}

// callbackReq is one batch waiting for its transaction.
type callbackReq struct {
	batch CallbackBatch
	res   CallbackResult
	done  chan error
}

// errWriterClosed is returned by Write after Close.
var errWriterClosed = errors.New("the state store's callback writer is closed")

// NewCallbackWriter starts a writer on the store.
func (s *Store) NewCallbackWriter(o CallbackWriterOptions) *CallbackWriter {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	w := &CallbackWriter{s: s, o: o, reqs: make(chan *callbackReq, o.MaxBatch), stopped: make(chan struct{})}
	go w.run()
	return w
}

// Write records the batch and returns once it is committed, with what it changed. When ctx ends first the
// batch may still be committed: a provider's retry then changes nothing twice.
func (w *CallbackWriter) Write(ctx context.Context, b CallbackBatch) (CallbackResult, error) {
	r := &callbackReq{batch: b, done: make(chan error, 1)}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return CallbackResult{}, errWriterClosed
	}
	select {
	case w.reqs <- r:
		w.mu.Unlock()
	case <-ctx.Done():
		w.mu.Unlock()
		return CallbackResult{}, ctx.Err()
	}
	select {
	case err := <-r.done:
		return r.res, err
	case <-ctx.Done():
		return CallbackResult{}, ctx.Err()
	}
}

// Close commits what is queued and stops the writer.
func (w *CallbackWriter) Close() error {
	w.close.Do(func() {
		w.mu.Lock()
		w.closed = true
		close(w.reqs)
		w.mu.Unlock()
		<-w.stopped
	})
	return nil
}

// run takes the first waiting request, every other one already queued (up to MaxBatch), and commits them in
// one transaction.
func (w *CallbackWriter) run() {
	defer close(w.stopped)
	batch := make([]*callbackReq, 0, w.o.MaxBatch)
	for r := range w.reqs {
		batch = append(batch[:0], r)
	gather:
		for len(batch) < w.o.MaxBatch {
			select {
			case more, ok := <-w.reqs:
				if !ok {
					break gather
				}
				batch = append(batch, more)
			default:
				break gather
			}
		}
		err := w.commit(batch)
		for _, r := range batch {
			r.done <- err
		}
	}
}

// commit applies the requests in one transaction.
func (w *CallbackWriter) commit(batch []*callbackReq) error {
	return w.s.withTx(context.Background(), func(tx *sql.Tx) error {
		now := time.Now()
		for _, r := range batch {
			res, err := applyCallbacks(cbTx{w.s, tx}, r.batch)
			if err != nil {
				return fmt.Errorf("state store %s: record callbacks for profile %s: %w", w.s.path, r.batch.Profile, err)
			}
			r.res = res
		}
		if now.Sub(w.reconciled) >= reconcileEvery {
			if err := reconcile(cbTx{w.s, tx}, now.Add(-reconcileWindow), now); err != nil {
				return fmt.Errorf("state store %s: reconcile callbacks: %w", w.s.path, err)
			}
			w.reconciled = now
		}
		if w.o.BeforeCommit != nil {
			w.o.BeforeCommit()
		}
		return nil
	})
}

// RecordCallbacks records one batch in its own transaction (receipts imported from a file).
func (s *Store) RecordCallbacks(b CallbackBatch) (CallbackResult, error) {
	var res CallbackResult
	err := s.withTx(context.Background(), func(tx *sql.Tx) error {
		var err error
		if res, err = applyCallbacks(cbTx{s, tx}, b); err != nil {
			return err
		}
		now := time.Now()
		return reconcile(cbTx{s, tx}, now.Add(-reconcileWindow), now)
	})
	if err != nil {
		return CallbackResult{}, fmt.Errorf("state store %s: record callbacks for profile %s: %w", s.path, b.Profile, err)
	}
	return res, nil
}

// applyCallbacks records a batch's events inside tx.
func applyCallbacks(tx cbTx, b CallbackBatch) (CallbackResult, error) {
	var res CallbackResult
	received := b.Received
	if received.IsZero() {
		received = time.Now()
	}
	for _, d := range b.Deliveries {
		known, err := applyDelivery(tx, b.Profile, d, received)
		if err != nil {
			return res, fmt.Errorf("message %s: %w", d.MessageID, err)
		}
		res.Deliveries++
		if !known {
			res.Unknown++
		}
	}
	for _, in := range b.Inbound {
		optedOut, err := applyInbound(tx, b.Profile, b.Rehearsal, in, received)
		if err != nil {
			return res, fmt.Errorf("inbound message %s: %w", in.ID, err)
		}
		res.Inbound++
		if optedOut {
			res.OptedOut = append(res.OptedOut, in.From)
		}
	}
	return res, nil
}
