package store

import (
	"database/sql"
	"fmt"
	"herald/campaign/status"
	"strings"
	"time"
)

// RecoverInFlight turns the campaign's in-flight rows, whose requests may have left when herald stopped, into
// unknown rows, and returns how many there were.
func (s *Store) RecoverInFlight(id int64) (int, error) {
	res, err := s.db.Exec(`UPDATE rows SET status = 'unknown', error_code = ?, error_class = 'unknown',
		error = 'the request may have left when herald stopped; not resent unless --resend-unknown', updated_at = ?
		WHERE campaign_id = ? AND status = 'in_flight'`, status.CodeInterrupted, time.Now().UnixMilli(), id)
	n, err := rowsChanged(res, err)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: recover rows in flight: %w", id, err)
	}
	return n, nil
}

// Requeue makes the campaign's rows in the given statuses (unknown and/or failed) ready again, keeping their
// attempt counts, and returns how many there were.
func (s *Store) Requeue(id int64, statuses ...string) (int, error) {
	if len(statuses) == 0 {
		return 0, fmt.Errorf("campaign %d: requeue: no status given", id)
	}
	args := []any{time.Now().UnixMilli(), id}
	for _, st := range statuses {
		if st != status.Unknown && st != status.Failed {
			return 0, fmt.Errorf("campaign %d: rows that are %s cannot be sent again; only unknown and failed "+
				"rows can", id, st)
		}
		args = append(args, st)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(statuses)), ", ")
	return s.requeue(id, `status IN (`+in+`)`, args...)
}

// RequeueRetryable makes the campaign's failed rows whose last error was retryable, rate limited or unknown
// ready again, keeping their attempt counts, and returns how many there were.
func (s *Store) RequeueRetryable(id int64) (int, error) {
	return s.requeue(id, `status = 'failed' AND error_class IN ('retryable', 'rate_limited', 'unknown')`,
		time.Now().UnixMilli(), id)
}

// CountRetryable counts the failed rows RequeueRetryable would make ready again.
func (s *Store) CountRetryable(id int64) (int, error) {
	var n int
	err := s.db.QueryRow(`SELECT COUNT(*) FROM rows WHERE campaign_id = ? AND status = 'failed'
		AND error_class IN ('retryable', 'rate_limited', 'unknown')`, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: count retryable rows: %w", id, err)
	}
	return n, nil
}

// requeue sets the rows matching where (arguments after the time and the campaign id) back to ready.
func (s *Store) requeue(id int64, where string, args ...any) (int, error) {
	res, err := s.db.Exec(`UPDATE rows SET status = 'ready', message_id = '', error_code = '', error = '',
		error_class = '', updated_at = ? WHERE campaign_id = ? AND `+where, args...)
	n, err := rowsChanged(res, err)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: requeue rows: %w", id, err)
	}
	return n, nil
}

// rowsChanged returns how many rows a statement changed.
func rowsChanged(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Row is one row as the store keeps it.
type Row struct {
	// Row is the 1-based data row number.
	Row int
	// Number is the normalized number; Status is one of the Status* values.
	Number, Status string
	// Fields are the input cells.
	Fields []string
	// MessageID is the provider's message id; Code, Error and Class describe the last failure.
	MessageID, Code, Error, Class string
	// Attempts counts the requests made for the row.
	Attempts int
	// Updated is the time of the last change.
	Updated time.Time
	// NotBefore is when a deferred row may be sent; zero for other rows.
	NotBefore time.Time
}

const rowColumns = `row, number, status, fields, message_id, error_code, error, error_class, attempts, updated_at,
	COALESCE(not_before, 0)`

// scanRows calls fn with each row of a query selecting rowColumns.
func scanRows(rows *sql.Rows, fn func(Row) error) error {
	defer rows.Close()
	for rows.Next() {
		var r Row
		var fields sql.RawBytes
		var updated, notBefore int64
		if err := rows.Scan(&r.Row, &r.Number, &r.Status, &fields, &r.MessageID, &r.Code, &r.Error, &r.Class,
			&r.Attempts, &updated, &notBefore); err != nil {
			return err
		}
		var err error
		if r.Fields, err = decodeFields(fields); err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		r.Updated, r.NotBefore = fromMillis(updated), fromMillis(notBefore)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReadyRows returns up to limit ready rows after row afterRow, in row order: one page for the dispatcher. It
// reads what sending a row needs (its number, cells and attempts so far), not what an earlier attempt left
// (MessageID, Code, Error, Class, Updated stay empty): every row sent is read here, so it reads 4 columns, not 11.
func (s *Store) ReadyRows(id int64, afterRow, limit int) ([]Row, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("campaign %d: read ready rows: the page size %d is not positive", id, limit)
	}
	rows, err := s.db.Query(`SELECT row, number, fields, attempts FROM rows WHERE campaign_id = ? AND status = 'ready'
		AND row > ? ORDER BY row LIMIT ?`, id, afterRow, limit)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read ready rows: %w", id, err)
	}
	defer rows.Close()
	page := make([]Row, 0, limit)
	for rows.Next() {
		r := Row{Status: status.Ready}
		var fields sql.RawBytes
		if err := rows.Scan(&r.Row, &r.Number, &fields, &r.Attempts); err != nil {
			return nil, fmt.Errorf("campaign %d: read ready rows: %w", id, err)
		}
		if r.Fields, err = decodeFields(fields); err != nil {
			return nil, fmt.Errorf("campaign %d: read ready rows: row %d: %w", id, r.Row, err)
		}
		page = append(page, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("campaign %d: read ready rows: %w", id, err)
	}
	return page, nil
}

// FeedRows is ReadyRows with, in row order among them, the rows skipped with the code reopen: rows the feeder
// asks about again when their turn comes (a session message's row skipped because the person had not written
// in 24 hours may go once they have). It reads every row after afterRow until it has limit of them: only
// campaigns that reopen rows use it.
func (s *Store) FeedRows(id int64, afterRow, limit int, reopen string) ([]Row, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("campaign %d: read rows to send: the page size %d is not positive", id, limit)
	}
	rows, err := s.db.Query(`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? AND row > ?
		AND (status = 'ready' OR (status = 'skipped' AND error_code = ?)) ORDER BY row LIMIT ?`, id, afterRow, reopen, limit)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read rows to send: %w", id, err)
	}
	page := make([]Row, 0, min(limit, 64))
	if err := scanRows(rows, func(r Row) error { page = append(page, r); return nil }); err != nil {
		return nil, fmt.Errorf("campaign %d: read rows to send: %w", id, err)
	}
	return page, nil
}

// EachRow calls fn with every row of the campaign in row order, streaming them from the file. It stops at fn's
// first error and returns it unchanged.
func (s *Store) EachRow(id int64, fn func(Row) error) error {
	return s.eachRow(fn, fmt.Sprintf("campaign %d: read rows", id),
		`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? ORDER BY row`, id)
}

// eachRow runs a query selecting rowColumns and calls fn with each row; fn's error is returned unchanged, a
// read error prefixed with what.
func (s *Store) eachRow(fn func(Row) error, what, query string, args ...any) error {
	rows, err := s.db.Query(query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var fnErr error
	err = scanRows(rows, func(r Row) error {
		fnErr = fn(r)
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
