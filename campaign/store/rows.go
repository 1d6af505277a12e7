package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"herald/campaign/status"
	"strings"
	"time"
)

// ErrSameInput is returned by Plan when the campaign's rows were already planned from the same inputs: the engine
// keeps them and resumes.
var ErrSameInput = errors.New("campaign already planned from the same inputs")

// planBatch is how many rows one planning transaction stores.
const planBatch = 5000

// NewRow is one checked row of the recipients CSV, as the planner stores it.
type NewRow struct {
	// Row is the 1-based data row number (the header is not counted).
	Row int
	// Number is the normalized number (digits, country code first); it may be empty for an invalid row.
	Number string
	// Status is ready, invalid or duplicate.
	Status string
	// Fields are the row's input cells, in column order.
	Fields []string
	// Code and Error say why a row is invalid or a duplicate.
	Code, Error string
}

// Planner stores a campaign's rows in batched transactions. It is used from one goroutine.
type Planner struct {
	s           *Store
	id          int64
	fingerprint string
	now         int64
	insert      *sql.Stmt
	prior       *sql.Stmt // nil when no earlier plan messaged anyone
	tx          *sql.Tx   // the open batch, nil between batches
	txInsert    *sql.Stmt // insert and prior bound to tx
	txPrior     *sql.Stmt
	inTx        int
	counts      map[string]int
	fields      []byte
	err         error
}

