package store

import (
	"fmt"
	"time"
)

// MessagedFilter picks whose messages MessagedSince reads.
type MessagedFilter struct {
	// Since is the oldest message time read.
	Since time.Time
	// Profile keeps only campaigns of this profile; "" reads every profile.
	Profile string
	// ExceptCampaign leaves out the campaign of this name; "" leaves none out.
	ExceptCampaign string
}

// MessagedSince calls fn with every number a campaign of the store messaged (sent, unknown or in flight, also
// in an earlier CSV of a campaign: those rows are kept in its earlier-CSV record) at or after f.Since, with the time its request last left (for a message scheduled at the provider, the time it is to go). A number may
// come more than once. Only the campaigns that ran since then are read (their rows by primary key), so it costs
// the recent campaigns, not the store. Rows messaged before the schema had sent_at count from their last
// update.
func (s *Store) MessagedSince(f MessagedFilter, fn func(number string, at time.Time) error) error {
	since := f.Since.UnixMilli()
	// A run sets its campaign's status (and updated_at) when it starts and when it ends, so a campaign whose
	// rows were messaged since then was updated since then, or is still marked live (a run killed on the way), or
	// has rows scheduled at the provider for then or later (scheduled_until).
	// CROSS JOIN keeps the campaigns as the outer loop, so SQLite reads their rows by primary key and never scans
	// the rows of the other campaigns.
	rows, err := s.db.Query(`WITH recent AS MATERIALIZED (SELECT id FROM campaigns
			WHERE (updated_at >= ?1 OR scheduled_until >= ?1 OR status IN ('running', 'paused', 'stopping'))
				AND (?2 = '' OR profile = ?2) AND name != ?3)
		SELECT r.number, r.sent_at FROM recent CROSS JOIN rows r ON r.campaign_id = recent.id
		WHERE r.sent_at >= ?1 AND r.status IN ('sent', 'unknown', 'in_flight')`,
		since, f.Profile, f.ExceptCampaign)
	if err != nil {
		return fmt.Errorf("read the numbers messaged since %s: %w", f.Since.Format(time.RFC3339), err)
	}
	defer rows.Close()
	for rows.Next() {
		var number string
		var at int64
		if err := rows.Scan(&number, &at); err != nil {
			return fmt.Errorf("read the numbers messaged since %s: %w", f.Since.Format(time.RFC3339), err)
		}
		if err := fn(number, fromMillis(at)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the numbers messaged since %s: %w", f.Since.Format(time.RFC3339), err)
	}
	return nil
}

// EachNumber calls fn with the number of every row of the campaign in one of the statuses, in row order.
func (s *Store) EachNumber(id int64, statuses []string, fn func(number string) error) error {
	if len(statuses) == 0 {
		return nil
	}
	args := []any{id}
	in := ""
	for i, st := range statuses {
		if i > 0 {
			in += ", "
		}
		in += "?"
		args = append(args, st)
	}
	rows, err := s.db.Query(`SELECT number FROM rows WHERE campaign_id = ? AND status IN (`+in+`) ORDER BY row`,
		args...)
	if err != nil {
		return fmt.Errorf("campaign %d: read numbers: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var number string
		if err := rows.Scan(&number); err != nil {
			return fmt.Errorf("campaign %d: read numbers: %w", id, err)
		}
		if err := fn(number); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("campaign %d: read numbers: %w", id, err)
	}
	return nil
}
