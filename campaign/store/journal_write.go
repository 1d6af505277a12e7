package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"herald/campaign/status"
)

// writeBatch makes the batch's writes within the journal's transaction. The marks are gathered and made
// together (markRuns, markMany) ahead of the outcomes that came after them, which keeps the order the ops
// came in for any one row: a row's outcome is recorded only once its request left, after the commit of its
// mark, so a mark and a later outcome of its row are never in one batch. A mark given back (Unmark) may follow
// its mark in one batch (the wait for the mark ended first): the marks gathered so far are made before it.
func (j *Journal) writeBatch(batch []journalOp) error {
	now, sentAt := time.Now().UnixMilli(), j.o.Now().UnixMilli()
	var scheduledUntil int64 // the latest send time of the batch's scheduled rows
	marks, many := j.marks[:0], j.many[:0]
	flush := func() error {
		if err := j.markRuns(marks, now, sentAt); err != nil {
			return err
		}
		for _, op := range many {
			if err := j.markMany(op, now, sentAt); err != nil {
				return err
			}
		}
		marks, many = marks[:0], many[:0]
		return nil
	}
	for i := range batch {
		op := &batch[i]
		switch op.kind {
		case opMark:
			marks = append(marks, op)
		case opMarkMany:
			many = append(many, op)
		case opUnmark:
			if err := flush(); err != nil {
				return err
			}
			if _, err := j.conn.exec(stUnmark, op.attempt, now, j.id, op.row); err != nil {
				return fmt.Errorf("row %d: give back its in-flight mark: %w", op.row, err)
			}
		case opRecord:
			if err := j.writeOutcome(op.outcome, &scheduledUntil); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	j.marks, j.many = marks, many
	if scheduledUntil > 0 {
		if _, err := j.conn.exec(stScheduledUntil, scheduledUntil, j.id); err != nil {
			return fmt.Errorf("record the campaign's last scheduled time: %w", err)
		}
	}
	return nil
}

// writeOutcome records a row's outcome within the journal's transaction; a row sent to go later raises
// *scheduledUntil to its time.
func (j *Journal) writeOutcome(o Outcome, scheduledUntil *int64) error {
	c := j.conn
	var n int
	var err error
	switch {
	case o.Status == status.Deferred:
		n, err = c.exec(stDefer, o.Status, o.MessageID, o.Code, o.Error, o.Class, o.Attempts,
			o.At.UnixMilli(), o.NotBefore.UnixMilli(), j.id, o.Row)
	case !o.NotBefore.IsZero(): // sent, to go at NotBefore
		at := o.NotBefore.UnixMilli()
		*scheduledUntil = max(*scheduledUntil, at)
		n, err = c.exec(stSchedule, o.Status, o.MessageID, o.Code, o.Error, o.Class, o.Attempts,
			o.At.UnixMilli(), at, at, j.id, o.Row)
	case o.Status == status.Sent && o.Code == "" && o.Error == "" && o.Class == "":
		n, err = c.exec(stRecordSent, o.MessageID, o.Attempts, o.At.UnixMilli(), j.id, o.Row)
	default:
		n, err = c.exec(stRecord, o.Status, o.MessageID, o.Code, o.Error, o.Class, o.Attempts,
			o.At.UnixMilli(), j.id, o.Row)
	}
	if err == nil && n == 0 {
		err = errors.New("no such row")
	}
	if err != nil {
		return fmt.Errorf("row %d: record %s: %w", o.Row, o.Status, err)
	}
	if o.MessageID != "" {
		j.keepID(o.MessageID, o.Row)
	}
	return nil
}

// markRuns marks single rows in flight within the journal's transaction: sorted, each run of consecutive rows
// with the same attempt number by one statement over that range of the primary key (one seek instead of one a
// row: the feeder hands rows out in order, so a batch's marks are mostly such runs); a row whose status refuses
// the mark is refused alone. It sorts marks.
func (j *Journal) markRuns(marks []*journalOp, now, sentAt int64) error {
	slices.SortFunc(marks, func(a, b *journalOp) int { return cmp.Compare(a.row, b.row) })
	return eachRun(len(marks), func(i int) (int, int) { return marks[i].row, marks[i].attempt },
		func(start, end int) error { return j.markRun(marks[start:end], now, sentAt) })
}

// eachRun calls fn with the bounds [start, end) of each run of n sorted marks whose rows are consecutive and
// whose attempt numbers are the same; mark(i) is the i-th one's row and attempt number. It stops at fn's first
// error.
func eachRun(n int, mark func(i int) (row, attempt int), fn func(start, end int) error) error {
	for start := 0; start < n; {
		row, attempt := mark(start)
		end := start + 1
		for ; end < n; end++ {
			r, a := mark(end)
			if r != row+(end-start) || a != attempt {
				break
			}
		}
		if err := fn(start, end); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// markRun marks a run of consecutive rows with one attempt number in flight (see markRuns). The statement's
// status check leaves a refused row as it was and marks the others: each refused row is named on its op.
func (j *Journal) markRun(run []*journalOp, now, sentAt int64) error {
	n, err := j.markRange(run[0].row, run[len(run)-1].row, run[0].attempt, now, sentAt)
	if err != nil {
		return err
	}
	if n == len(run) {
		return nil
	}
	for _, op := range run {
		op.err = j.unmarked(op.row)
	}
	return nil
}

// markRange marks the rows first to last in flight as attempt, each unless its status refuses it, and returns
// how many it marked.
func (j *Journal) markRange(first, last, attempt int, now, sentAt int64) (int, error) {
	n, err := j.conn.exec(stMarkRange, attempt, now, sentAt, j.id, first, last)
	if err != nil {
		return 0, fmt.Errorf("rows %d-%d: mark in flight: %w", first, last, err)
	}
	return n, nil
}

// markMany marks op's rows in flight within the journal's transaction. A row its status refuses sets op.err
// and undoes the op's other marks (a savepoint), so that the request leaves for all its rows or for none.
// Runs of consecutive rows with one attempt number go by one statement each, as in markRuns.
func (j *Journal) markMany(op *journalOp, now, sentAt int64) error {
	c := j.conn
	marks := slices.Clone(op.marks)
	slices.SortFunc(marks, func(a, b Mark) int { return cmp.Compare(a.Row, b.Row) })
	if _, err := c.exec(stSavepoint); err != nil {
		return fmt.Errorf("mark %d rows in flight: %w", len(marks), err)
	}
	err := eachRun(len(marks), func(i int) (int, int) { return marks[i].Row, marks[i].Attempt },
		func(start, end int) error {
			if op.err != nil {
				return nil // refused already: the savepoint undoes it all
			}
			n, err := j.markRange(marks[start].Row, marks[end-1].Row, marks[start].Attempt, now, sentAt)
			if err != nil {
				return err
			}
			if n != end-start {
				op.err = j.firstRefused(marks[start:end])
			}
			return nil
		})
	if err != nil {
		return err
	}
	if op.err != nil {
		if _, err := c.exec(stRollbackTo); err != nil {
			return fmt.Errorf("undo the marks of a refused batch: %w", err)
		}
	}
	if _, err := c.exec(stRelease); err != nil {
		return fmt.Errorf("mark %d rows in flight: %w", len(marks), err)
	}
	return nil
}

// firstRefused says why the first of marks whose row a range statement did not mark was refused.
func (j *Journal) firstRefused(marks []Mark) error {
	for _, m := range marks {
		if err := j.unmarked(m.Row); err != nil {
			return err
		}
	}
	return fmt.Errorf("rows %d-%d: fewer marked than asked", marks[0].Row, marks[len(marks)-1].Row)
}

// unmarked says why row is not in flight after its mark (its status refused it), nil when it is.
func (j *Journal) unmarked(row int) error {
	st, ok, err := j.conn.status(j.id, row)
	switch {
	case err != nil:
		return fmt.Errorf("row %d: read its status: %w", row, err)
	case !ok:
		return fmt.Errorf("row %d is not in campaign %d", row, j.id)
	case st != status.InFlight:
		return fmt.Errorf("row %d is %s, not ready: it is not sent again", row, st)
	}
	return nil
}
