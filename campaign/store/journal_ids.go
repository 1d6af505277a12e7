package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// The journal's message ids.
//
// Callbacks find their row by the provider's message id, which is random: an index of them takes each new id
// at a page of its own, so writing it with each outcome cost a page written to the WAL per message. The journal
// instead records the outcome (with its id) in the rows table at once, keeps the ids in memory, and writes
// them to message_keys in sorted batches (a fold): every foldEvery ids, after foldAfter, at each flush and at
// Close. Until its fold, a callback about a message does not find its row and is kept aside; the fold then
// ties what was kept aside to the rows, so that nothing is lost, only later by a quarter of a second (a
// provider's first callback about a message rarely comes sooner; the sandbox's come at once). The campaign's
// message_ids_pending is set while the journal runs: after a crash, the next journal (or Reconcile) puts the
// ids the rows hold but message_keys lacks into it.

const (
	// foldEvery is how many kept ids make a fold.
	foldEvery = 16384
	// foldAfter is how long an id is kept before a fold at the latest.
	foldAfter = 250 * time.Millisecond
	// foldChunk is how many ids one statement of a fold inserts (stMessageRows): a statement of 64 rows costs
	// 1.8-1.9 us an id against 2.5 for one of a row (sorted random keys into an index of 200,000).
	foldChunk = 64
)

// messageRow is the key of a message id (messageKey) and the row of the journal's campaign that has the id.
type messageRow struct {
	key int64
	row int
}

// repairMessageRows puts into message_keys the ids of campaign ?'s rows that it lacks.
const repairMessageRows = `INSERT OR IGNORE INTO message_keys (key, campaign_id, row)
	SELECT ` + messageKeySQL + `(r.message_id), r.campaign_id, r.row FROM rows r
	WHERE r.campaign_id = ? AND r.message_id <> '' ORDER BY 1`

// messageRowsJoin pairs each entry of message_keys (m) with its row (r); the statement using it matches both the
// key and the row's own id.
const messageRowsJoin = `message_keys m JOIN rows r ON r.campaign_id = m.campaign_id AND r.row = m.row`

// rowOfMessageSQL finds the row that has a message id: bind its key (messageKey) and the id.
const rowOfMessageSQL = `SELECT r.campaign_id, r.row, r.number FROM ` + messageRowsJoin + `
	WHERE m.key = ? AND r.message_id = ?`

// openIDs runs before the journal's first write: it repairs what a crash of an earlier journal of the campaign
// left out of message_keys, and marks the campaign as having ids pending.
func (j *Journal) openIDs() error {
	ctx := context.Background()
	c := j.conn.conn
	var pending bool
	if err := c.QueryRowContext(ctx, `SELECT message_ids_pending FROM campaigns WHERE id = ?`, j.id).Scan(&pending); err != nil {
		return fmt.Errorf("read the campaign: %w", err)
	}
	if pending {
		if _, err := c.ExecContext(ctx, repairMessageRows, j.id); err != nil {
			return fmt.Errorf("index the message ids an earlier run left out: %w", err)
		}
		if err := j.reconcileAside(time.Time{}); err != nil {
			return err
		}
	}
	if _, err := c.ExecContext(ctx, `UPDATE campaigns SET message_ids_pending = 1 WHERE id = ?`, j.id); err != nil {
		return fmt.Errorf("mark the campaign's message ids pending: %w", err)
	}
	return nil
}

// keepID keeps a recorded message id for the next fold.
func (j *Journal) keepID(id string, row int) {
	if len(j.ids) == 0 {
		j.idsSince = time.Now()
	}
	j.ids = append(j.ids, messageRow{key: messageKey(id), row: row})
}

// foldDue reports whether the kept ids go to message_keys after batch: enough of them, kept long enough, or a
// flush waits in batch.
func (j *Journal) foldDue(batch []journalOp) bool {
	if len(j.ids) == 0 {
		return false
	}
	if len(j.ids) >= foldEvery || time.Since(j.idsSince) >= foldAfter {
		return true
	}
	for i := range batch {
		if batch[i].kind == opFlush {
			return true
		}
	}
	return false
}

// foldIDs writes the kept ids to message_keys, sorted, in one transaction, durable or not (journal_durable.go),
// and when last is set clears the campaign's message_ids_pending in it; then it ties the callbacks kept aside
// since the journal opened to their rows.
func (j *Journal) foldIDs(last, durable bool) error {
	if len(j.ids) == 0 && !last {
		return nil
	}
	slices.SortFunc(j.ids, func(a, b messageRow) int { return cmp.Compare(a.key, b.key) })
	err := j.conn.transaction(durable, func() error {
		ids := j.ids
		for ; len(ids) >= foldChunk; ids = ids[foldChunk:] {
			if err := j.conn.execMessageRows(j.id, ids[:foldChunk]); err != nil {
				return fmt.Errorf("rows %d and %d more: index message ids: %w", ids[0].row, foldChunk-1, err)
			}
		}
		for _, m := range ids {
			if _, err := j.conn.exec(stMessageRow, m.key, j.id, m.row); err != nil {
				return fmt.Errorf("row %d: index message id: %w", m.row, err)
			}
		}
		if last {
			if _, err := j.conn.exec(stIDsDone, j.id); err != nil {
				return fmt.Errorf("clear the campaign's pending message ids: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	folded := len(j.ids)
	j.ids = j.ids[:0]
	if folded == 0 {
		return nil
	}
	return j.reconcileAside(j.opened)
}

// reconcileAside ties the callbacks kept aside since since to the rows that now have their message ids, when
// any is kept aside.
func (j *Journal) reconcileAside(since time.Time) error {
	ctx := context.Background()
	c := j.conn.conn
	var aside bool
	if err := c.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id IS NULL)
		OR EXISTS (SELECT 1 FROM inbound WHERE resolved = 0)`).Scan(&aside); err != nil {
		return fmt.Errorf("look for callbacks kept aside: %w", err)
	}
	if !aside {
		return nil
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reconcile callbacks: %w", err)
	}
	if err := reconcile(cbTx{j.s, tx}, since, time.Now()); err != nil {
		tx.Rollback()
		return fmt.Errorf("reconcile callbacks: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reconcile callbacks: %w", err)
	}
	return nil
}
