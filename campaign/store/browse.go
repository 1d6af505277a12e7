package store

import (
	"errors"
	"fmt"
	"strings"
)

// Row returns one row of the campaign by its row number, and whether it exists.
func (s *Store) Row(id int64, row int) (Row, bool, error) {
	rows, err := s.db.Query(`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? AND row = ?`, id, row)
	if err != nil {
		return Row{}, false, fmt.Errorf("campaign %d: read row %d: %w", id, row, err)
	}
	var got Row
	found := false
	if err := scanRows(rows, func(r Row) error { got, found = r, true; return nil }); err != nil {
		return Row{}, false, fmt.Errorf("campaign %d: read row %d: %w", id, row, err)
	}
	return got, found, nil
}

// Rows returns up to limit rows of the campaign after row afterRow, in row order, with one of statuses (every
// row when none is given): a page for a screen that browses a campaign.
func (s *Store) Rows(id int64, afterRow, limit int, statuses ...string) ([]Row, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("campaign %d: read rows: the page size %d is not positive", id, limit)
	}
	query := `SELECT ` + rowColumns + ` FROM rows WHERE campaign_id = ? AND row > ?`
	args := []any{id, afterRow}
	if len(statuses) > 0 {
		query += ` AND status IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(statuses)), ", ") + `)`
		for _, st := range statuses {
			args = append(args, st)
		}
	}
	rows, err := s.db.Query(query+` ORDER BY row LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read rows: %w", id, err)
	}
	var page []Row
	if err := scanRows(rows, func(r Row) error { page = append(page, r); return nil }); err != nil {
		return nil, fmt.Errorf("campaign %d: read rows: %w", id, err)
	}
	return page, nil
}

// ErrBusy is returned by Lock when another holder has the campaign's lock.
var ErrBusy = errors.New("is running in another herald process")

// Busy reports whether some herald process (this one included) holds the campaign's lock now, that is,
// whether a run of it is live. A campaign whose stored status says running while nobody holds its lock was
// interrupted (a crash, a kill, a closed terminal).
func (s *Store) Busy(name string) (bool, error) {
	unlock, err := s.Lock(name)
	if errors.Is(err, ErrBusy) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, unlock()
}
