package engine

import (
	"sync/atomic"

	"context"
	"fmt"
	"herald/campaign/guards"
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
)

// Options tune a run. Zero values take the defaults.
type Options struct {
	// Rate is messages per second; math.Inf(1) sends as fast as the provider answers.
	Rate float64
	// Concurrency is the most requests in flight; 0 sizes it from the rate and the observed latency
	// (rate x latency x 1.5, between 4 and 512), growing as latency is measured.
	Concurrency int
	// MaxAttempts bounds the requests per row (default 5).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the exponential backoff with full jitter between attempts
	// (defaults 500 ms and 30 s).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// StopWait bounds how long a graceful stop waits for requests in flight (default 15 s); after it they are
	// cancelled and recorded unknown.
	StopWait time.Duration
	// StopOnPause turns an auto-pause into a stop: for headless runs, where nobody can resume.
	StopOnPause bool
	// JournalOptions tune the store's group commits.
	JournalOptions store.JournalOptions
	// Journal replaces the store's journal (benchmarks: one that writes nothing); nil uses the store's.
	Journal Journal
	// MaxBatch bounds the recipients of one request when the provider takes lists (providers.Batcher): 0 takes
	// the provider's own bound, 1 sends one row a request.
	MaxBatch int
	// Guard holds rows back when their time comes (send window, frequency cap, messaging limit); nil sends
	// every row as it comes.
	Guard Guard
	// Clock is the time the feeder and the guard go by, and the time of the in-flight marks (default: the
	// system's); tests give a fake one so that waiting for a window never sleeps.
	Clock guards.Clock
	// Schedule hands the rows the send window holds back to the provider at once, with the time their window
	// opens, when the provider takes a send time (providers.Scheduler, Capabilities.Schedules) and sends one row
	// a request: see schedule.go. Without it, or with another provider, such rows wait for their time.
	Schedule bool
	// Reopen is the code of the skipped rows the feeder takes in row order with the ready ones and asks the
	// guard about again at their turn (status.CodeOutsideWindow for a session message); "" for none.
	Reopen string
}

func (o *Options) defaults() {
	if o.Rate <= 0 {
		o.Rate = 20
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 500 * time.Millisecond
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 30 * time.Second
	}
	if o.StopWait <= 0 {
		o.StopWait = 15 * time.Second
	}
	if o.Clock == nil {
		o.Clock = guards.System()
	}
	if o.JournalOptions.Now == nil {
		o.JournalOptions.Now = o.Clock.Now
	}
}

// Concurrency bounds.
const (
	minConcurrency = 4
	maxConcurrency = 512
	// assumedLatency sizes the first workers before any answer has been timed.
	assumedLatency = 200 * time.Millisecond
)

// Engine sends one campaign's ready rows: one rate limiter paces messages (a request carrying k rows takes k
// tokens), a pool of workers sends them (one row a request, or batches of identical messages for a provider that
// takes lists: batch.go), and the store's journal records each row in flight before its request leaves and its
// outcome after. The UI and the headless command read Snapshot on a tick and call Pause, Resume and Stop;
// nothing is pushed to them.
type Engine struct {
	store   *store.Store
	info    store.CampaignInfo
	binding *template.Binding
	prov    providers.Provider
	opts    Options

	prog    *progress
	limiter *rate.Limiter
	pacer   *pacer
	health  *health
	journal Journal
	refBase string
	latency latencyEWMA

	stopCtx    context.Context
	stopCancel context.CancelFunc
	sendCtx    context.Context
	sendCancel context.CancelFunc

	mu       sync.Mutex // guards paused, resumeCh, stopOnce state
	paused   bool
	resumeCh chan struct{}
	stopped  bool
	// fed is set once the feeder has handed out every row: no worker is started after it.
	fed bool

	workers sync.WaitGroup
	jobs    chan job
	nWorker int
	// batcher is the provider's batch interface when it takes lists and batching is on; group gathers the
	// feeder's rows into its requests.
	batcher providers.Batcher
	group   *grouper
	// ahead is how many rows the feeder marks in flight at a time, 0 when workers mark their own; block holds
	// the rows gathered for the next such mark (ahead.go). Only the feeder uses block.
	ahead int
	block []jobRow
	// sched is the provider when it schedules and Options.Schedule is set; nil otherwise.
	sched providers.Scheduler
	// outstanding counts the jobs handed to the workers and not yet done; wake tells the feeder that it fell
	// to zero or that a worker deferred a row (see feed).
	outstanding atomic.Int64
	wake        chan struct{}
}

// Journal is what the engine needs of the store's journal (*store.Journal). Benchmarks give one that writes
// nothing (Options.Journal), to measure what durability costs.
type Journal interface {
	MarkInFlight(ctx context.Context, row, attempt int) error
	MarkManyInFlight(ctx context.Context, marks []store.Mark) error
	Unmark(row, attempts int)
	Record(o store.Outcome)
	Flush(ctx context.Context) error
	Close() error
}

