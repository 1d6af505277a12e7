package store

import (
	"context"
	"fmt"
	"time"
)

// What the journal's commits promise.
//
// A mark must be on disk before its request leaves; an outcome need not be at once: lost with the machine, its
// row stays in flight, becomes unknown at the next start and is never sent again. So when the store commits
// with synchronous=FULL (as herald's does), only the journal's commits that someone waits for (a mark, a
// flush) and its last one at Close are made with FULL, whose fsync of the WAL makes every commit before them
// durable too; the others (the outcomes gathered while the engine sends, the message ids' folds) are made with
// NORMAL, which writes the WAL without an fsync. The fsyncs are the largest single part of what the store
// costs a message (BENCHMARKS.md); a commit no one waits for is not worth one.
//
// When no durable commit follows for durableWithin (a pause, a wait for the send window), one is made for them.
//
// After a crash of herald (kill -9, a panic) nothing is lost under either setting: the WAL is written before a
// commit returns. After a power cut or a crash of the machine, every mark and flush acknowledged is on disk
// with everything committed before it; only the outcomes committed after the last of them (a few milliseconds
// of sending, a second at most) may be lost, and their rows become unknown, not sent again.

// durableWithin is how long a commit made with NORMAL waits for a durable one at most.
const durableWithin = time.Second

// setDurable makes the next commits durable (the store's own setting) or not (NORMAL, when the store's setting
// is FULL).
func (c *journalConn) setDurable(durable bool) error {
	normal := c.store.synchronous == "FULL" && !durable
	if normal == c.normal {
		return nil
	}
	setting := c.store.synchronous
	if normal {
		setting = "NORMAL"
	}
	if _, err := c.conn.ExecContext(context.Background(), "PRAGMA synchronous = "+setting); err != nil {
		return fmt.Errorf("set the commits' durability: %w", err)
	}
	c.normal = normal
	return nil
}

// syncCommits makes the commits made with NORMAL durable, when there are any, by a durable commit that
// rewrites the campaign's row as it is.
func (j *Journal) syncCommits() error {
	if !j.conn.unsynced {
		return nil
	}
	err := j.conn.transaction(true, func() error {
		if _, err := j.conn.exec(stTouch, j.id); err != nil {
			return fmt.Errorf("make the last outcomes durable: %w", err)
		}
		return nil
	})
	if err == nil && j.o.synced != nil {
		j.o.synced()
	}
	return err
}
