package store

import (
	"database/sql"
	"fmt"
	"time"

	"herald/providers"
)

// WroteSince reports whether number sent the business a message at or after since (the 24-hour window for
// session messages).
func (s *Store) WroteSince(number string, since time.Time) (bool, error) {
	var yes bool
	err := s.db.QueryRow(`SELECT EXISTS (SELECT 1 FROM inbound WHERE number = ? AND at >= ?)`, number,
		since.UnixMilli()).Scan(&yes)
	if err != nil {
		return false, fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
	}
	return yes, nil
}

// LastInbound returns when number last wrote to the business through profile (its webhook), and whether it ever
// did: the start of its 24-hour window for session messages.
func (s *Store) LastInbound(profile, number string) (time.Time, bool, error) {
	var at sql.NullInt64
	err := s.db.QueryRow(`SELECT MAX(at) FROM inbound WHERE number = ? AND profile = ?`, number, profile).Scan(&at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("state store %s: read when %s last wrote: %w", s.path, number, err)
	}
	return fromMillis(at.Int64), at.Valid, nil
}

// EachLastInbound calls fn with every number that wrote to the business through profile and when it last did,
// stopping at fn's first error.
func (s *Store) EachLastInbound(profile string, fn func(number string, at time.Time) error) error {
	rows, err := s.db.Query(`SELECT number, MAX(at) FROM inbound WHERE profile = ? GROUP BY number`, profile)
	if err != nil {
		return fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var number string
		var at int64
		if err := rows.Scan(&number, &at); err != nil {
			return fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
		}
		if err := fn(number, fromMillis(at)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
	}
	return nil
}

// CountSkippedWrote counts the campaign's rows skipped with code whose number wrote to the business through
// profile at or after since: the rows of a session message a run may send now.
func (s *Store) CountSkippedWrote(id int64, code, profile string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(`SELECT COUNT(*) FROM rows r WHERE r.campaign_id = ? AND r.status = 'skipped'
		AND r.error_code = ? AND EXISTS (SELECT 1 FROM inbound i WHERE i.number = r.number AND i.profile = ?
		AND i.at >= ?)`, id, code, profile, since.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("campaign %d: count the skipped rows whose number wrote since: %w", id, err)
	}
	return n, nil
}

// InboundFrom returns the messages number sent the business, oldest first, each once however often its
// callback came.
func (s *Store) InboundFrom(number string) ([]providers.Inbound, error) {
	rows, err := s.db.Query(`SELECT id, number, at, type, text, button_payload, button_text, context_id
		FROM inbound WHERE number = ? ORDER BY at, id`, number)
	if err != nil {
		return nil, fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
	}
	defer rows.Close()
	var out []providers.Inbound
	for rows.Next() {
		var in providers.Inbound
		var at int64
		if err := rows.Scan(&in.ID, &in.From, &at, &in.Type, &in.Text, &in.ButtonPayload, &in.ButtonText,
			&in.ContextID); err != nil {
			return nil, fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
		}
		in.At = fromMillis(at)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("state store %s: read inbound messages: %w", s.path, err)
	}
	return out, nil
}
