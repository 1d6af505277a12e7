package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
)

// journalCheckpoint is the journal connection's wal_autocheckpoint, in pages: the WAL grows to about 40 MB
// before a commit copies it back into the database file. Each row's message id lands at a random place of the
// index of message ids, so every message dirties a page of its own; the larger the WAL, the more of those pages
// a checkpoint finds written several times and copies once (SQLite's default, 1,000 pages, copied nearly every
// page once per write: measured, 10-20% of the journal's CPU at 300,000 rows and more).
const journalCheckpoint = 10_000

// sqliteDefaultCheckpoint is SQLite's own wal_autocheckpoint, given back to the connection when the journal
// returns it to the pool.
const sqliteDefaultCheckpoint = 1000

// journalStmt names one of the journal's prepared statements.
type journalStmt int

const (
	stBegin journalStmt = iota
	stCommit
	stRollback
	stMarkRange
	stUnmark
	stRecordSent
	stRecord
	stDefer
	stSchedule
	stStatus
	stScheduledUntil
	stSavepoint
	stRollbackTo
	stRelease
	stMessageRow
	stMessageRows
	stIDsDone
	stTouch
	journalStmts
)

// journalSQL is the text of each statement. Only a deferral writes not_before, so that the marks and outcomes
// of the hot path leave the rows_deferred index alone (a deferred row leaves it by its status; its stale
// not_before is never read).
var journalSQL = [journalStmts]string{
	stBegin:    `BEGIN IMMEDIATE`,
	stCommit:   `COMMIT`,
	stRollback: `ROLLBACK`,
	stMarkRange: `UPDATE rows SET status = 'in_flight', attempts = ?, updated_at = ?, sent_at = ?
		WHERE campaign_id = ? AND row BETWEEN ? AND ? AND status IN ('ready', 'in_flight', 'deferred')`,
	stUnmark: `UPDATE rows SET status = 'ready', attempts = ?, updated_at = ?
		WHERE campaign_id = ? AND row = ? AND status = 'in_flight'`,
	// stRecordSent is stRecord for the common outcome, a message sent at once: it binds 5 values instead of 9
	// (the driver copies each text it binds), 8% of the journal's CPU.
	stRecordSent: `UPDATE rows SET status = 'sent', message_id = ?, error_code = '', error = '', error_class = '',
		attempts = max(attempts, ?), updated_at = ? WHERE campaign_id = ? AND row = ?`,
	stRecord: `UPDATE rows SET status = ?, message_id = ?, error_code = ?, error = ?, error_class = ?,
		attempts = max(attempts, ?), updated_at = ? WHERE campaign_id = ? AND row = ?`,
	stDefer: `UPDATE rows SET status = ?, message_id = ?, error_code = ?, error = ?, error_class = ?,
		attempts = max(attempts, ?), updated_at = ?, not_before = ? WHERE campaign_id = ? AND row = ?`,
	stSchedule: `UPDATE rows SET status = ?, message_id = ?, error_code = ?, error = ?, error_class = ?,
		attempts = max(attempts, ?), updated_at = ?, not_before = ?, sent_at = ? WHERE campaign_id = ? AND row = ?`,
	stStatus:         `SELECT status FROM rows WHERE campaign_id = ? AND row = ?`,
	stScheduledUntil: `UPDATE campaigns SET scheduled_until = max(scheduled_until, ?) WHERE id = ?`,
	stSavepoint:      `SAVEPOINT mark_many`,
	stRollbackTo:     `ROLLBACK TO mark_many`,
	stRelease:        `RELEASE mark_many`,
	stMessageRow:     `INSERT OR IGNORE INTO message_keys (key, campaign_id, row) VALUES (?, ?, ?)`,
	stMessageRows: `INSERT OR IGNORE INTO message_keys (key, campaign_id, row) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", foldChunk), ", "),
	stIDsDone: `UPDATE campaigns SET message_ids_pending = 0 WHERE id = ?`,
	// stTouch rewrites the campaign's row as it is: a durable commit with nothing else to write.
	stTouch: `UPDATE campaigns SET message_ids_pending = message_ids_pending WHERE id = ?`,
}

// journalConn is the journal's own connection to the state store, held for the journal's life, with every
// statement prepared once on it and run through the SQLite driver directly: database/sql's locks, argument
// conversions and allocations per statement were a tenth of the journal's CPU, and a statement prepared on the
// pool was prepared again for each transaction's connection. Only the journal's goroutine uses it.
type journalConn struct {
	store *Store
	conn  *sql.Conn
	stmts [journalStmts]driver.Stmt
	// args is reused by every statement: the driver copies the values it binds.
	args []driver.NamedValue
	// normal is set while the connection commits with synchronous=NORMAL (journal_durable.go); unsynced while a
	// commit made with NORMAL is not yet followed by one made with FULL.
	normal, unsynced bool
}

// openJournalConn takes a connection from s's pool for a journal and prepares its statements.
func openJournalConn(s *Store) (*journalConn, error) {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open a connection: %w", err)
	}
	c := &journalConn{store: s, conn: conn, args: make([]driver.NamedValue, 0, 11)}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", journalCheckpoint)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("set the checkpoint size: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("the SQLite driver's connection (%T) cannot prepare statements", dc)
		}
		for i, query := range journalSQL {
			if query == "" {
				return fmt.Errorf("journal statement %d has no text", i)
			}
			st, err := prep.PrepareContext(ctx, query)
			if err != nil {
				return fmt.Errorf("prepare %q: %w", query, err)
			}
			if _, ok := st.(driver.StmtExecContext); !ok {
				st.Close()
				return fmt.Errorf("the SQLite driver's statement (%T) cannot run with a context", st)
			}
			c.stmts[i] = st
		}
		return nil
	})
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// close releases the statements and gives the connection back to the pool with the store's synchronous setting
// and SQLite's own checkpoint size.
func (c *journalConn) close() {
	_ = c.setDurable(true)
	_ = c.conn.Raw(func(any) error {
		for i, st := range c.stmts {
			if st != nil {
				st.Close()
				c.stmts[i] = nil
			}
		}
		return nil
	})
	_, _ = c.conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", sqliteDefaultCheckpoint))
	c.conn.Close()
}

// errStoreClosed is the journal's error once its store was closed under it.
var errStoreClosed = errors.New("the state store's database is closed")

// transaction runs fn in one write transaction: committed when fn returns nil, rolled back otherwise. A durable
// one commits with the store's setting; another may commit with synchronous=NORMAL (journal_durable.go).
func (c *journalConn) transaction(durable bool, fn func() error) error {
	if c.store.closed.Load() {
		return errStoreClosed
	}
	if err := c.setDurable(durable); err != nil {
		return err
	}
	return c.conn.Raw(func(any) error {
		if _, err := c.exec(stBegin); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		if err := fn(); err != nil {
			_, _ = c.exec(stRollback)
			return err
		}
		if _, err := c.exec(stCommit); err != nil {
			_, _ = c.exec(stRollback)
			return fmt.Errorf("commit: %w", err)
		}
		c.unsynced = c.normal
		return nil
	})
}

// exec runs statement id with args (int, int64, string or nil values) within transaction's fn and returns how
// many rows it changed.
func (c *journalConn) exec(id journalStmt, args ...any) (int, error) {
	res, err := c.stmts[id].(driver.StmtExecContext).ExecContext(context.Background(), c.bind(args))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// status reads a row's status within transaction's fn; ok is false when the campaign has no such row.
func (c *journalConn) status(id int64, row int) (status string, ok bool, err error) {
	rows, err := c.stmts[stStatus].(driver.StmtQueryContext).QueryContext(context.Background(),
		c.bind([]any{id, int64(row)}))
	if err != nil {
		return "", false, err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	switch err := rows.Next(dest); {
	case errors.Is(err, io.EOF):
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	switch v := dest[0].(type) {
	case string:
		return v, true, nil
	case []byte:
		return string(v), true, nil
	}
	return "", false, fmt.Errorf("status of type %T", dest[0])
}

// execMessageRows runs stMessageRows for foldChunk ids of campaign id within transaction's fn.
func (c *journalConn) execMessageRows(id int64, ids []messageRow) error {
	c.args = c.args[:0]
	for i, m := range ids {
		c.args = append(c.args,
			driver.NamedValue{Ordinal: 3*i + 1, Value: m.key},
			driver.NamedValue{Ordinal: 3*i + 2, Value: id},
			driver.NamedValue{Ordinal: 3*i + 3, Value: int64(m.row)})
	}
	_, err := c.stmts[stMessageRows].(driver.StmtExecContext).ExecContext(context.Background(), c.args)
	return err
}

// bind fills the reused argument slice with values; an int becomes the int64 the driver binds.
func (c *journalConn) bind(values []any) []driver.NamedValue {
	c.args = c.args[:0]
	for i, v := range values {
		if n, ok := v.(int); ok {
			v = int64(n)
		}
		c.args = append(c.args, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	return c.args
}
