package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"herald/campaign/status"
	"herald/providers"
)

// Funnel is what became of a campaign's messages after the provider accepted them, as the callbacks tell it.
type Funnel struct {
	// Sent counts the rows the provider accepted; the others count among them.
	Sent int
	// Delivered counts the messages delivered (read ones included); Read those read; Replied those answered;
	// OptedOut those whose recipient opted out in answer; FailedLater those the provider reported failed
	// after accepting them.
	Delivered, Read, Replied, OptedOut, FailedLater int
}

// funnelSelect counts, per campaign, the delivery records whose row still has their message id (a campaign
// planned again keeps no stale record).
const funnelSelect = `SELECT d.campaign_id,
	count(*) FILTER (WHERE d.state IN ('delivered', 'read')),
	count(*) FILTER (WHERE d.state = 'read'),
	count(*) FILTER (WHERE d.replied_at IS NOT NULL),
	count(*) FILTER (WHERE d.opted_out_at IS NOT NULL),
	count(*) FILTER (WHERE d.state = 'failed')
	FROM deliveries d JOIN rows r ON r.campaign_id = d.campaign_id AND r.row = d.row AND r.message_id = d.message_id`

// Funnel returns the campaign's funnel.
func (s *Store) Funnel(id int64) (Funnel, error) {
	f := Funnel{}
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM rows WHERE campaign_id = ? AND status = ?`, id, status.Sent).
		Scan(&f.Sent); err != nil {
		return f, fmt.Errorf("campaign %d: count sent rows: %w", id, err)
	}
	var c sql.NullInt64
	err := s.db.QueryRow(funnelSelect+` WHERE d.campaign_id = ? GROUP BY d.campaign_id`, id).
		Scan(&c, &f.Delivered, &f.Read, &f.Replied, &f.OptedOut, &f.FailedLater)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("campaign %d: count deliveries: %w", id, err)
	}
	return f, nil
}

// Funnels returns the funnel of every campaign, by campaign id; Sent comes from counts (rows per status, by
// campaign id), so that a list of campaigns reads its rows once.
func (s *Store) Funnels(counts map[int64]map[string]int) (map[int64]Funnel, error) {
	out := map[int64]Funnel{}
	for id, c := range counts {
		out[id] = Funnel{Sent: c[status.Sent]}
	}
	rows, err := s.db.Query(funnelSelect + ` WHERE d.campaign_id IS NOT NULL GROUP BY d.campaign_id`)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f Funnel
		if err := rows.Scan(&id, &f.Delivered, &f.Read, &f.Replied, &f.OptedOut, &f.FailedLater); err != nil {
			return nil, fmt.Errorf("count deliveries: %w", err)
		}
		f.Sent = out[id].Sent
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	return out, nil
}

// Delivery is what the callbacks said about one row's message.
type Delivery struct {
	// State is sent, failed, delivered or read; "" when no callback said anything.
	State string
	// Code is the error code of a failure reported afterwards, when State is failed.
	Code string
	// Delivered, Read and Replied are the earliest times reported; zero when none.
	Delivered, Read, Replied time.Time
	// Reply is the recipient's first reply.
	Reply string
}

// DeliveryCursor walks a campaign's delivery records in row order, beside a walk of its rows (EachRow), so that
// the results CSV is written in one pass over each.
type DeliveryCursor struct {
	rows *sql.Rows
	cur  deliveryRow
	ok   bool
	err  error
}

// deliveryRow is one record as the cursor reads it.
type deliveryRow struct {
	row       int
	messageID string
	d         Delivery
}

// Deliveries opens a cursor over the campaign's delivery records. The caller closes it.
func (s *Store) Deliveries(id int64) (*DeliveryCursor, error) {
	rows, err := s.db.Query(`SELECT row, message_id, state, error_code, delivered_at, read_at, replied_at, reply
		FROM deliveries WHERE campaign_id = ? ORDER BY row`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: read deliveries: %w", id, err)
	}
	c := &DeliveryCursor{rows: rows}
	c.next()
	return c, nil
}

// next reads the following record.
func (c *DeliveryCursor) next() {
	if c.ok = c.rows.Next(); !c.ok {
		c.err = c.rows.Err()
		return
	}
	var delivered, read, replied sql.NullInt64
	r := &c.cur
	if c.err = c.rows.Scan(&r.row, &r.messageID, &r.d.State, &r.d.Code, &delivered, &read, &replied,
		&r.d.Reply); c.err != nil {
		c.ok = false
		return
	}
	if r.d.State != providers.DeliveryFailed {
		r.d.Code = ""
	}
	r.d.Delivered, r.d.Read, r.d.Replied = fromMillis(delivered.Int64), fromMillis(read.Int64), fromMillis(replied.Int64)
}

// For returns the delivery of the row with the given number and message id; rows must be asked for in
// increasing order.
func (c *DeliveryCursor) For(row int, messageID string) Delivery {
	for c.ok && c.cur.row < row {
		c.next()
	}
	for c.ok && c.cur.row == row {
		if c.cur.messageID == messageID && messageID != "" {
			return c.cur.d
		}
		c.next()
	}
	return Delivery{}
}

// Close releases the cursor and returns the first read error.
func (c *DeliveryCursor) Close() error {
	cerr := c.rows.Close()
	if c.err != nil {
		return c.err
	}
	return cerr
}
