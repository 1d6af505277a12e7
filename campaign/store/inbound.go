package store

import (
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
