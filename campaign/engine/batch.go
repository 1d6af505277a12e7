package engine

import (
	"time"

	"herald/campaign/template"
	"herald/providers"
)

// Batching is a stage before the workers, not a second engine: when the provider takes lists
// (providers.Batcher), the feeder renders each ready row and groups consecutive rows whose messages are
// identical (providers.Message.BatchKey) into one job of at most the provider's batch size. A worker sends a job
// as it sends one row: limiter tokens (one per message), the journal's in-flight record (one commit for all the
// rows), one request, then each row's own outcome. Rows whose messages differ go one a job, as without batching.

// Queue sizes of the jobs channel: one row a job, or, when batching, up to a batch of rows a job.
const (
	jobQueue   = 256
	batchQueue = 64
)

// job is a run of rows sent with one message: one row, or, when the provider batches, up to its batch size of
// consecutive rows whose messages are identical.
type job struct {
	rows []jobRow
	// msg is the rendered message of a grouped job; nil when the worker renders its one row itself.
	msg *providers.Message
}

// jobRow is one row of a job: its number, its cells, how many requests were made for it so far, and how many of
// those were batches refused as a whole and sent again in halves (which do not count against MaxAttempts).
type jobRow struct {
	row      int
	number   string
	fields   []string
	attempts int
	splits   int
	// fresh is set when the row took a new place under the messaging limit; left once a request for it left.
	fresh, left bool
	// sendAt is when the provider is to send the row's message (its send window's opening), zero for at once;
	// why is the window's sentence (schedule.go).
	sendAt time.Time
	why    string
	// premarked is set while the row is in flight in the store for its next attempt, marked ahead by the
	// feeder (ahead.go).
	premarked bool
}

// grouper gathers consecutive rows with identical messages into jobs of at most max rows. Only the feeder uses it.
type grouper struct {
	binding *template.Binding
	max     int
	cur     job
	key     string
}

// add takes the next row and returns the jobs it completes: the group before it when its message differs, the
// group it fills up, or the row alone when it does not render (its worker fails it, as without batching).
func (g *grouper) add(r jobRow) []job {
	rendered, p := g.binding.Render(r.fields)
	if p != nil {
		return append(g.flush(), job{rows: []jobRow{r}})
	}
	var done []job
	key := rendered.Message.BatchKey()
	if len(g.cur.rows) > 0 && key != g.key {
		done = g.flush()
	}
	if len(g.cur.rows) == 0 {
		msg := rendered.Message
		g.cur, g.key = job{rows: make([]jobRow, 0, min(g.max, 64)), msg: &msg}, key
	}
	g.cur.rows = append(g.cur.rows, r)
	if len(g.cur.rows) == g.max {
		done = append(done, g.flush()...)
	}
	return done
}

// flush returns the group being gathered, if any, and starts afresh.
func (g *grouper) flush() []job {
	if len(g.cur.rows) == 0 {
		return nil
	}
	j := g.cur
	g.cur, g.key = job{}, ""
	return []job{j}
}

// handLast gives the workers the group still being gathered when the rows run out.
func (e *Engine) handLast() {
	if e.ahead > 0 {
		e.handBlock()
	}
	if e.group != nil {
		for _, j := range e.group.flush() {
			e.dispatch(j)
		}
	}
}

// dispatch queues a job for the workers; false once the run stops (the job's rows stay ready, and the places
// they took under the messaging limit are given back).
func (e *Engine) dispatch(j job) bool {
	e.outstanding.Add(1)
	select {
	case e.jobs <- j:
		return true
	case <-e.stopCtx.Done():
		e.giveBack(j.rows)
		e.jobDone()
		return false
	}
}

// send makes one request for rows with msg: Send for one row, SendBatch for more. An error is the whole
// request's; otherwise there is one result per row, in order.
func (e *Engine) send(msg providers.Message, rows []jobRow) ([]providers.BatchResult, error) {
	msg.Ref = e.ref(rows[0].row, rows[0].attempts)
	if len(rows) == 1 {
		msg.To = rows[0].number
		var rc providers.Receipt
		var err error
		if at := rows[0].sendAt; !at.IsZero() && e.sched != nil {
			rc, err = e.sched.SendAt(e.sendCtx, msg, at)
		} else {
			rc, err = e.prov.Send(e.sendCtx, msg)
		}
		if err != nil {
			return nil, err
		}
		return []providers.BatchResult{{Receipt: rc}}, nil
	}
	to := make([]string, len(rows))
	for i, r := range rows {
		to[i] = r.number
	}
	res, err := e.batcher.SendBatch(e.sendCtx, msg, to)
	if err != nil {
		return nil, err
	}
	return providers.MatchResults(res, len(rows)), nil
}
