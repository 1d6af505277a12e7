package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"herald/campaign/status"
	"time"
)

// campaignStatuses are the statuses SetCampaignStatus accepts.
var campaignStatuses = map[string]bool{
	status.Planning: true, status.Planned: true, status.Running: true, status.Paused: true, status.Stopped: true,
	status.Finished: true,
}

// CampaignInfo describes a campaign: its identity, what it sends, and where it stands.
type CampaignInfo struct {
	// ID is the store's key for the campaign.
	ID int64
	// Name is the campaign identity (--campaign).
	Name string
	// Template is the template's name at the provider; TemplatePath is the template file.
	Template, TemplatePath string
	// Profile is the provider profile's name.
	Profile string
	// CSVPath is the recipients file; Region and PhoneColumn the options it was read with (--region,
	// --phone-column; "" for none).
	CSVPath, Region, PhoneColumn string
	// Fingerprint identifies the inputs the rows were planned from; it is empty while a plan is being stored.
	Fingerprint string
	// Header is the recipients CSV's header row.
	Header []string
	// Separator is the recipients CSV's field separator.
	Separator rune
	// Status is planning, planned or one of the engine's State* values; Reason says why it stopped or paused.
	Status, Reason string
	// Created, Started, Finished and Updated are zero when not set.
	Created, Started, Finished, Updated time.Time
	// Counts holds rows per status, filled by Campaign and Campaigns.
	Counts map[string]int
}

const campaignColumns = `id, name, template, template_path, profile, csv_path, fingerprint, header, separator,
	status, reason, created_at, started_at, finished_at, updated_at, region, phone_column`

// scanCampaign reads one campaigns row selected with campaignColumns.
func scanCampaign(scan func(...any) error) (CampaignInfo, error) {
	var c CampaignInfo
	var header, sep string
	var created, updated int64
	var started, finished sql.NullInt64
	err := scan(&c.ID, &c.Name, &c.Template, &c.TemplatePath, &c.Profile, &c.CSVPath, &c.Fingerprint, &header,
		&sep, &c.Status, &c.Reason, &created, &started, &finished, &updated, &c.Region, &c.PhoneColumn)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(header), &c.Header); err != nil {
		return c, fmt.Errorf("campaign %q: stored header: %w", c.Name, err)
	}
	for _, r := range sep {
		c.Separator = r
		break
	}
	c.Created, c.Updated = fromMillis(created), fromMillis(updated)
	c.Started, c.Finished = fromMillis(started.Int64), fromMillis(finished.Int64)
	return c, nil
}

// Campaign returns the campaign called name with its row counts, and whether it exists.
func (s *Store) Campaign(name string) (CampaignInfo, bool, error) {
	row := s.db.QueryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE name = ?`, name)
	c, err := scanCampaign(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return CampaignInfo{}, false, nil
	}
	if err != nil {
		return CampaignInfo{}, false, fmt.Errorf("read campaign %q: %w", name, err)
	}
	if c.Counts, err = s.Counts(c.ID); err != nil {
		return CampaignInfo{}, false, err
	}
	return c, true, nil
}

// Campaigns returns every campaign, newest first, with its row counts.
func (s *Store) Campaigns() ([]CampaignInfo, error) {
	rows, err := s.db.Query(`SELECT ` + campaignColumns + ` FROM campaigns ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	var list []CampaignInfo
	index := map[int64]int{}
	for rows.Next() {
		c, err := scanCampaign(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		c.Counts = map[string]int{}
		index[c.ID] = len(list)
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	counts, err := s.db.Query(`SELECT campaign_id, status, COUNT(*) FROM rows GROUP BY campaign_id, status`)
	if err != nil {
		return nil, fmt.Errorf("count campaign rows: %w", err)
	}
	defer counts.Close()
	for counts.Next() {
		var id int64
		var status string
		var n int
		if err := counts.Scan(&id, &status, &n); err != nil {
			return nil, fmt.Errorf("count campaign rows: %w", err)
		}
		if i, ok := index[id]; ok {
			list[i].Counts[status] = n
		}
	}
	if err := counts.Err(); err != nil {
		return nil, fmt.Errorf("count campaign rows: %w", err)
	}
	return list, nil
}

// SetCampaignStatus records the campaign's status and the reason for it. Running sets the start time the first
// time and clears the finish time; finished sets the finish time.
func (s *Store) SetCampaignStatus(id int64, state, reason string) error {
	if !campaignStatuses[state] {
		return fmt.Errorf("campaign %d: unknown status %q", id, state)
	}
	now := time.Now().UnixMilli()
	res, err := s.db.Exec(`UPDATE campaigns SET status = ?1, reason = ?2, updated_at = ?3,
		started_at = CASE ?1 WHEN ?5 THEN COALESCE(started_at, ?3) ELSE started_at END,
		finished_at = CASE ?1 WHEN ?6 THEN ?3 WHEN ?5 THEN NULL ELSE finished_at END
		WHERE id = ?4`, state, reason, now, id, status.Running, status.Finished)
	n, err := rowsChanged(res, err)
	if err != nil {
		return fmt.Errorf("campaign %d: set status %s: %w", id, state, err)
	}
	if n == 0 {
		return fmt.Errorf("campaign %d: set status %s: no such campaign", id, state)
	}
	return nil
}

// Counts returns the campaign's rows per status.
func (s *Store) Counts(id int64) (map[string]int, error) {
	rows, err := s.db.Query(`SELECT status, COUNT(*) FROM rows WHERE campaign_id = ? GROUP BY status`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: count rows: %w", id, err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("campaign %d: count rows: %w", id, err)
		}
		counts[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("campaign %d: count rows: %w", id, err)
	}
	return counts, nil
}
