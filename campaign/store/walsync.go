package store

import (
	"context"
	"fmt"
	"os"
	"runtime"
)

// The journal's commits and the disk.
//
// With SQLite's synchronous=FULL in WAL mode, each commit writes its pages to the WAL file and then waits for
// fsync, inside the journal's goroutine: the next transaction cannot start until the disk answers, and every
// commit pays its own fsync. The journal's connection runs with synchronous=NORMAL instead, under which a
// commit's pages reach the WAL file (the operating system's cache: a crash of herald loses nothing) without an
// fsync, and a walSyncer makes them durable: it fsyncs the WAL file on a goroutine of its own and only then
// answers the commit's waiting marks and flushes. So the journal commits the next group while the disk works,
// and one fsync makes every group committed before it durable at once.
//
// What each promises after a power cut:
//   - A row's in-flight mark is answered (and its request leaves) only after an fsync that began after the
//     mark's commit: it survives a power cut exactly as under FULL, so no row is ever sent twice.
//   - A flush (and Close) is answered only after such an fsync: every outcome recorded before it survives.
//   - An outcome recorded but not yet flushed may be lost to a power cut (under FULL, only the outcomes queued
//     but not yet committed could): its row is then still in flight, becomes unknown at the next start and is
//     not sent again.
//   - Under NORMAL SQLite still syncs the WAL before each checkpoint and the database file after it, so what
//     was synced stays whole.
//
// Where the WAL file cannot be opened, and on Windows (whose FlushFileBuffers needs a handle opened for
// writing, which SQLite's own sharing of the file is not promised to allow), the connection keeps FULL.

// walSyncer fsyncs the journal's WAL file and answers the waiters of the commits it covers.
type walSyncer struct {
	// sync makes what was written to the WAL file durable: the file's fsync (tests replace it).
	sync func() error
	// groups carries the waiters of each committed group; closed by the journal when it stops. synced gets one
	// value for each group answered.
	groups chan []journalWaiter
	synced chan struct{}
	// done is closed once the last group is answered and the final sync made.
	done chan struct{}
	// fail records a sync error as the journal's.
	fail func(error)
	err  func() error
}

// journalWaiter is one op's answer channel and the result its commit gave it.
type journalWaiter struct {
	done chan error
	err  error
}

// openWALSync switches c to synchronous=NORMAL and opens its WAL file for the syncer. It returns nil, leaving
// the connection with FULL, when that cannot be done.
func openWALSync(c *journalConn) *os.File {
	if runtime.GOOS == "windows" {
		return nil
	}
	ctx := context.Background()
	var main string
	if err := c.conn.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&main); err != nil || main == "" {
		return nil
	}
	f, err := os.OpenFile(main+"-wal", os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	if _, err := c.conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		f.Close()
		return nil
	}
	return f
}

// newWALSyncer starts a syncer calling sync; fail and err are the journal's.
func newWALSyncer(sync func() error, fail func(error), err func() error) *walSyncer {
	w := &walSyncer{sync: sync, groups: make(chan []journalWaiter, 64), synced: make(chan struct{}, 64),
		done: make(chan struct{}), fail: fail, err: err}
	go w.run()
	return w
}

// run takes every group waiting, makes one fsync for all of them and answers their waiters; once the journal
// closes groups, it makes a last fsync, so that outcomes recorded without a waiter are durable too.
func (w *walSyncer) run() {
	defer close(w.done)
	var pending []journalWaiter
	for group := range w.groups {
		pending = append(pending[:0], group...)
		groups := 1
	more:
		for {
			select {
			case g, ok := <-w.groups:
				if !ok {
					break more
				}
				pending = append(pending, g...)
				groups++
			default:
				break more
			}
		}
		w.answer(pending)
		for range groups {
			w.synced <- struct{}{}
		}
	}
	w.answer(nil)
}

// answer syncs and answers waiters: with their own result, or with the journal's error when the sync failed.
func (w *walSyncer) answer(waiters []journalWaiter) {
	err := w.err()
	if err == nil {
		if serr := w.sync(); serr != nil {
			w.fail(fmt.Errorf("make the write-ahead log durable (fsync): %w", serr))
			err = w.err()
		}
	}
	for _, wt := range waiters {
		if err != nil {
			wt.done <- err
		} else {
			wt.done <- wt.err
		}
	}
}
