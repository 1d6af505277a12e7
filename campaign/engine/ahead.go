package engine

import (
	"math"
	"time"

	"herald/campaign/store"
)

// Marking ahead.
//
// A row is recorded in flight, and that record committed to disk, before its request leaves. Done by each
// worker for its own row just before the request, that costs every message a hand-off to the journal and a
// wait for a commit, during which the worker's connection sits idle: at high rates it was most of what the
// state store cost. So when rows go one a request at a high rate, the feeder marks them in flight in blocks,
// each block by one commit (consecutive rows: one statement), before it hands them to the workers; a worker
// then sends a row marked ahead at once. A row marked ahead whose request does not leave after all (the run
// stops, its guard holds it back at its slot, it no longer renders) is given back: ready again, with its count
// of attempts as it was (store.Journal.Unmark).
//
// What it changes after a crash: the rows marked ahead and not yet sent are in flight in the store, so they
// become unknown at the next start, like the rows whose requests were out. The jobs queue holds one block, so
// at most two blocks and a row at each worker (waiting for the rate, or sending) are in flight at a time, where
// without marking ahead only the rows whose requests were out were. So it is done only where the store's cost
// matters, at 2,000 messages a second and more (below, a commit a message is little work): a block is at most
// 10 ms of sending at the rate (20 rows at 2,000 a second) and two rows a worker, up to aheadRows or the
// concurrency if larger (unlimited at 16 in flight: 32 rows; at 64: 128; at 256: 256).

const (
	// aheadFrom is the least rate, in messages a second, at which rows are marked ahead.
	aheadFrom = 2000
	// aheadSending is how much sending, at the rate, one block marked ahead holds at most.
	aheadSending = 0.01 // seconds
	// aheadCommitDelay is how long the journal gathers outcomes before a commit when rows are marked ahead (a
	// block's mark commits at once, with them, so a commit is mostly one per block): no worker waits for an
	// outcome's commit, so larger ones, with fewer pages written and fsyncs per message, cost nothing in latency
	// (measured: 500 us, 7% more messages a second than none at 16 and 64 in flight; 5 ms, 4% more than 500 us,
	// 5 alternations at 64).
	aheadCommitDelay = 5 * time.Millisecond
	// aheadRows bounds the blocks of two rows a worker: a commit costs about the same whatever it holds (its
	// fsync alone about 100 us of CPU on a small VM), so blocks of one row a worker at 16 or 64 in flight made
	// commits the store's largest cost. Measured against blocks of the concurrency, 3 alternations: 16 in
	// flight 15,000-18,000 against 12,800-15,500 msgs/s, 64 in flight 17,500-20,700 against 16,600-19,200.
	// The price: a crash may leave up to twice as many rows unknown (MostInFlight), so the blocks grow no
	// further than this where the concurrency alone is large.
	aheadRows = 128
)

// markAhead is how many rows the feeder marks in flight at a time for a run at rate with conc workers; 0 when
// each worker marks its own row (a block of fewer than 2 rows, or a provider that batches).
func markAhead(rate float64, conc int, batching bool) int {
	if batching {
		return 0
	}
	k := conc
	if k < aheadRows {
		k = min(2*conc, aheadRows)
	}
	if !math.IsInf(rate, 1) {
		if rate < aheadFrom {
			return 0
		}
		k = min(k, int(rate*aheadSending))
	}
	if k < 2 {
		return 0
	}
	return k
}

// MostInFlight is the most rows a run at rate with conc workers (one row a request) can have recorded in flight
// at a time, and so the most that a crash can leave unknown: a row at each worker, a block marked ahead in the
// jobs queue and the next block being marked.
func MostInFlight(rate float64, conc int) int {
	return conc + 2*markAhead(rate, conc, false)
}

// journalOptions are the options the engine opens its journal with: Options.JournalOptions, gathering writes
// for aheadCommitDelay when rows are marked ahead (unless a delay is set).
func (e *Engine) journalOptions() store.JournalOptions {
	o := e.opts.JournalOptions
	if e.ahead > 0 && o.MaxDelay == 0 {
		o.MaxDelay = aheadCommitDelay
	}
	return o
}

// queueAhead adds a row to the block being gathered, and hands the block out once it is full; it returns false
// once the run stops.
func (e *Engine) queueAhead(r jobRow) bool {
	e.block = append(e.block, r)
	if len(e.block) < e.ahead {
		return true
	}
	return e.handBlock()
}

// handBlock marks the gathered rows in flight, in one commit, and hands each to the workers. When one of them
// is refused (it is not ready any more), none is marked and each goes as without marking ahead: its worker's
// own mark names it. It returns false once the run stops; the rows not handed out are given back.
func (e *Engine) handBlock() bool {
	rows := e.block
	e.block = make([]jobRow, 0, e.ahead)
	if len(rows) == 0 {
		return true
	}
	marks := make([]store.Mark, len(rows))
	for i, r := range rows {
		marks[i] = store.Mark{Row: r.row, Attempt: r.attempts + 1}
	}
	err := e.journal.MarkManyInFlight(e.stopCtx, marks)
	if e.stopCtx.Err() != nil {
		// Stopping: the marks may be committed still, after the wait for them ended. Unmark leaves a row that is
		// not in flight alone, and comes after them.
		for i := range rows {
			rows[i].premarked = true
		}
		e.giveBack(rows)
		return false
	}
	for i := range rows {
		rows[i].premarked = err == nil
	}
	for i := range rows {
		if !e.dispatch(job{rows: rows[i : i+1 : i+1]}) {
			e.giveBack(rows[i+1:])
			return false
		}
	}
	return true
}

// dropBlock gives back the places under the messaging limit of the rows gathered and never marked, when the
// feeder stops.
func (e *Engine) dropBlock() {
	e.release(e.block)
	e.block = nil
}

// giveBack gives back what rows took for a request that does not leave after all: their marks made ahead
// (unmark) and their places under the messaging limit (release). Where the row also gets an outcome (it no
// longer renders, its guard holds it at its slot), unmark comes first, before the outcome, so that its count of
// attempts is the one before the mark.
func (e *Engine) giveBack(rows []jobRow) {
	e.unmark(rows)
	e.release(rows)
}

// unmark gives back the in-flight marks of the rows marked ahead whose request did not leave.
func (e *Engine) unmark(rows []jobRow) {
	for i := range rows {
		if rows[i].premarked {
			e.journal.Unmark(rows[i].row, rows[i].attempts)
			rows[i].premarked = false
		}
	}
}
