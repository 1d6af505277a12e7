package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"herald/campaign/status"
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
	// Status is ready, invalid, duplicate, deferred or suppressed.
	Status string
	// Fields are the row's input cells, in column order.
	Fields []string
	// Code and Error say why a row is invalid, a duplicate, deferred or suppressed.
	Code, Error string
	// NotBefore is when a deferred row may be sent.
	NotBefore time.Time
}

// Loader stores a campaign's rows in batched transactions. It is used from one goroutine.
type Loader struct {
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

// LoadRows starts (re)building the campaign's rows. A new campaign is created. A campaign already planned with the
// same Fingerprint returns ErrSameInput and is left as it is. A campaign with another fingerprint (or a plan that
// never finished) keeps the numbers its rows already messaged (sent, unknown, in flight) in prior_numbers and
// those rows themselves in an earlier-CSV record (archiveMessaged), loses its other rows, takes info's template,
// paths, reading options and header, and is planned afresh.
func (s *Store) LoadRows(info CampaignInfo) (*Loader, error) {
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
		err := tx.QueryRow(`SELECT id, fingerprint FROM campaigns WHERE name = ? AND parent_id IS NULL`,
			info.Name).Scan(&id, &fingerprint)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.Exec(`INSERT INTO campaigns (name, template, template_path, profile, csv_path, header,
				separator, status, created_at, updated_at, region, phone_column) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				info.Name, info.Template, info.TemplatePath, info.Profile, info.CSVPath, header, sep,
				status.Planning, now, now, info.Region, info.PhoneColumn)
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
		if _, err := tx.Exec(`UPDATE prior_numbers SET in_current = 0 WHERE campaign_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT OR IGNORE INTO prior_numbers (campaign_id, number, status, message_id, row,
			sent_at) SELECT campaign_id, number, status, message_id, row, sent_at FROM rows
			WHERE campaign_id = ? AND status IN ('sent', 'unknown', 'in_flight') ORDER BY row`, id); err != nil {
			return err
		}
		if err := archiveMessaged(tx, id, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM rows WHERE campaign_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE campaigns SET template = ?, template_path = ?, profile = ?, csv_path = ?,
			fingerprint = '', header = ?, separator = ?, status = ?, reason = '', finished_at = NULL, updated_at = ?,
			region = ?, phone_column = ? WHERE id = ?`, info.Template, info.TemplatePath, info.Profile, info.CSVPath,
			header, sep, status.Planning, now, info.Region, info.PhoneColumn, id); err != nil {
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
	p := &Loader{s: s, id: id, fingerprint: info.Fingerprint, now: now, counts: map[string]int{}}
	p.insert, err = s.db.Prepare(`INSERT INTO rows (campaign_id, row, number, status, fields, error_code, error,
		not_before, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err == nil && hasPrior {
		p.prior, err = s.db.Prepare(`UPDATE prior_numbers SET in_current = 1 WHERE campaign_id = ? AND number = ?
			RETURNING status, message_id, row`)
	}
	if err != nil {
		p.closeStatements()
		return nil, fmt.Errorf("plan campaign %q: %w", info.Name, err)
	}
	return p, nil
}

// Add stores one row. A ready or deferred row whose number an earlier plan of the campaign already messaged is
// stored as skipped with the code already_messaged. After an error the planner only aborts.
func (p *Loader) Add(r NewRow) error {
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

func (p *Loader) add(r NewRow) error {
	switch r.Status {
	case status.Ready, status.Invalid, status.Duplicate, status.Suppressed, status.Skipped:
	case status.Deferred:
		if r.NotBefore.IsZero() {
			return fmt.Errorf("a deferred row needs the time it may be sent")
		}
	default:
		return fmt.Errorf("status %q; want ready, invalid, duplicate, deferred, suppressed or skipped", r.Status)
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
	// A row that may still go (a skipped session message's row may, once its person writes) is skipped as
	// already messaged when an earlier plan of the campaign messaged its number.
	if (r.Status == status.Ready || r.Status == status.Deferred || r.Status == status.Skipped) && p.prior != nil {
		var was, messageID string
		var row int
		err := p.txPrior.QueryRow(p.id, r.Number).Scan(&was, &messageID, &row)
		switch {
		case err == nil:
			r.Status, r.Code, r.Error = status.Skipped, status.CodeAlreadyMessaged, alreadyMessaged(was, messageID, row)
			r.NotBefore = time.Time{}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	p.fields = appendFields(p.fields[:0], r.Fields)
	if _, err := p.txInsert.Exec(p.id, r.Row, r.Number, r.Status, p.fields, r.Code, r.Error,
		nullMillis(r.NotBefore), p.now); err != nil {
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
func (p *Loader) Finish() (map[string]int, error) {
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
func (p *Loader) Abort() error {
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
func (p *Loader) closeStatements() {
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

// archiveMessaged keeps the rows of campaign id that were messaged (sent, unknown, in flight) when its CSV is
// replaced: they move, with their cells, outcomes and message ids, to a new child campaign that records the
// earlier CSV (its header and separator), so that results and exports still list them and later receipts
// still find them. Rows in flight become unknown, as they would at the next start.
func archiveMessaged(tx *sql.Tx, id int64, now int64) error {
	var messaged bool
	if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM rows WHERE campaign_id = ?
		AND status IN ('sent', 'unknown', 'in_flight'))`, id).Scan(&messaged); err != nil || !messaged {
		return err
	}
	var name string
	var earlier int
	if err := tx.QueryRow(`SELECT name, (SELECT COUNT(*) FROM campaigns WHERE parent_id = ?1) FROM campaigns
		WHERE id = ?1`, id).Scan(&name, &earlier); err != nil {
		return err
	}
	res, err := tx.Exec(`INSERT INTO campaigns (name, template, template_path, profile, csv_path, fingerprint,
		header, separator, status, reason, created_at, started_at, finished_at, updated_at, parent_id, region,
		phone_column) SELECT ?, template, template_path, profile, csv_path, fingerprint, header, separator, ?, '',
		created_at, started_at, finished_at, ?, id, region, phone_column FROM campaigns WHERE id = ?`,
		fmt.Sprintf("%s [earlier CSV %d]", name, earlier+1), status.Superseded, now, id)
	if err != nil {
		return fmt.Errorf("keep the rows of the earlier CSV: %w", err)
	}
	archive, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE rows SET campaign_id = ?, status = CASE status WHEN 'in_flight' THEN 'unknown'
		ELSE status END WHERE campaign_id = ? AND status IN ('sent', 'unknown', 'in_flight')`, archive, id); err != nil {
		return err
	}
	// The callbacks about those rows' messages, and the index of their ids, follow them (only messaged rows
	// have any).
	if _, err := tx.Exec(repairMessageRows, archive); err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE deliveries SET campaign_id = ? WHERE campaign_id = ?`, archive, id)
	return err
}
