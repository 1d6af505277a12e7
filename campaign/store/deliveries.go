package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"herald/providers"
)

// How callbacks are kept until a campaign row has their message id.
const (
	// reconcileWindow is how far back the listener looks for callbacks kept aside, at most every
	// reconcileEvery: a row gets its message id milliseconds after the provider answered, so a few minutes
	// are plenty; exports look back to the campaign's start.
	reconcileWindow = 5 * time.Minute
	reconcileEvery  = time.Second
	// asideLife is how long callbacks about messages no campaign row ever had are kept (Meta retries a
	// callback for up to 7 days): after it they are dropped.
	asideLife = 7 * 24 * time.Hour
	// replySlack is how much later than a reply a message's first callback may be dated and still count as
	// the message the reply answers (provider clocks and second-resolution timestamps).
	replySlack = time.Minute
	// maxReply is the most characters of a reply kept with its row.
	maxReply = 200
)

// rankSQL is the SQL expression of a delivery state's rank: sent < failed < delivered < read.
func rankSQL(expr string) string {
	return `(CASE ` + expr + ` WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`
}

// earliestSQL keeps the earlier of a column's stored and new times (either may be NULL).
func earliestSQL(col string) string {
	return col + ` = CASE WHEN excluded.` + col + ` IS NULL THEN deliveries.` + col + ` WHEN deliveries.` + col +
		` IS NULL THEN excluded.` + col + ` ELSE min(deliveries.` + col + `, excluded.` + col + `) END`
}

// upsertDelivery records one delivery event for a message id. Every column moves one way only, so duplicates
// and any order of arrival end in the same record: the state moves forward, each time is the earliest reported,
// and the failure's code is the earliest failure's.
var upsertDelivery = `INSERT INTO deliveries (message_id, profile, campaign_id, row, recipient, state, error_code,
	error_title, first_at, failed_at, delivered_at, read_at, received_at)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE ?6 WHEN 'failed' THEN ?9 END,
		CASE ?6 WHEN 'delivered' THEN ?9 END, CASE ?6 WHEN 'read' THEN ?9 END, ?10)
	ON CONFLICT (message_id) DO UPDATE SET
		campaign_id = coalesce(deliveries.campaign_id, excluded.campaign_id),
		row = coalesce(deliveries.row, excluded.row),
		recipient = CASE deliveries.recipient WHEN '' THEN excluded.recipient ELSE deliveries.recipient END,
		state = CASE WHEN ` + rankSQL("excluded.state") + ` > ` + rankSQL("deliveries.state") + `
			THEN excluded.state ELSE deliveries.state END,
		first_at = min(deliveries.first_at, excluded.first_at),
		error_code = CASE WHEN ` + earlierFailure + ` THEN excluded.error_code ELSE deliveries.error_code END,
		error_title = CASE WHEN ` + earlierFailure + ` THEN excluded.error_title ELSE deliveries.error_title END,
		` + earliestSQL("failed_at") + `,
		` + earliestSQL("delivered_at") + `,
		` + earliestSQL("read_at")

// earlierFailure holds when the new event is a failure reported earlier than the stored one (ties: the lower
// code), so its code replaces the stored one.
const earlierFailure = `excluded.failed_at IS NOT NULL AND (deliveries.failed_at IS NULL
	OR excluded.failed_at < deliveries.failed_at
	OR (excluded.failed_at = deliveries.failed_at AND excluded.error_code < deliveries.error_code))`

// applyDelivery records a delivery event and reports whether a campaign row has its message id.
func applyDelivery(tx cbTx, profile string, d providers.DeliveryEvent, received time.Time) (bool, error) {
	if d.MessageID == "" || providers.DeliveryRank(d.Status) == 0 {
		return false, fmt.Errorf("delivery event without a message id or with state %q", d.Status)
	}
	at := d.At
	if at.IsZero() {
		at = received
	}
	campaign, row, number, known, err := rowOfMessage(tx, d.MessageID)
	if err != nil {
		return false, err
	}
	recipient := d.Recipient
	if recipient == "" {
		recipient = number
	}
	code, title := "", ""
	if d.Status == providers.DeliveryFailed {
		code, title = d.ErrorCode, d.ErrorTitle
	}
	_, err = tx.exec(upsertDelivery, d.MessageID, profile, campaign, row, recipient, d.Status, code, title,
		at.UnixMilli(), received.UnixMilli())
	return known, err
}

// rowOfMessage finds the campaign row that has a message id.
func rowOfMessage(tx cbTx, messageID string) (campaign, row sql.NullInt64, number string, ok bool, err error) {
	err = tx.queryRow(rowOfMessageSQL, messageKey(messageID), messageID).Scan(&campaign, &row, &number)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return campaign, row, "", false, nil
	case err != nil:
		return campaign, row, "", false, fmt.Errorf("look up message id: %w", err)
	}
	return campaign, row, number, true, nil
}

