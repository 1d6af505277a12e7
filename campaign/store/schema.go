package store

import (
	"database/sql"
	"fmt"
)

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
	// v2: a campaign whose CSV was replaced keeps the rows it had messaged in a child campaign (parent_id);
	// prior_numbers.in_current marks the numbers the current CSV holds too (their rows say so themselves).
	`ALTER TABLE campaigns ADD COLUMN parent_id INTEGER REFERENCES campaigns(id) ON DELETE CASCADE;
	CREATE INDEX campaigns_parent ON campaigns (parent_id) WHERE parent_id IS NOT NULL;
	ALTER TABLE prior_numbers ADD COLUMN in_current INTEGER NOT NULL DEFAULT 0;`,
	// receipts: what the providers' callbacks said after the send. deliveries holds one record per provider
	// message id, whether or not a row has that id yet (a callback may come before the send's own outcome is
	// committed, or be about a message herald did not send): campaign_id and row are filled once a row has the
	// id. The journal's writes are unchanged; rows only gain an index of message ids.
	`CREATE INDEX rows_message_id ON rows (message_id) WHERE message_id <> '';
	CREATE TABLE deliveries (
		message_id   TEXT PRIMARY KEY,
		profile      TEXT NOT NULL DEFAULT '',
		campaign_id  INTEGER,
		row          INTEGER,
		recipient    TEXT NOT NULL DEFAULT '',
		state        TEXT NOT NULL DEFAULT '',
		error_code   TEXT NOT NULL DEFAULT '',
		error_title  TEXT NOT NULL DEFAULT '',
		first_at     INTEGER NOT NULL,
		failed_at    INTEGER,
		delivered_at INTEGER,
		read_at      INTEGER,
		replied_at   INTEGER,
		reply        TEXT NOT NULL DEFAULT '',
		opted_out_at INTEGER,
		received_at  INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX deliveries_row ON deliveries (campaign_id, row) WHERE campaign_id IS NOT NULL;
	CREATE INDEX deliveries_aside ON deliveries (received_at) WHERE campaign_id IS NULL;
	CREATE INDEX deliveries_recipient ON deliveries (recipient, first_at) WHERE recipient <> '';
	CREATE TABLE inbound (
		id             TEXT PRIMARY KEY,
		profile        TEXT NOT NULL DEFAULT '',
		number         TEXT NOT NULL,
		at             INTEGER NOT NULL,
		type           TEXT NOT NULL DEFAULT '',
		text           TEXT NOT NULL DEFAULT '',
		button_payload TEXT NOT NULL DEFAULT '',
		button_text    TEXT NOT NULL DEFAULT '',
		context_id     TEXT NOT NULL DEFAULT '',
		keyword        INTEGER NOT NULL DEFAULT 0,
		rehearsal      INTEGER NOT NULL DEFAULT 0,
		message_id     TEXT NOT NULL DEFAULT '',
		resolved       INTEGER NOT NULL DEFAULT 0,
		received_at    INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX inbound_number ON inbound (number, at);
	CREATE INDEX inbound_unresolved ON inbound (received_at) WHERE resolved = 0;
	CREATE TABLE optouts (
		number   TEXT PRIMARY KEY,
		added_at INTEGER NOT NULL,
		source   TEXT NOT NULL DEFAULT '',
		note     TEXT NOT NULL DEFAULT ''
	) WITHOUT ROWID;
	CREATE TABLE optout_buttons (
		campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		label       TEXT NOT NULL,
		payload     TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (campaign_id, label, payload)
	) WITHOUT ROWID;`,
	// The reading options a campaign was checked with, so that it can be resumed from the campaigns screen.
	`ALTER TABLE campaigns ADD COLUMN region TEXT NOT NULL DEFAULT '';
	ALTER TABLE campaigns ADD COLUMN phone_column TEXT NOT NULL DEFAULT '';`,
	// v2: the sender's-number guards. not_before is when a deferred row may go (the feeder walks
	// rows_deferred in that order); sent_at is when a row's request last left (set with the in-flight mark), so
	// the frequency cap and the messaging limit can read the numbers messaged since a time. sent_at has no
	// index of its own: one would cost an index write per message; those reads scan the rows of the campaigns
	// that ran since that time instead, by their primary key. Rows messaged before v2 count from their last
	// update.
	`ALTER TABLE rows ADD COLUMN not_before INTEGER;
	ALTER TABLE rows ADD COLUMN sent_at INTEGER;
	ALTER TABLE prior_numbers ADD COLUMN sent_at INTEGER;
	UPDATE rows SET sent_at = updated_at WHERE status IN ('sent', 'unknown', 'in_flight');
	CREATE INDEX rows_deferred ON rows (campaign_id, not_before, row) WHERE status = 'deferred';`,
	// Scheduling at the provider: a row handed to a provider that schedules (Huawei's sendAt) is sent with its
	// sent_at in the future. scheduled_until is the latest such time of the campaign, so that the guards of later
	// runs read its rows until then although the campaign itself was last updated before.
	`ALTER TABLE campaigns ADD COLUMN scheduled_until INTEGER NOT NULL DEFAULT 0;`,
	// Message ids move from an index of rows to a table of their own, which the journal fills in sorted batches
	// (journal_ids.go): each outcome wrote the index at a random place of its own, a page written to the WAL per
	// message (a quarter to a third of the journal's work). A lookup joins the row and checks that it still has
	// the id, so an entry left behind by a row reset or replanned finds nothing. message_ids_pending is set
	// while a journal may hold ids not yet in the table (a crash leaves it set: the next journal, or the next
	// reconcile, puts them there from the rows).
	`CREATE TABLE message_rows (
		message_id  TEXT PRIMARY KEY,
		campaign_id INTEGER NOT NULL,
		row         INTEGER NOT NULL
	) WITHOUT ROWID;
	INSERT OR IGNORE INTO message_rows (message_id, campaign_id, row)
		SELECT message_id, campaign_id, row FROM rows WHERE message_id <> '' ORDER BY message_id;
	DROP INDEX rows_message_id;
	ALTER TABLE campaigns ADD COLUMN message_ids_pending INTEGER NOT NULL DEFAULT 0;`,
	// The ids' table is keyed by a 64-bit hash of the id (message_key.go): a quarter of the size, so each batch
	// of ids rewrites fewer pages. Entries are never replaced: a lookup checks the row's own id, so an entry left
	// by a row reset or replanned, or by two ids sharing a key, finds nothing.
	`CREATE TABLE message_keys (
		key         INTEGER NOT NULL,
		campaign_id INTEGER NOT NULL,
		row         INTEGER NOT NULL,
		PRIMARY KEY (key, campaign_id, row)
	) WITHOUT ROWID;
	INSERT OR IGNORE INTO message_keys (key, campaign_id, row)
		SELECT ` + messageKeySQL + `(message_id), campaign_id, row FROM message_rows ORDER BY 1;
	DROP TABLE message_rows;`,
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
