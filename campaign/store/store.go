package store

import (
	"context"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"herald/campaign/status"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// campaignStatuses are the statuses SetCampaignStatus accepts.
var campaignStatuses = map[string]bool{
	status.Planning: true, status.Planned: true, status.Running: true, status.Paused: true, status.Stopped: true,
	status.Finished: true,
}

// migrations are the schema steps, applied in order, each in one transaction; PRAGMA user_version counts the
// steps applied. Released steps are never edited: a schema change is a new step at the end.
var migrations = []string{
	// v1: the first release.
	`CREATE TABLE campaigns (
		id            INTEGER PRIMARY KEY,
		name          TEXT NOT NULL UNIQUE,
		template      TEXT NOT NULL DEFAULT '',
		template_path TEXT NOT NULL DEFAULT '',
		profile       TEXT NOT NULL DEFAULT '',
		csv_path      TEXT NOT NULL DEFAULT '',
		fingerprint   TEXT NOT NULL DEFAULT '',
		header        TEXT NOT NULL DEFAULT '[]',
		separator     TEXT NOT NULL DEFAULT ',',
		status        TEXT NOT NULL,
		reason        TEXT NOT NULL DEFAULT '',
		created_at    INTEGER NOT NULL,
		started_at    INTEGER,
		finished_at   INTEGER,
		updated_at    INTEGER NOT NULL
	);
	CREATE TABLE rows (
		campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		row         INTEGER NOT NULL,
		number      TEXT NOT NULL,
		status      TEXT NOT NULL,
		fields      BLOB NOT NULL,
		message_id  TEXT NOT NULL DEFAULT '',
		error_code  TEXT NOT NULL DEFAULT '',
		error       TEXT NOT NULL DEFAULT '',
		error_class TEXT NOT NULL DEFAULT '',
		attempts    INTEGER NOT NULL DEFAULT 0,
		updated_at  INTEGER NOT NULL,
		PRIMARY KEY (campaign_id, row)
	) WITHOUT ROWID;
	CREATE INDEX rows_ready ON rows (campaign_id, row) WHERE status = 'ready';
	CREATE TABLE prior_numbers (
		campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		number      TEXT NOT NULL,
		status      TEXT NOT NULL,
		message_id  TEXT NOT NULL DEFAULT '',
		row         INTEGER NOT NULL,
		PRIMARY KEY (campaign_id, number)
	) WITHOUT ROWID;`,
}

// Store is the durable record of campaigns and their rows: a SQLite file in WAL mode. It is safe for concurrent
// use; writes are serialized by SQLite.
type Store struct {
	db   *sql.DB
	path string
}

// storeOptions tune how a store is opened; Open uses the defaults.
type storeOptions struct {
	// synchronous is SQLite's synchronous setting: "FULL" (the default) makes every commit survive a power
	// loss; "NORMAL" survives a crash of herald but not of the machine.
	synchronous string
}

// Open opens the state store at path, creating its parent directories (0700) and the file (0600) when
// missing, and brings its schema up to date.
func Open(path string) (*Store, error) {
	return openStore(path, storeOptions{synchronous: "FULL"})
}

func openStore(path string, o storeOptions) (*Store, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("state store %s: the path must not contain '?'; pass another file with --state", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("state store %s: create its folder: %w; pass a writable file with --state", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state store %s: %w; pass a readable and writable file with --state", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("state store %s: %w", path, err)
	}
	dsn := path + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(" + o.synchronous + ")"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("state store %s: %w", path, err)
	}
	// Idle connections keep their prepared statements; the journal, a page reader and an export can overlap.
	db.SetMaxIdleConns(4)
	if err := migrate(db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("state store %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// migrate applies the steps the file has not seen yet, each in its own transaction together with the new
// user_version, so a crash leaves the file at a whole version. The version is read inside each transaction, so
// two processes opening a new file at once apply every step exactly once.
func migrate(db *sql.DB, steps []string) error {
	for {
		done, err := migrateStep(db, steps)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next step the file lacks, or reports that it is up to date.
func migrateStep(db *sql.DB, steps []string) (done bool, err error) {
	tx, err := db.Begin()
	if err != nil {
		return false, fmt.Errorf("read the schema version (is it a herald state file?): %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("read the schema version (is it a herald state file?): %w", err)
	}
	switch {
	case version > len(steps):
		return false, fmt.Errorf("the file has schema version %d but this herald knows only %d; use a newer herald",
			version, len(steps))
	case version == len(steps):
		return true, nil
	}
	if _, err := tx.Exec(steps[version]); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", version+1, err)
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", version+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", version+1, err)
	}
	return false, nil
}

// Close closes the store. Journals opened on it must be closed first.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state store %s: %w", s.path, err)
	}
	return nil
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
	// CSVPath is the recipients file.
	CSVPath string
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
	status, reason, created_at, started_at, finished_at, updated_at`

// scanCampaign reads one campaigns row selected with campaignColumns.
func scanCampaign(scan func(...any) error) (CampaignInfo, error) {
	var c CampaignInfo
	var header, sep string
	var created, updated int64
	var started, finished sql.NullInt64
	err := scan(&c.ID, &c.Name, &c.Template, &c.TemplatePath, &c.Profile, &c.CSVPath, &c.Fingerprint, &header,
		&sep, &c.Status, &c.Reason, &created, &started, &finished, &updated)
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

// fromMillis turns stored unix milliseconds into a UTC time; 0 (or NULL) is the zero time.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// withTx runs fn in one write transaction and commits it.
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Lock takes the campaign's lock: an exclusive OS file lock on "<store path>.<sha1(name)[:12]>.lock" holding
// this process's pid, so two herald processes never run the same campaign at once. unlock releases it.
func (s *Store) Lock(name string) (unlock func() error, err error) {
	sum := sha1.Sum([]byte(name))
	path := s.path + "." + hex.EncodeToString(sum[:])[:12] + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock campaign %s: %w; check that the folder of %s is writable", name, err, s.path)
	}
	held, err := tryLockFile(f)
	if err != nil || held {
		defer f.Close()
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("lock campaign %s with %s: %w", name, path, err)
	case held:
		pid := "unknown"
		if b, err := io.ReadAll(io.LimitReader(f, 32)); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			pid = strings.TrimSpace(string(b))
		}
		return nil, fmt.Errorf("campaign %s is running in another herald process (pid %s); wait for it to end "+
			"or stop it, then run the command again", name, pid)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		unlockFile(f)
		f.Close()
		return nil, fmt.Errorf("lock campaign %s: write the pid to %s: %w", name, path, err)
	}
	var once sync.Once
	var unlockErr error
	return func() error {
		once.Do(func() {
			if err := errors.Join(f.Truncate(0), unlockFile(f), f.Close()); err != nil {
				unlockErr = fmt.Errorf("unlock campaign %s: %w", name, err)
			}
		})
		return unlockErr
	}, nil
}