// Guard is what the engine asks when a row's time comes (*guards.Sender is the one herald uses).
type Guard interface {
	// Hold says why number may not be sent at now (deferred with its time, or suppressed); nil when it may.
	Hold(number string, now time.Time) *guards.Hold
	// Reserve takes a place under the messaging limit for number at now; ok is false when every place is
	// taken, with next the time one frees. fresh is set when a new place was taken.
	Reserve(number string, now time.Time) (fresh, ok bool, next time.Time)
	// Release gives back a fresh place whose message did not leave.
	Release(number string)
	// Sent records that number's request left at at.
	Sent(number string, at time.Time)
}

// New prepares a run of the campaign info in store, rendering rows with binding and sending through prov. When
// prov takes lists (providers.Batcher) the feeder groups rows into its requests (see grouper).
func New(store *store.Store, info store.CampaignInfo, binding *template.Binding, prov providers.Provider, opts Options) *Engine {
	opts.defaults()
	e := &Engine{store: store, info: info, binding: binding, prov: prov, opts: opts}
	if b, ok := prov.(providers.Batcher); ok && opts.MaxBatch != 1 {
		size := b.MaxBatch()
		if opts.MaxBatch > 1 {
			size = min(size, opts.MaxBatch)
		}
		if size > 1 {
			e.batcher, e.group = b, &grouper{binding: binding, max: size}
		}
	}
	if s, ok := prov.(providers.Scheduler); ok && opts.Schedule && e.group == nil {
		e.sched = s
	}
	e.prog = newProgress(info.Name, opts.Rate, time.Now())
	e.limiter = rate.NewLimiter(limitOf(opts.Rate), Burst(opts.Rate))
	e.pacer = newPacer(e.limiter, opts.Rate, e.prog, time.Now())
	e.health = newHealth()
	e.refBase = strconv.FormatInt(info.Created.Unix(), 36) + strconv.FormatInt(info.ID, 36)
	e.resumeCh = make(chan struct{})
	e.wake = make(chan struct{}, 1)
	return e
}

// limitOf is the limiter's limit for a rate of r messages a second: rate.Inf for an unlimited rate (the
// limiter's own infinity is the largest float, not +Inf, and only it skips the limiter's bookkeeping).
func limitOf(r float64) rate.Limit {
	if math.IsInf(r, 1) {
		return rate.Inf
	}
	return rate.Limit(r)
}

// Burst is the limiter's bucket: about 2 ms worth of tokens, at least 1, so sleeps rounded up by the timer
// do not lose pace at high rates and no second ever bursts above rate + burst.
func Burst(r float64) int {
	if math.IsInf(r, 1) {
		return 1
	}
	return int(math.Max(1, math.Round(r*0.002)))
}

// Snapshot returns the run's progress now. Safe from any goroutine.
func (e *Engine) Snapshot() Snapshot {
	s := e.prog.snapshot(time.Now())
	return s
}

// Pause stops dispatching new requests until Resume; requests in flight finish.
func (e *Engine) Pause(reason string) {
	e.mu.Lock()
	if e.paused || e.stopped {
		e.mu.Unlock()
		return
	}
	e.paused = true
	e.resumeCh = make(chan struct{})
	e.mu.Unlock()
	e.prog.setState(status.Paused, reason)
	e.prog.event(EventPaused, reason)
}

// Resume continues after a pause.
func (e *Engine) Resume() {
	e.mu.Lock()
	if !e.paused || e.stopped {
		e.mu.Unlock()
		return
	}
	e.paused = false
	close(e.resumeCh)
	e.mu.Unlock()
	e.health.reset()
	e.pacer.restart(time.Now())
	e.prog.setState(status.Running, "")
	e.prog.event(EventResumed, "")
}

// Stop ends the run gracefully: no new request leaves, requests in flight get StopWait to finish.
func (e *Engine) Stop(reason string) {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return
	}
	e.stopped = true
	cancel := e.stopCancel
	e.mu.Unlock()
	e.prog.setState(status.Stopping, reason)
	e.prog.event(EventStopped, reason)
	if cancel != nil { // nil before Run: Run cancels at once when it starts
		cancel()
	}
}

func (e *Engine) isStopped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopped
}

// gate waits while the run is paused; it returns false once the run is stopping.
func (e *Engine) gate() bool {
	for {
		e.mu.Lock()
		paused, stopped, ch := e.paused, e.stopped, e.resumeCh
		e.mu.Unlock()
		if stopped {
			return false
		}
		if !paused {
			return true
		}
		select {
		case <-ch:
		case <-e.stopCtx.Done():
			return false
		}
	}
}

