package check

import (
	"context"
	"errors"
	"fmt"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/status"
	"herald/campaign/template"
	"io"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Row is one CSV row after validation: its number, its status (ready, invalid or duplicate) and, when it
// can be sent, the message it renders to.
type Row struct {
	recipients.Row
	// Number is the normalized number (digits, country code first), "" when it does not parse.
	Number string
	// Status is status.Ready, status.Invalid or status.Duplicate, or what a guard made of a ready row
	// (status.Deferred, status.Suppressed).
	Status string
	// Problem says why the row is invalid, a duplicate, deferred or suppressed.
	Problem *status.Problem
	// Rendered is the filled message of a ready (or deferred) row.
	Rendered template.Rendered
	// NotBefore is when a deferred row may be sent; zero otherwise.
	NotBefore time.Time
}

// ProblemCount is one kind of problem, how often it occurred and the first row that had it.
type ProblemCount struct {
	Code    string
	Count   int
	Example int
	Reason  string
}

// Summary counts a checked file's rows.
type Summary struct {
	// Rows is the number of data rows read.
	Rows int
	// Counts are rows per status.
	Counts map[string]int
	// Problems are the kinds of problem found, most frequent first.
	Problems []ProblemCount
}

// add counts one checked row.
func (s *Summary) add(r *Row, byCode map[string]*ProblemCount) {
	s.Rows++
	s.Counts[r.Status]++
	if r.Problem == nil {
		return
	}
	pc := byCode[r.Problem.Code]
	if pc == nil {
		pc = &ProblemCount{Code: r.Problem.Code, Example: r.Num, Reason: r.Problem.Reason}
		byCode[r.Problem.Code] = pc
	}
	pc.Count++
}

// Checker validates a recipients stream against a bound template: numbers, template values, duplicates.
type Checker struct {
	Recipients *recipients.Reader
	Binding    *template.Binding
	Phones     *phone.Normalizer
	// Workers is how many goroutines normalize and render (default: every core).
	Workers int
	// Guards run on each row still ready after the duplicate check, one row at a time in file order, and may
	// hold it back: suppressed (opted out, frequency cap) or deferred (send window, messaging limit, with
	// NotBefore). A guard leaves a row it has nothing against unchanged.
	Guards []Guard
}

// Guard decides whether a ready row may be sent now. It sets the row's Status, Problem and, for a deferred
// row, NotBefore; it must not keep r.
type Guard func(r *Row)

// checkBatch is a run of consecutive rows checked by one worker.
type checkBatch struct {
	seq  int
	rows []Row
}

const checkBatchSize = 512

// Run reads every row, checks it on all cores, and calls emit for each row in file order. Duplicates are
// decided in file order: the first sendable occurrence of a number is ready, later ones are duplicates. emit
// must not keep the *Row past its return (copy what it needs). Run stops at the first error from the
// reader, from emit, or when ctx is done.
func (c *Checker) Run(ctx context.Context, emit func(*Row) error) (Summary, error) {
	workers := c.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	in := make(chan checkBatch, workers*2)
	out := make(chan checkBatch, workers*2)
	var readErr error
	go func() {
		defer close(in)
		readErr = c.read(ctx, in)
	}()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range in {
				for j := range b.rows {
					c.checkRow(&b.rows[j])
				}
				select {
				case out <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()

	sum := Summary{Counts: map[string]int{}}
	byCode := map[string]*ProblemCount{}
	seen := newNumberSet()
	pending := map[int]checkBatch{}
	next := 0
	var emitErr error
	for b := range out {
		if emitErr != nil {
			continue // drain so the workers finish
		}
		pending[b.seq] = b
		for {
			nb, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for j := range nb.rows {
				r := &nb.rows[j]
				if r.Status == status.Ready {
					if first, dup := seen.add(r.Number, r.Num); dup {
						r.Status = status.Duplicate
						r.Problem = &status.Problem{Code: status.CodeDuplicate, Reason: fmt.Sprintf(
							"row %d has the same number as row %d (%s): only row %d is sent", r.Num, first, r.Number, first)}
						r.Rendered = template.Rendered{}
					}
				}
				for _, g := range c.Guards {
					if r.Status != status.Ready {
						break
					}
					g(r)
				}
				sum.add(r, byCode)
				if err := emit(r); err != nil {
					emitErr = err
					cancel()
					break
				}
			}
		}
	}
	if emitErr != nil {
		return sum, emitErr
	}
	if readErr != nil {
		return sum, readErr
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	for _, pc := range byCode {
		sum.Problems = append(sum.Problems, *pc)
	}
	sort.Slice(sum.Problems, func(i, j int) bool {
		if sum.Problems[i].Count != sum.Problems[j].Count {
			return sum.Problems[i].Count > sum.Problems[j].Count
		}
		return sum.Problems[i].Code < sum.Problems[j].Code
	})
	return sum, nil
}

// read batches rows from the recipients stream.
func (c *Checker) read(ctx context.Context, in chan<- checkBatch) error {
	seq := 0
	b := checkBatch{rows: make([]Row, 0, checkBatchSize)}
	send := func() bool {
		select {
		case in <- b:
		case <-ctx.Done():
			return false
		}
		seq++
		b = checkBatch{seq: seq, rows: make([]Row, 0, checkBatchSize)}
		return true
	}
	for {
		row, err := c.Recipients.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		b.rows = append(b.rows, Row{Row: row})
		if len(b.rows) == checkBatchSize && !send() {
			return ctx.Err()
		}
	}
	if len(b.rows) > 0 {
		send()
	}
	return nil
}

// checkRow decides a row's number and message; duplicates are decided later, in order.
func (c *Checker) checkRow(r *Row) {
	if r.Row.Problem != nil {
		r.Status, r.Problem = status.Invalid, r.Row.Problem
		return
	}
	num, p := c.Phones.Normalize(r.Fields[c.Recipients.PhoneIndex()])
	r.Number = num
	if p != nil {
		r.Status, r.Problem = status.Invalid, rowProblem(r.Num, c.Recipients.Header()[c.Recipients.PhoneIndex()], p)
		return
	}
	rendered, p := c.Binding.Render(r.Fields)
	if p != nil {
		r.Status, r.Problem = status.Invalid, rowProblem(r.Num, "", p)
		return
	}
	r.Status, r.Rendered = status.Ready, rendered
}

// rowProblem prefixes a problem's reason with the row (and column) it is about, unless it already names it.
func rowProblem(num int, column string, p *status.Problem) *status.Problem {
	prefix := "row " + strconv.Itoa(num)
	if len(p.Reason) >= len(prefix) && p.Reason[:len(prefix)] == prefix {
		return p
	}
	if column != "" {
		prefix += ", column " + column
	}
	return &status.Problem{Code: p.Code, Reason: prefix + ": " + p.Reason}
}