// Plan starts (re)building the campaign's rows. A new campaign is created. A campaign already planned with the
// same Fingerprint returns ErrSameInput and is left as it is. A campaign with another fingerprint (or a plan that
// never finished) keeps the numbers its rows already messaged (sent, unknown, in flight) in prior_numbers, loses
// its rows, takes info's template, paths and header, and is planned afresh.
func (s *Store) Plan(info CampaignInfo) (*Planner, error) {
	if info.Name == "" || info.Fingerprint == "" {
		return nil, fmt.Errorf("plan campaign %q: the name and the fingerprint must not be empty", info.Name)
	}
	header, err := json.Marshal(info.Header)
	if err != nil {
		return nil, fmt.Errorf("plan campaign %q: header: %w", info.Name, err)
	}
	if info.Header == nil {
		header = []byte("[]")
	}
	sep := string(info.Separator)
	if info.Separator == 0 {
		sep = ","
	}
	now := time.Now().UnixMilli()
	var id int64
	var hasPrior bool
	err = s.withTx(context.Background(), func(tx *sql.Tx) error {
		var fingerprint string
		err := tx.QueryRow(`SELECT id, fingerprint FROM campaigns WHERE name = ?`, info.Name).Scan(&id, &fingerprint)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.Exec(`INSERT INTO campaigns (name, template, template_path, profile, csv_path, header,
				separator, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				info.Name, info.Template, info.TemplatePath, info.Profile, info.CSVPath, header, sep,
				status.Planning, now, now)
			if err != nil {
				return err
			}
			id, err = res.LastInsertId()
			return err
		case err != nil:
			return err
		case fingerprint == info.Fingerprint:
			return ErrSameInput
		}
		if _, err := tx.Exec(`INSERT OR IGNORE INTO prior_numbers (campaign_id, number, status, message_id, row)
			SELECT campaign_id, number, status, message_id, row FROM rows
			WHERE campaign_id = ? AND status IN ('sent', 'unknown', 'in_flight') ORDER BY row`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM rows WHERE campaign_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE campaigns SET template = ?, template_path = ?, profile = ?, csv_path = ?,
			fingerprint = '', header = ?, separator = ?, status = ?, reason = '', finished_at = NULL, updated_at = ?
			WHERE id = ?`, info.Template, info.TemplatePath, info.Profile, info.CSVPath, header, sep,
			status.Planning, now, id); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM prior_numbers WHERE campaign_id = ?)`, id).Scan(&hasPrior)
	})
	if errors.Is(err, ErrSameInput) {
		return nil, ErrSameInput
	}
	if err != nil {
		return nil, fmt.Errorf("plan campaign %q: %w", info.Name, err)
	}
	p := &Planner{s: s, id: id, fingerprint: info.Fingerprint, now: now, counts: map[string]int{}}
	p.insert, err = s.db.Prepare(`INSERT INTO rows (campaign_id, row, number, status, fields, error_code, error,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err == nil && hasPrior {
		p.prior, err = s.db.Prepare(`SELECT status, message_id, row FROM prior_numbers
			WHERE campaign_id = ? AND number = ?`)
	}
	if err != nil {
		p.closeStatements()
		return nil, fmt.Errorf("plan campaign %q: %w", info.Name, err)
	}
	return p, nil
}

// Add stores one row. A ready row whose number an earlier plan of the campaign already messaged is stored as
// skipped with the code already_messaged. After an error the planner only aborts.
func (p *Planner) Add(r NewRow) error {
	if p.err != nil {
		return p.err
	}
	if err := p.add(r); err != nil {
		p.err = fmt.Errorf("plan row %d: %w", r.Row, err)
		p.closeStatements()
		return p.err
	}
	return nil
}

func (p *Planner) add(r NewRow) error {
	if r.Status != status.Ready && r.Status != status.Invalid && r.Status != status.Duplicate {
		return fmt.Errorf("status %q; want ready, invalid or duplicate", r.Status)
	}
	if r.Row < 1 {
		return fmt.Errorf("row numbers start at 1")
	}
	if p.tx == nil {
		tx, err := p.s.db.Begin()
		if err != nil {
			return err
		}
		p.tx, p.inTx, p.txInsert = tx, 0, tx.Stmt(p.insert)
		if p.prior != nil {
			p.txPrior = tx.Stmt(p.prior)
		}
	}
	if r.Status == status.Ready && p.prior != nil {
		var was, messageID string
		var row int
		err := p.txPrior.QueryRow(p.id, r.Number).Scan(&was, &messageID, &row)
		switch {
		case err == nil:
			r.Status, r.Code, r.Error = status.Skipped, status.CodeAlreadyMessaged, alreadyMessaged(was, messageID, row)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	p.fields = appendFields(p.fields[:0], r.Fields)
	if _, err := p.txInsert.Exec(p.id, r.Row, r.Number, r.Status, p.fields, r.Code, r.Error,
		p.now); err != nil {
		return err
	}
	p.counts[r.Status]++
	if p.inTx++; p.inTx >= planBatch {
		tx := p.tx
		p.tx = nil
		return tx.Commit()
	}
	return nil
}

// alreadyMessaged is the reason a row is skipped because an earlier plan messaged its number.
func alreadyMessaged(was, messageID string, row int) string {
	what := was
	switch was {
	case status.InFlight, status.Unknown:
		what = "possibly sent (outcome unknown)"
	}
	id := "no message id"
	if messageID != "" {
		id = "message id " + messageID
	}
	return fmt.Sprintf("an earlier plan of this campaign already messaged this number (row %d, %s, %s), so it "+
		"is not messaged again; use a new --campaign name to message it anyway", row, what, id)
}

// Finish commits the rows, marks the campaign planned with the plan's fingerprint, and returns rows per status.
func (p *Planner) Finish() (map[string]int, error) {
	if p.err != nil {
		p.Abort()
		return nil, p.err
	}
	defer p.closeStatements()
	if p.tx == nil {
		tx, err := p.s.db.Begin()
		if err != nil {
			return nil, fmt.Errorf("finish plan of campaign %d: %w", p.id, err)
		}
		p.tx = tx
	}
	tx := p.tx
	p.tx = nil
	if _, err := tx.Exec(`UPDATE campaigns SET fingerprint = ?, status = ?, updated_at = ? WHERE id = ?`,
		p.fingerprint, status.Planned, time.Now().UnixMilli(), p.id); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("finish plan of campaign %d: %w", p.id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("finish plan of campaign %d: %w", p.id, err)
	}
	p.err = errors.New("the plan is finished")
	return p.counts, nil
}

// Abort drops the rows not yet committed. The campaign stays in planning and the next Plan builds it afresh.
func (p *Planner) Abort() error {
	defer p.closeStatements()
	if p.tx == nil {
		return nil
	}
	tx := p.tx
	p.tx = nil
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("abort plan of campaign %d: %w", p.id, err)
	}
	return nil
}

// closeStatements rolls back an open batch and releases the prepared statements; it may run more than once.
func (p *Planner) closeStatements() {
	if p.tx != nil {
		p.tx.Rollback()
		p.tx = nil
	}
	for _, st := range []*sql.Stmt{p.insert, p.prior} {
		if st != nil {
			st.Close()
		}
	}
	p.insert, p.prior = nil, nil
}

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
}

const rowColumns = `row, number, status, fields, message_id, error_code, error, error_class, attempts, updated_at`

// scanRows calls fn with each row of a query selecting rowColumns.
func scanRows(rows *sql.Rows, fn func(Row) error) error {
	defer rows.Close()
	for rows.Next() {
		var r Row
		var fields sql.RawBytes
		var updated int64
		if err := rows.Scan(&r.Row, &r.Number, &r.Status, &fields, &r.MessageID, &r.Code, &r.Error, &r.Class,
			&r.Attempts, &updated); err != nil {
			return err
		}
		var err error
		if r.Fields, err = decodeFields(fields); err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		r.Updated = fromMillis(updated)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReadyRows returns up to limit ready rows after row afterRow, in row order: one page for the dispatcher.
func (s *Store) ReadyRows(id int64, afterRow, limit int) ([]Row, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("campaign %d: read ready rows: the page size %d is not positive", id, limit)
	}
	rows, err := s.db.Query(`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? AND status = 'ready'
		AND row > ? ORDER BY row LIMIT ?`, id, afterRow, limit)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read ready rows: %w", id, err)
	}
	page := make([]Row, 0, limit)
	if err := scanRows(rows, func(r Row) error { page = append(page, r); return nil }); err != nil {
		return nil, fmt.Errorf("campaign %d: read ready rows: %w", id, err)
	}
	return page, nil
}

// EachRow calls fn with every row of the campaign in row order, streaming them from the file. It stops at fn's
// first error and returns it unchanged.
func (s *Store) EachRow(id int64, fn func(Row) error) error {
	rows, err := s.db.Query(`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? ORDER BY row`, id)
	if err != nil {
		return fmt.Errorf("campaign %d: read rows: %w", id, err)
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
		return fmt.Errorf("campaign %d: read rows: %w", id, err)
	}
	return nil
}

// appendFields appends the compact encoding of fields to dst: the count, then each cell's length and bytes,
// lengths as unsigned varints.
func appendFields(dst []byte, fields []string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(fields)))
	for _, f := range fields {
		dst = binary.AppendUvarint(dst, uint64(len(f)))
		dst = append(dst, f...)
	}
	return dst
}

// decodeFields reverses appendFields; the cells share one string allocation.
func decodeFields(b []byte) ([]string, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, errors.New("stored cells are corrupt")
	}
	all := string(b)
	fields := make([]string, n)
	for i := range fields {
		size, m := binary.Uvarint(b[k:])
		if m <= 0 || size > uint64(len(b)-k-m) {
			return nil, errors.New("stored cells are corrupt")
		}
		k += m
		fields[i] = all[k : k+int(size)]
		k += int(size)
	}
	if k != len(b) {
		return nil, errors.New("stored cells are corrupt")
	}
	return fields, nil
}