// Run sends every ready row and returns the final snapshot. Cancelling ctx forces a stop at once: requests in
// flight are cancelled and recorded unknown. The returned error is an internal failure (the state store);
// provider failures are outcomes, reported in the snapshot.
func (e *Engine) Run(ctx context.Context) (Snapshot, error) {
	counts, err := e.store.Counts(e.info.ID)
	if err != nil {
		return e.Snapshot(), err
	}
	ready, deferred := int64(counts[status.Ready]), int64(counts[status.Deferred])
	e.prog.total.Store(ready + deferred)
	e.prog.remaining.Store(ready + deferred)
	e.prog.waiting.Store(deferred)
	e.sendCtx, e.sendCancel = context.WithCancel(ctx)
	defer e.sendCancel()
	stopCtx, stopCancel := context.WithCancel(e.sendCtx)
	defer stopCancel()
	e.mu.Lock() // Stop may be called from another goroutine at any time
	e.stopCtx, e.stopCancel = stopCtx, stopCancel
	if e.stopped { // stopped before it started
		stopCancel()
	}
	e.mu.Unlock()

	e.ahead = markAhead(e.opts.Rate, e.initialConcurrency(), e.group != nil)
	e.journal = e.opts.Journal
	if e.journal == nil {
		e.journal = e.store.OpenJournal(e.info.ID, e.journalOptions())
	}
	if err := e.store.SetCampaignStatus(e.info.ID, status.Running, ""); err != nil {
		return e.Snapshot(), err
	}
	started := fmt.Sprintf("%d rows to send at %s", ready, human.Rate(e.opts.Rate))
	if deferred > 0 {
		started += fmt.Sprintf(", %d more as their time comes", deferred)
	}
	e.prog.event(EventStarted, started)

	e.jobs = make(chan job, jobQueue)
	switch {
	case e.group != nil:
		e.jobs = make(chan job, batchQueue) // each job may hold a whole batch of rows
	case e.ahead > 0:
		e.jobs = make(chan job, e.ahead) // one block marked ahead waits while the next is marked (ahead.go)
	}
	feedDone := make(chan error, 1)
	e.grow(e.initialConcurrency())
	// The feeder holds one count of the worker group until it is done, so workers can still be added while
	// rows are being handed out and the group never reaches zero early.
	e.workers.Add(1)
	go func() {
		err := e.feed()
		e.mu.Lock()
		e.fed = true
		e.mu.Unlock()
		e.workers.Done()
		feedDone <- err
	}()
	tickDone := make(chan struct{})
	go e.tick(tickDone)

	allDone := make(chan struct{})
	go func() { e.workers.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-e.stopCtx.Done():
		// Graceful stop (or ctx cancelled): give requests in flight a bounded time, then cancel them.
		t := time.NewTimer(e.opts.StopWait)
		select {
		case <-allDone:
		case <-t.C:
			e.sendCancel()
			<-allDone
		}
		t.Stop()
	}
	close(tickDone)
	feedErr := <-feedDone
	jerr := e.journal.Close()
	return e.finish(feedErr, jerr)
}

// finish records the campaign's final state and returns the last snapshot.
func (e *Engine) finish(feedErr, jerr error) (Snapshot, error) {
	err := feedErr
	if err == nil {
		err = jerr
	}
	state, reason := e.prog.getState()
	switch {
	case err != nil:
		state, reason = status.Stopped, "state store failure: "+err.Error()
	case state == status.Stopping || e.isStopped():
		state = status.Stopped
	default:
		state = status.Finished
		e.prog.event(EventFinished, fmt.Sprintf("%d sent, %d failed, %d unknown",
			e.prog.sent.Load(), e.prog.failed.Load(), e.prog.unknown.Load()))
	}
	e.prog.setState(state, reason)
	e.prog.sample(time.Now())
	if serr := e.store.SetCampaignStatus(e.info.ID, state, reason); serr != nil && err == nil {
		err = serr
	}
	return e.Snapshot(), err
}

// tick runs once a second: the rolling rate, recovery after a slow-down, and worker growth to the latency.
func (e *Engine) tick(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	warned := false
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			e.prog.sample(now)
			e.pacer.recover(now)
			lat := e.latency.get()
			if lat <= 0 || math.IsInf(e.opts.Rate, 1) {
				continue
			}
			need := sizeConcurrency(e.opts.Rate, lat)
			if e.opts.Concurrency == 0 {
				e.grow(need)
			} else if !warned && float64(e.opts.Concurrency) < e.opts.Rate*lat.Seconds() {
				warned = true
				e.prog.event(EventWarning, fmt.Sprintf("--concurrency %d cannot sustain %s at %v latency: about %d needed",
					e.opts.Concurrency, human.Rate(e.opts.Rate), lat.Round(time.Millisecond), need))
			}
		}
	}
}
