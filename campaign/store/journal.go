package store

import (
	"context"
	"errors"
	"fmt"
	"herald/campaign/status"
	"sync"
	"time"
)

// JournalOptions tune how the journal groups writes into transactions.
type JournalOptions struct {
	// MaxBatch is the most writes one transaction holds; default 512.
	MaxBatch int
	// MaxDelay is how long a transaction of outcomes waits for more writes after its first one; a mark (or a
	// flush) ends the wait: it commits with what is queued. Default 0: a commit takes what is queued, and the
	// writes that arrive while it commits make the next one. With workers marking their own rows any wait only
	// added latency to every in-flight record (16 workers: 5,000 msgs/s with 2 ms, 13,000 with none); with rows
	// marked ahead in blocks (the engine's ahead.go), outcomes wait for the next block's mark.
	MaxDelay time.Duration
	// Now is the clock of the in-flight marks, whose time is the row's sent_at (the frequency cap and the
	// messaging limit count from it); default time.Now. Tests give a fake clock.
	Now func() time.Time

	// durableWithin is how long a commit made with synchronous=NORMAL waits for a durable one at most
	// (journal_durable.go); default durableWithin. Tests shorten it.
	durableWithin time.Duration

	// beforeCommit and afterCommit, when set (tests), run around each commit; afterCommit gets the number of
	// writes the transaction held.
	beforeCommit func()
	afterCommit  func(writes int)
	// synced, when set (tests), runs after each commit made only to make the ones before it durable.
	synced func()
}

// Outcome is what became of one request for a row.
type Outcome struct {
	// Row is the 1-based data row number.
	Row int
	// Status is sent, failed, unknown, ready (to be retried later), deferred (to be sent at NotBefore) or
	// suppressed (a guard keeps it from being sent).
	Status string
	// MessageID is the provider's message id; Code, Error and Class describe a failure.
	MessageID, Code, Error, Class string
	// Attempts counts the requests made for the row so far; the stored count never goes down.
	Attempts int
	// At is when the outcome came; zero means when it is recorded.
	At time.Time
	// NotBefore is when a deferred row may be sent; for a sent row, when the provider is to send the message it
	// took to hold until then (Huawei's sendAt), zero when it sends at once. A scheduled row's sent_at is that
	// time, so that the frequency cap and the messaging limit count the message when it goes.
	NotBefore time.Time
}

// journalQueue is how many ops may wait for the journal's goroutine before callers block.
const journalQueue = 4096

// errJournalClosed is returned by calls made after the journal stopped.
var errJournalClosed = errors.New("the state store journal is closed")

type journalOpKind int

const (
	opMark journalOpKind = iota
	opMarkMany
	opRecord
	opUnmark
	opFlush
)

// Mark is one row about to be sent, as the attempt number attempt.
type Mark struct {
	Row     int
	Attempt int
}

// journalOp is one request to the journal's goroutine. done (marks and flushes) receives the op's result once
// its transaction has committed or failed.
type journalOp struct {
	kind    journalOpKind
	row     int
	attempt int
	marks   []Mark // opMarkMany's rows
	outcome Outcome
	done    chan error
	queued  time.Time
	err     error // a mark refused for this op's rows alone
}

// writes is how many row writes the op makes.
func (op *journalOp) writes() int {
	switch op.kind {
	case opFlush:
		return 0
	case opMarkMany:
		return len(op.marks)
	}
	return 1
}

// Journal records rows in flight and their outcomes for one campaign. One goroutine groups the writes into
// transactions, so durability does not cap throughput. Its methods are safe for concurrent use until Close.
type Journal struct {
	s       *Store
	id      int64
	o       JournalOptions
	ops     chan journalOp
	closing chan struct{}
	stopped chan struct{}
	close   sync.Once
	// conn is the journal's own connection, nil when it could not be opened (Err says why).
	conn *journalConn
	// ids are the message ids recorded since the last fold, the first of them kept at idsSince; opened is when
	// the journal opened (journal_ids.go). Only the journal's goroutine uses them after OpenJournal.
	ids      []messageRow
	idsSince time.Time
	opened   time.Time
	// marks and many are writeBatch's reused lists of a batch's single and many-row marks.
	marks, many []*journalOp
	// answers pools the channels marks and flushes are answered on.
	answers  sync.Pool
	mu       sync.Mutex
	firstErr error
}

