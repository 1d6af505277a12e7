package store

import (
	"database/sql"
	"fmt"
)

// cbTx is a write transaction that runs the callbacks' statements, each prepared once per store and reused
// (preparing the upserts was most of a callback's cost).
type cbTx struct {
	s  *Store
	tx *sql.Tx
}

// stmt returns query prepared within the transaction.
func (c cbTx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := c.s.stmts.Load(query); ok {
		return c.tx.Stmt(st.(*sql.Stmt)), nil
	}
	st, err := c.s.db.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if prev, loaded := c.s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return c.tx.Stmt(st), nil
}

// exec runs a prepared statement.
func (c cbTx) exec(query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.Exec(args...)
}

// queryRow runs a prepared query for one row.
func (c cbTx) queryRow(query string, args ...any) *sql.Row {
	st, err := c.stmt(query)
	if err != nil {
		// A *sql.Row cannot carry the error: run the query unprepared, which reports it on Scan.
		return c.tx.QueryRow(query, args...)
	}
	return st.QueryRow(args...)
}

// closeStmts releases the prepared statements.
func (s *Store) closeStmts() {
	s.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		s.stmts.Delete(k)
		return true
	})
}