// inboundRecord is an inbound message as the store keeps it.
type inboundRecord struct {
	id, number, text, payload, buttonText, contextID, messageID string
	at, received                                                int64
	keyword, rehearsal                                          bool
}

// applyInbound records an inbound message once (a duplicate changes nothing), puts its sender on the opt-out
// list when its text is a keyword, and ties it to the message it answers. It reports whether it opted the
// sender out.
func applyInbound(tx cbTx, profile string, rehearsal bool, in InboundMessage, received time.Time) (bool, error) {
	if in.ID == "" || in.From == "" {
		return false, errors.New("inbound message without an id or a sender")
	}
	at := in.At
	if at.IsZero() {
		at = received
	}
	r := inboundRecord{id: in.ID, number: in.From, text: replyText(in.Inbound), payload: in.ButtonPayload,
		buttonText: in.ButtonText, contextID: in.ContextID, at: at.UnixMilli(), received: received.UnixMilli(),
		keyword: in.Keyword, rehearsal: rehearsal}
	res, err := tx.exec(`INSERT INTO inbound (id, profile, number, at, type, text, button_payload, button_text,
		context_id, keyword, rehearsal, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, r.id, profile, r.number, r.at, in.Type, r.text, r.payload, r.buttonText,
		r.contextID, r.keyword, r.rehearsal, r.received)
	n, err := rowsChanged(res, err)
	if err != nil || n == 0 {
		return false, err
	}
	if r.keyword {
		if err := addOptOut(tx, r.number, r.at, optOutSource(SourceReply, r.rehearsal), r.text); err != nil {
			return false, err
		}
	}
	return r.keyword, resolveInbound(tx, r)
}

// replyText is what a reply shows in the results CSV: its text, the label of the button tapped, else its type
// in brackets ([image]); at most maxReply characters.
func replyText(in providers.Inbound) string {
	s := in.Text
	if s == "" {
		s = in.ButtonText
	}
	if s == "" {
		s = "[" + in.Type + "]"
	}
	if utf8.RuneCountInString(s) <= maxReply {
		return s
	}
	n := 0
	for i := range s {
		if n == maxReply {
			return s[:i]
		}
		n++
	}
	return s
}

// resolveInbound ties an inbound message to the message it answers (its context id, else the latest message
// to its sender) and records the reply there; a tap on a button the campaign marked opt_out puts the sender on
// the opt-out list. What cannot be decided yet (no message to answer, or the answered message's campaign not
// known) stays unresolved for reconcile.
func resolveInbound(tx cbTx, r inboundRecord) error {
	messageID := r.messageID
	if messageID == "" {
		messageID = r.contextID
	}
	if messageID == "" {
		err := tx.queryRow(`SELECT message_id FROM deliveries WHERE recipient = ? AND first_at <= ?
			ORDER BY first_at DESC LIMIT 1`, r.number, r.at+replySlack.Milliseconds()).Scan(&messageID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("find the message answered: %w", err)
		}
	}
	if r.messageID == "" {
		if _, err := tx.exec(upsertReply, messageID, r.at, r.text, r.keyword, r.received); err != nil {
			return fmt.Errorf("record the reply: %w", err)
		}
	}
	decided := true
	if r.payload != "" || r.buttonText != "" {
		campaign, err := campaignOfMessage(tx, messageID)
		if err != nil {
			return err
		}
		if decided = campaign.Valid; decided {
			optOut, err := isOptOutButton(tx, campaign.Int64, r.buttonText, r.payload)
			if err != nil {
				return err
			}
			if optOut {
				if err := addOptOut(tx, r.number, r.at, optOutSource(SourceButton, r.rehearsal), r.text); err != nil {
					return err
				}
				if _, err := tx.exec(upsertReply, messageID, r.at, r.text, true, r.received); err != nil {
					return fmt.Errorf("record the opt-out: %w", err)
				}
			}
		}
	}
	_, err := tx.exec(`UPDATE inbound SET message_id = ?, resolved = ? WHERE id = ?`, messageID, decided, r.id)
	return err
}

// upsertReply records a reply to a message: the earliest reply is the one kept (ties: the lower text), and an
// opt-out its earliest time.
const upsertReply = `INSERT INTO deliveries (message_id, first_at, replied_at, reply, opted_out_at, received_at)
	VALUES (?1, ?2, ?2, ?3, CASE WHEN ?4 THEN ?2 END, ?5)
	ON CONFLICT (message_id) DO UPDATE SET
		reply = CASE WHEN deliveries.replied_at IS NULL OR excluded.replied_at < deliveries.replied_at
			OR (excluded.replied_at = deliveries.replied_at AND excluded.reply < deliveries.reply)
			THEN excluded.reply ELSE deliveries.reply END,
		replied_at = CASE WHEN deliveries.replied_at IS NULL THEN excluded.replied_at
			ELSE min(deliveries.replied_at, excluded.replied_at) END,
		opted_out_at = CASE WHEN excluded.opted_out_at IS NULL THEN deliveries.opted_out_at
			WHEN deliveries.opted_out_at IS NULL THEN excluded.opted_out_at
			ELSE min(deliveries.opted_out_at, excluded.opted_out_at) END`

// campaignOfMessage is the campaign of the row that has a message id; not Valid when no row has it yet.
func campaignOfMessage(tx cbTx, messageID string) (sql.NullInt64, error) {
	var c sql.NullInt64
	err := tx.queryRow(`SELECT campaign_id FROM deliveries WHERE message_id = ?`, messageID).Scan(&c)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("find the campaign of message %s: %w", messageID, err)
	}
	if c.Valid {
		return c, nil
	}
	campaign, _, _, _, err := rowOfMessage(tx, messageID)
	return campaign, err
}

// reconcile applies what was kept aside since since: delivery records get the campaign row that now has their
// message id, and unresolved inbound messages are tied to the message they answer. Records about messages no
// row ever had are dropped after asideLife.
func reconcile(tx cbTx, since, now time.Time) error {
	if _, err := tx.exec(`UPDATE deliveries SET campaign_id = r.campaign_id, row = r.row,
		recipient = CASE deliveries.recipient WHEN '' THEN r.number ELSE deliveries.recipient END
		FROM `+messageRowsJoin+`
		WHERE deliveries.campaign_id IS NULL AND deliveries.received_at >= ?
		AND m.key = `+messageKeySQL+`(deliveries.message_id) AND r.message_id = deliveries.message_id`,
		since.UnixMilli()); err != nil {
		return fmt.Errorf("match delivery records to rows: %w", err)
	}
	old := now.Add(-asideLife).UnixMilli()
	if _, err := tx.exec(`DELETE FROM deliveries WHERE campaign_id IS NULL AND received_at < ?`, old); err != nil {
		return fmt.Errorf("drop old delivery records: %w", err)
	}
	if _, err := tx.exec(`UPDATE inbound SET resolved = 2 WHERE resolved = 0 AND received_at < ?`, old); err != nil {
		return fmt.Errorf("settle old inbound messages: %w", err)
	}
	rows, err := tx.tx.Query(`SELECT id, number, at, received_at, text, button_payload, button_text, context_id,
		keyword, rehearsal, message_id FROM inbound WHERE resolved = 0 AND received_at >= ?`, since.UnixMilli())
	if err != nil {
		return fmt.Errorf("read unresolved inbound messages: %w", err)
	}
	var pending []inboundRecord
	for rows.Next() {
		var r inboundRecord
		if err := rows.Scan(&r.id, &r.number, &r.at, &r.received, &r.text, &r.payload, &r.buttonText, &r.contextID, &r.keyword,
			&r.rehearsal, &r.messageID); err != nil {
			rows.Close()
			return fmt.Errorf("read unresolved inbound messages: %w", err)
		}
		pending = append(pending, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read unresolved inbound messages: %w", err)
	}
	for _, r := range pending {
		if err := resolveInbound(tx, r); err != nil {
			return fmt.Errorf("inbound message %s: %w", r.id, err)
		}
	}
	return nil
}

// repairPending puts into message_keys the ids that campaigns whose journal crashed (or still runs) have not
// folded yet, leaving the campaigns marked: a journal still running clears its own mark.
func repairPending(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT id FROM campaigns WHERE message_ids_pending = 1`)
	if err != nil {
		return fmt.Errorf("read the campaigns with message ids pending: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("read the campaigns with message ids pending: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the campaigns with message ids pending: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.Exec(repairMessageRows, id); err != nil {
			return fmt.Errorf("index the message ids of campaign %d: %w", id, err)
		}
	}
	return nil
}

// Reconcile applies the callbacks kept aside since since (a campaign's creation, before its results are
// written): those that came before the send's own outcome was committed.
func (s *Store) Reconcile(since time.Time) error {
	err := s.withTx(context.Background(), func(tx *sql.Tx) error {
		if err := repairPending(tx); err != nil {
			return err
		}
		return reconcile(cbTx{s, tx}, since, time.Now())
	})
	if err != nil {
		return fmt.Errorf("state store %s: reconcile callbacks: %w", s.path, err)
	}
	return nil
}
