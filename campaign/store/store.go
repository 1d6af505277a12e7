package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Store is the durable record of campaigns and their rows: a SQLite file in WAL mode. It is safe for concurrent
// use; writes are serialized by SQLite.
type Store struct {
	db   *sql.DB
	path string
	// synchronous is the setting its connections were opened with (storeOptions).
	synchronous string
	// stmts caches the callbacks' prepared statements by query (stmts.go).
	stmts sync.Map
	// closed is set by Close: a journal still open holds a connection of its own, and must fail rather than
	// write through it.
	closed atomic.Bool
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
	return &Store{db: db, path: path, synchronous: o.synchronous}, nil
}

// Close closes the store. Journals opened on it must be closed first.
func (s *Store) Close() error {
	s.closed.Store(true)
	s.closeStmts()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state store %s: %w", s.path, err)
	}
	return nil
}

// fromMillis turns stored unix milliseconds into a UTC time; 0 (or NULL) is the zero time.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// nullMillis is t in unix milliseconds for a nullable column: NULL for the zero time.
func nullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
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

// Path is the store's file.
func (s *Store) Path() string { return s.path }