// OpenJournal starts the journal of campaign id. A failure to prepare it shows in Err and in every call.
func (s *Store) OpenJournal(id int64, o JournalOptions) *Journal {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 512
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.durableWithin <= 0 {
		o.durableWithin = durableWithin
	}
	j := &Journal{s: s, id: id, o: o, ops: make(chan journalOp, journalQueue), closing: make(chan struct{}),
		stopped: make(chan struct{}), opened: time.Now()}
	conn, err := openJournalConn(s)
	if err != nil {
		j.fail(err)
	}
	j.conn = conn
	if conn != nil {
		if err := j.openIDs(); err != nil {
			j.fail(err)
		}
	}
	go j.run()
	return j
}

// MarkInFlight records that a request for row is about to leave, as attempt number attempt, and returns once
// that is committed to disk; the time of the mark is the row's sent_at. A row that is not ready, deferred (or
// in flight) is refused: it is never sent twice. When ctx
// ends first the request must not be sent, though the row may still be recorded in flight (and so become
// unknown at the next start).
func (j *Journal) MarkInFlight(ctx context.Context, row, attempt int) error {
	return j.wait(ctx, journalOp{kind: opMark, row: row, attempt: attempt})
}

// MarkManyInFlight records that one request for all the rows of marks is about to leave (a batch request), each
// as its own attempt number, and returns once that is committed to disk, in one transaction: every row is in
// flight, or, when one of them is not ready (or in flight), the first such is named in the error and the
// request must not leave. When ctx ends first the request must not be sent, though the rows may still be
// recorded in flight.
func (j *Journal) MarkManyInFlight(ctx context.Context, marks []Mark) error {
	if len(marks) == 0 {
		return nil
	}
	return j.wait(ctx, journalOp{kind: opMarkMany, marks: marks})
}

// Record queues a row's outcome; it returns at once unless the queue is full. A write error shows in Err.
func (j *Journal) Record(o Outcome) {
	switch o.Status {
	case status.Failed, status.Unknown, status.Ready, status.Suppressed, status.Skipped:
		o.NotBefore = time.Time{}
	case status.Sent:
	case status.Deferred:
		if o.NotBefore.IsZero() {
			j.fail(fmt.Errorf("row %d: deferred without the time it may be sent", o.Row))
			return
		}
	default:
		j.fail(fmt.Errorf("row %d: outcome status %q; want sent, failed, unknown, ready, deferred, suppressed or skipped",
			o.Row, o.Status))
		return
	}
	if o.At.IsZero() {
		o.At = time.Now()
	}
	if err := j.send(context.Background(), journalOp{kind: opRecord, row: o.Row, outcome: o}); err != nil {
		j.fail(fmt.Errorf("row %d: outcome %s not recorded: %w", o.Row, o.Status, err))
	}
}

// Unmark gives a row marked in flight back when no request for it left after all (rows marked ahead of their
// send, and then stopped or held back): it is ready again, with attempts, its count before the mark. A row no
// longer in flight is left alone. It returns at once unless the queue is full; a write error shows in Err.
func (j *Journal) Unmark(row, attempts int) {
	if err := j.send(context.Background(), journalOp{kind: opUnmark, row: row, attempt: attempts}); err != nil {
		j.fail(fmt.Errorf("row %d: give back its in-flight mark: %w", row, err))
	}
}

// Flush returns once everything recorded before it is committed, or with the journal's error.
func (j *Journal) Flush(ctx context.Context) error {
	return j.wait(ctx, journalOp{kind: opFlush})
}

// Err returns the first write error; after it every call fails.
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.firstErr
}

// Close commits what is queued, stops the goroutine and returns the journal's error, if any.
func (j *Journal) Close() error {
	j.close.Do(func() {
		close(j.closing)
		<-j.stopped
		if j.conn != nil {
			j.conn.close()
		}
	})
	return j.Err()
}

// fail keeps the first write error.
func (j *Journal) fail(err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.firstErr == nil {
		j.firstErr = fmt.Errorf("state store %s: journal of campaign %d: %w", j.s.path, j.id, err)
	}
}

// send queues op, waiting while the queue is full.
func (j *Journal) send(ctx context.Context, op journalOp) error {
	op.queued = time.Now()
	select {
	case j.ops <- op:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-j.stopped:
		return errJournalClosed
	}
}

