package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// DeferredCursor is where the feeder is in the deferred rows: the (not_before, row) of the last row it took.
// Rows deferred while a run goes on get a time after the run's clock, so they always sort after the cursor.
type DeferredCursor struct {
	At  time.Time
	Row int
}

// after is the cursor as the two query arguments.
func (c DeferredCursor) after() (int64, int) {
	if c.At.IsZero() {
		return 0, c.Row
	}
	return c.At.UnixMilli(), c.Row
}

// DueRows returns up to limit deferred rows whose time is at or before now and that come after the cursor in
// (not_before, row) order: one page for the feeder, read from the rows_deferred index.
func (s *Store) DueRows(id int64, now time.Time, after DeferredCursor, limit int) ([]Row, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("campaign %d: read due rows: the page size %d is not positive", id, limit)
	}
	at, row := after.after()
	rows, err := s.db.Query(`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? AND status = 'deferred'
		AND (not_before, row) > (?, ?) AND not_before <= ? ORDER BY not_before, row LIMIT ?`,
		id, at, row, now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read due rows: %w", id, err)
	}
	page := make([]Row, 0, min(limit, 64))
	if err := scanRows(rows, func(r Row) error { page = append(page, r); return nil }); err != nil {
		return nil, fmt.Errorf("campaign %d: read due rows: %w", id, err)
	}
	return page, nil
}

// NextDeferred returns the time and code of the first deferred row after the cursor; ok is false when there is
// none.
func (s *Store) NextDeferred(id int64, after DeferredCursor) (at time.Time, code string, ok bool, err error) {
	a, row := after.after()
	var ms int64
	err = s.db.QueryRow(`SELECT not_before, error_code FROM rows WHERE campaign_id = ? AND status = 'deferred'
		AND (not_before, row) > (?, ?) ORDER BY not_before, row LIMIT 1`, id, a, row).Scan(&ms, &code)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, "", false, nil
	case err != nil:
		return time.Time{}, "", false, fmt.Errorf("campaign %d: read the next deferred row: %w", id, err)
	}
	return fromMillis(ms), code, true, nil
}

// CountDeferred counts the campaign's deferred rows whose time is in [from, to) (a zero to: no end), and
// returns the first time among them; it reads the rows_deferred index alone.
func (s *Store) CountDeferred(id int64, from, to time.Time) (n int, first time.Time, err error) {
	end := int64(1<<63 - 1)
	if !to.IsZero() {
		end = to.UnixMilli()
	}
	var min sql.NullInt64
	err = s.db.QueryRow(`SELECT COUNT(*), MIN(not_before) FROM rows WHERE campaign_id = ? AND status = 'deferred'
		AND not_before >= ? AND not_before < ?`, id, from.UnixMilli(), end).Scan(&n, &min)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("campaign %d: count deferred rows: %w", id, err)
	}
	return n, fromMillis(min.Int64), nil
}

// CountDeferredFor counts the campaign's rows deferred for one code (status.CodeMessagingLimit, ...).
func (s *Store) CountDeferredFor(id int64, code string) (int, error) {
	var n int
	err := s.db.QueryRow(`SELECT COUNT(*) FROM rows WHERE campaign_id = ? AND status = 'deferred'
		AND error_code = ?`, id, code).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: count rows deferred for %s: %w", id, code, err)
	}
	return n, nil
}

// ReleaseDeferred makes the campaign's rows deferred for code ready again (a run without the guard that deferred
// them sends them at once), and returns how many there were.
func (s *Store) ReleaseDeferred(id int64, code string) (int, error) {
	res, err := s.db.Exec(`UPDATE rows SET status = 'ready', error_code = '', error = '', updated_at = ?
		WHERE campaign_id = ? AND status = 'deferred' AND error_code = ?`, time.Now().UnixMilli(), id, code)
	n, err := rowsChanged(res, err)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: release rows deferred for %s: %w", id, code, err)
	}
	return n, nil
}
