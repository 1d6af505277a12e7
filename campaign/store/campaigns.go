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
	// Parent is, for the record of an earlier CSV (status superseded), the campaign it belongs to; 0 otherwise.
	Parent int64
	// Earlier holds the rows earlier CSVs of the campaign messaged, per status (see LoadRows), filled by
	// Campaign and Campaigns; nil when there are none.
	Earlier map[string]int
	// Counts holds rows per status, filled by Campaign and Campaigns.
	Counts map[string]int
	// Funnel is what the callbacks said about the messages sent, filled by Campaigns.
	Funnel Funnel
}

const campaignColumns = `id, name, template, template_path, profile, csv_path, fingerprint, header, separator,
	status, reason, created_at, started_at, finished_at, updated_at, COALESCE(parent_id, 0), region, phone_column`

// scanCampaign reads one campaigns row selected with campaignColumns.
func scanCampaign(scan func(...any) error) (CampaignInfo, error) {
	var c CampaignInfo
	var header, sep string
	var created, updated int64
	var started, finished sql.NullInt64
	err := scan(&c.ID, &c.Name, &c.Template, &c.TemplatePath, &c.Profile, &c.CSVPath, &c.Fingerprint, &header,
		&sep, &c.Status, &c.Reason, &created, &started, &finished, &updated, &c.Parent, &c.Region, &c.PhoneColumn)
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
	row := s.db.QueryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE name = ? AND parent_id IS NULL`, name)
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
	if c.Earlier, err = s.earlierCounts(c.ID); err != nil {
		return CampaignInfo{}, false, err
	}
	return c, true, nil
}

// Campaigns returns every campaign, newest first, with its row counts (the records of earlier CSVs are not
// listed: their rows are counted in their campaign's Earlier).
func (s *Store) Campaigns() ([]CampaignInfo, error) {
	rows, err := s.db.Query(`SELECT ` + campaignColumns + ` FROM campaigns ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	var list []CampaignInfo
	index := map[int64]int{}
	parent := map[int64]int64{}
	for rows.Next() {
		c, err := scanCampaign(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		if c.Parent != 0 {
			parent[c.ID] = c.Parent
			continue
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
	for _, p := range parent {
		if i, ok := index[p]; ok && list[i].Earlier == nil {
			if list[i].Earlier, err = s.earlierCounts(p); err != nil {
				return nil, err
			}
		}
	}
	byID := make(map[int64]map[string]int, len(list))
	for _, c := range list {
		byID[c.ID] = c.Counts
	}
	funnels, err := s.Funnels(byID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Funnel = funnels[list[i].ID]
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

// earlierCounts counts, per status, the rows the earlier CSVs of campaign id had messaged whose numbers the
// current CSV does not hold (those that it holds are its own skipped rows); nil when none.
func (s *Store) earlierCounts(id int64) (map[string]int, error) {
	rows, err := s.db.Query(`SELECT r.status, COUNT(*) FROM campaigns c JOIN rows r ON r.campaign_id = c.id
		JOIN prior_numbers p ON p.campaign_id = c.parent_id AND p.number = r.number
		WHERE c.parent_id = ? AND p.in_current = 0 GROUP BY r.status`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: count the rows of earlier CSVs: %w", id, err)
	}
	defer rows.Close()
	var counts map[string]int
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("campaign %d: count the rows of earlier CSVs: %w", id, err)
		}
		if counts == nil {
			counts = map[string]int{}
		}
		counts[st] = n
	}
	return counts, rows.Err()
}

// Earlier returns the records of campaign id's earlier CSVs, oldest first: each holds the rows that CSV had
// messaged, read with EachEarlierRow, and the header they were read with.
func (s *Store) Earlier(id int64) ([]CampaignInfo, error) {
	rows, err := s.db.Query(`SELECT `+campaignColumns+` FROM campaigns WHERE parent_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: earlier CSVs: %w", id, err)
	}
	defer rows.Close()
	var list []CampaignInfo
	for rows.Next() {
		c, err := scanCampaign(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("campaign %d: earlier CSVs: %w", id, err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// EachEarlierRow calls fn, in row order, with each row the earlier CSV recorded as archive had messaged whose
// number the campaign's current CSV does not hold.
func (s *Store) EachEarlierRow(archive CampaignInfo, fn func(Row) error) error {
	return s.eachRow(fn, fmt.Sprintf("campaign %d: read the rows of an earlier CSV", archive.Parent),
		`SELECT `+rowColumns+` FROM rows WHERE campaign_id = ? AND NOT EXISTS (SELECT 1 FROM prior_numbers p
		WHERE p.campaign_id = ? AND p.number = rows.number AND p.in_current = 1) ORDER BY row`, archive.ID, archive.Parent)
}
