package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"herald/campaign/status"
)

// Where an opt-out came from, as the opt-out list's source column shows it.
const (
	// SourceReply: the number replied with an opt-out keyword (STOP, ...).
	SourceReply = "reply"
	// SourceButton: the number tapped a quick reply the template marks opt_out.
	SourceButton = "button"
	// SourceManual: herald optouts add.
	SourceManual = "manual"
	// SourceImport: herald optouts import.
	SourceImport = "import"
	// SourceRehearsal: a reply to the sandbox. It suppresses the number only in campaigns sent to the sandbox,
	// so that rehearsing with a real CSV never opts real customers out.
	SourceRehearsal = "sandbox"
)

// optOutSource is source, or the rehearsal source for the sandbox.
func optOutSource(source string, rehearsal bool) string {
	if rehearsal {
		return SourceRehearsal
	}
	return source
}

// OptOut is one number on the opt-out list.
type OptOut struct {
	// Number is the normalized number: digits, country code first.
	Number string
	// Added is when it opted out (the reply's time) or was added.
	Added time.Time
	// Source is one of the Source* values; Note says more (the reply's text, the user's note).
	Source, Note string
}

// addOptOut puts a number on the list from a reply or a button tap; when it is there already from another
// reply, the earlier one is kept, so that duplicates and any order end the same.
func addOptOut(tx cbTx, number string, at int64, source, note string) error {
	_, err := tx.exec(`INSERT INTO optouts (number, added_at, source, note) VALUES (?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET added_at = excluded.added_at, source = excluded.source, note = excluded.note
		WHERE excluded.added_at < optouts.added_at AND optouts.source IN (?, ?, ?)`,
		number, at, source, note, SourceReply, SourceButton, SourceRehearsal)
	if err != nil {
		return fmt.Errorf("add %s to the opt-out list: %w", number, err)
	}
	return nil
}

// AddOptOuts puts numbers on the opt-out list in one transaction and returns how many were not on it yet; a
// number already there keeps its entry.
func (s *Store) AddOptOuts(list []OptOut) (int, error) {
	added := 0
	err := s.withTx(context.Background(), func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO optouts (number, added_at, source, note) VALUES (?, ?, ?, ?)
			ON CONFLICT (number) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, o := range list {
			at := o.Added
			if at.IsZero() {
				at = time.Now()
			}
			n, err := rowsChanged(st.Exec(o.Number, at.UnixMilli(), o.Source, o.Note))
			if err != nil {
				return fmt.Errorf("%s: %w", o.Number, err)
			}
			added += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("state store %s: add to the opt-out list: %w", s.path, err)
	}
	return added, nil
}

// RemoveOptOuts takes numbers off the opt-out list and returns how many were on it.
func (s *Store) RemoveOptOuts(numbers []string) (int, error) {
	removed := 0
	err := s.withTx(context.Background(), func(tx *sql.Tx) error {
		for _, n := range numbers {
			k, err := rowsChanged(tx.Exec(`DELETE FROM optouts WHERE number = ?`, n))
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
			removed += k
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("state store %s: remove from the opt-out list: %w", s.path, err)
	}
	return removed, nil
}

// EachOptOut calls fn with every number on the opt-out list, in number order.
func (s *Store) EachOptOut(fn func(OptOut) error) error {
	rows, err := s.db.Query(`SELECT number, added_at, source, note FROM optouts ORDER BY number`)
	if err != nil {
		return fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var o OptOut
		var at int64
		if err := rows.Scan(&o.Number, &at, &o.Source, &o.Note); err != nil {
			return fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
		}
		o.Added = fromMillis(at)
		if err := fn(o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
	}
	return nil
}

// OptedOut returns the numbers a campaign must not message: the whole list for a campaign sent to the sandbox,
// the list without the sandbox's own opt-outs otherwise.
func (s *Store) OptedOut(rehearsal bool) (map[string]struct{}, error) {
	query, args := `SELECT number FROM optouts WHERE source <> ?`, []any{SourceRehearsal}
	if rehearsal {
		query, args = `SELECT number FROM optouts`, nil
	}
	rows, err := s.db.Query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
	}
	defer rows.Close()
	set := map[string]struct{}{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
		}
		set[n] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("state store %s: read the opt-out list: %w", s.path, err)
	}
	return set, nil
}

// OptOutButton is a quick-reply button a campaign's template marks opt_out: a tap on it, answering one of the
// campaign's messages, opts the sender out. Payload is empty when it is filled per row.
type OptOutButton struct {
	Label, Payload string
}

// SetOptOutButtons records the campaign's opt-out buttons, replacing what it had.
func (s *Store) SetOptOutButtons(campaignID int64, buttons []OptOutButton) error {
	err := s.withTx(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM optout_buttons WHERE campaign_id = ?`, campaignID); err != nil {
			return err
		}
		for _, b := range buttons {
			if _, err := tx.Exec(`INSERT OR IGNORE INTO optout_buttons (campaign_id, label, payload) VALUES (?, ?, ?)`,
				campaignID, b.Label, b.Payload); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state store %s: campaign %d: record its opt-out buttons: %w", s.path, campaignID, err)
	}
	return nil
}

// isOptOutButton reports whether a tap (its label and payload) is on one of the campaign's opt-out buttons.
func isOptOutButton(tx cbTx, campaignID int64, label, payload string) (bool, error) {
	var yes bool
	err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM optout_buttons WHERE campaign_id = ?1
		AND ((?2 <> '' AND label = ?2) OR (?3 <> '' AND payload = ?3)))`, campaignID, label, payload).Scan(&yes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("check the campaign's opt-out buttons: %w", err)
	}
	return yes, nil
}

// SuppressOptedOut marks the campaign's ready rows whose number is on the opt-out list suppressed (code
// opted_out), for a campaign resumed after numbers opted out, and returns how many there were. rehearsal also
// counts the sandbox's own opt-outs (see OptedOut).
func (s *Store) SuppressOptedOut(id int64, rehearsal bool, reason string) (int, error) {
	res, err := s.db.Exec(`UPDATE rows SET status = ?, error_code = ?, error = ?, updated_at = ?
		WHERE campaign_id = ? AND status = ? AND number IN (SELECT number FROM optouts WHERE ? OR source <> ?)`,
		status.Suppressed, status.CodeOptedOut, reason, time.Now().UnixMilli(), id, status.Ready, rehearsal,
		SourceRehearsal)
	n, err := rowsChanged(res, err)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: suppress opted-out rows: %w", id, err)
	}
	return n, nil
}