// wait queues op and waits for its transaction. The channel op is answered on comes from a pool: a mark's
// hand-off is on every message's path.
func (j *Journal) wait(ctx context.Context, op journalOp) error {
	if err := j.Err(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("state store journal: %w", err)
	}
	done, _ := j.answers.Get().(chan error)
	if done == nil {
		done = make(chan error, 1)
	}
	op.done = done
	if err := j.send(ctx, op); err != nil {
		j.answers.Put(done)
		return fmt.Errorf("state store journal: %w", err)
	}
	select {
	case err := <-done:
		j.answers.Put(done)
		return err
	case <-ctx.Done():
		// The answer may still come: this channel is not used again.
		return fmt.Errorf("state store journal: %w", ctx.Err())
	case <-j.stopped:
		select {
		case err := <-done:
			return err
		default:
			return errJournalClosed
		}
	}
}

// run is the journal's goroutine: it takes the first op, gathers more (see gather), and applies them in one
// transaction.
func (j *Journal) run() {
	defer close(j.stopped)
	timer := time.NewTimer(j.o.MaxDelay)
	timer.Stop()
	var batch []journalOp
	var syncDue <-chan time.Time // set while commits made with NORMAL wait for a durable one (journal_durable.go)
	for {
		select {
		case op := <-j.ops:
			batch = j.gather(append(batch[:0], op), timer)
		case <-syncDue:
			syncDue = nil
			if j.Err() == nil {
				if err := j.syncCommits(); err != nil {
					j.fail(err)
				}
			}
			continue
		case <-j.closing:
			batch = batch[:0]
			for len(j.ops) > 0 {
				batch = append(batch, <-j.ops)
			}
			j.apply(batch)
			if j.Err() == nil {
				if err := j.foldIDs(true, true); err != nil {
					j.fail(err)
				}
			}
			return
		}
		if unsynced := j.apply(batch); unsynced && syncDue == nil {
			syncDue = time.After(j.o.durableWithin)
		}
	}
}

// gather adds ops to the batch until it holds MaxBatch writes or a flush, or Close is called, or MaxDelay has
// passed since its first op was queued, or an op that someone waits for (a mark) is in it; after that it takes
// only the ops already waiting. So when commits are slower than MaxDelay, the ops queued during one commit make
// the next batch at once.
func (j *Journal) gather(batch []journalOp, timer *time.Timer) []journalOp {
	if batch[0].kind == opFlush {
		return batch
	}
	writes := batch[0].writes()
	expired := true
	if wait := time.Until(batch[0].queued.Add(j.o.MaxDelay)); wait > 0 && batch[0].done == nil {
		timer.Reset(wait)
		defer timer.Stop()
		expired = false
	}
	for writes < j.o.MaxBatch {
		var op journalOp
		if expired {
			select {
			case op = <-j.ops:
			default:
				return batch
			}
		} else {
			select {
			case op = <-j.ops:
			case <-timer.C:
				expired = true
				continue
			case <-j.closing:
				return batch
			}
		}
		batch = append(batch, op)
		if op.kind == opFlush {
			return batch
		}
		writes += op.writes()
		expired = expired || op.done != nil
	}
	return batch
}

// apply commits the batch's writes in one transaction, then answers its waiters. It reports whether commits made
// with NORMAL wait for a durable one (journal_durable.go), as it was before the answers: after them the journal's
// state is not read until the next op (tests call commit then).
func (j *Journal) apply(batch []journalOp) (unsynced bool) {
	err := j.Err()
	if err == nil {
		if err = j.commit(batch); err == nil && j.foldDue(batch) {
			err = j.foldIDs(false, waits(batch))
		}
		if err != nil {
			j.fail(err)
			err = j.Err()
		}
	}
	unsynced = j.conn != nil && j.conn.unsynced
	for i := range batch {
		if batch[i].done == nil {
			continue
		}
		if err != nil {
			batch[i].done <- err
		} else {
			batch[i].done <- batch[i].err
		}
	}
	return unsynced
}

// waits reports whether someone waits for an op of batch (a mark, a flush).
func waits(batch []journalOp) bool {
	for i := range batch {
		if batch[i].done != nil {
			return true
		}
	}
	return false
}

// commit runs the batch's writes in one transaction, durable when someone waits for an op of the batch
// (journal_durable.go); a mark the row's status refuses is set on its op. A flush that finds nothing to write
// makes the commits before it durable.
func (j *Journal) commit(batch []journalOp) error {
	writes, waited := 0, waits(batch)
	for i := range batch {
		writes += batch[i].writes()
	}
	if writes == 0 {
		if waited {
			return j.syncCommits()
		}
		return nil
	}
	err := j.conn.transaction(waited, func() error {
		if err := j.writeBatch(batch); err != nil {
			return err
		}
		if j.o.beforeCommit != nil {
			j.o.beforeCommit()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if j.o.afterCommit != nil {
		j.o.afterCommit(writes)
	}
	return nil
}
