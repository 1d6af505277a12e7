package engagelab

import (
	"encoding/json"
	"fmt"

	"herald/providers"
)

// callback is the body EngageLab posts to a status callback URL: rows of events, each about one message
// (provider-notes.md). custom_args echoes what the send carried and is not read. A row with a message object
// is an inbound message (EngageLab forwards WhatsApp's message object); its shape follows Meta's, which is
// what EngageLab relays.
type callback struct {
	Total *int          `json:"total"`
	Rows  []callbackRow `json:"rows"`
}

// callbackRow is one rows[] entry.
type callbackRow struct {
	MessageID  string            `json:"message_id"`
	From       string            `json:"from"`
	To         string            `json:"to"`
	Server     string            `json:"server"`
	Itime      providers.FlexInt `json:"itime"`
	CustomArgs json.RawMessage   `json:"custom_args"`
	Status     *struct {
		MessageStatus string `json:"message_status"`
		StatusData    struct {
			ChannelMessageID string `json:"channel_message_id"`
		} `json:"status_data"`
		ErrorCode   json.RawMessage `json:"error_code"`
		ErrorDetail json.RawMessage `json:"error_detail"`
	} `json:"status"`
	Message *struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Text struct {
			Body string `json:"body"`
		} `json:"text"`
		Button struct {
			Payload string `json:"payload"`
			Text    string `json:"text"`
		} `json:"button"`
		Context struct {
			ID string `json:"id"`
		} `json:"context"`
	} `json:"message"`
}

// callbackStates maps EngageLab's message_status to herald's delivery states. plan and target_valid say the
// message is on its way and are not tracked.
var callbackStates = map[string]string{
	"sent":              providers.DeliverySent,
	"delivered":         providers.DeliveryDelivered,
	"read":              providers.DeliveryRead,
	"target_invalid":    providers.DeliveryFailed,
	"sent_failed":       providers.DeliveryFailed,
	"delivered_failed":  providers.DeliveryFailed,
	"delivered_timeout": providers.DeliveryFailed,
}

// ParseCallback reads an EngageLab status callback body. Rows with a status become delivery events keyed by the
// id the send recorded for that recipient (RecipientMessageID: message_id and to); rows with a message object
// become inbound messages.
func ParseCallback(body []byte) (providers.Callbacks, error) {
	var cb callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return providers.Callbacks{}, fmt.Errorf("not an EngageLab callback: %w", err)
	}
	if cb.Rows == nil && cb.Total == nil {
		return providers.Callbacks{}, fmt.Errorf("not an EngageLab callback: it has neither total nor rows")
	}
	var c providers.Callbacks
	for _, r := range cb.Rows {
		at := providers.UnixTime(int64(r.Itime))
		if m := r.Message; m != nil {
			id := m.ID
			if id == "" {
				id = r.MessageID
			}
			if id == "" || r.From == "" {
				continue
			}
			// The message answered went to the person who writes now: its id is the request's and theirs.
			in := providers.Inbound{ID: id, From: providers.Digits(r.From), At: at, Type: m.Type,
				ContextID: RecipientMessageID(m.Context.ID, r.From)}
			switch m.Type {
			case "button":
				in.ButtonPayload, in.ButtonText, in.Text = m.Button.Payload, m.Button.Text, m.Button.Text
			default:
				in.Text = m.Text.Body
			}
			c.Inbound = append(c.Inbound, in)
			continue
		}
		if r.Status == nil || r.MessageID == "" {
			continue
		}
		state, ok := callbackStates[r.Status.MessageStatus]
		if !ok {
			continue
		}
		ev := providers.DeliveryEvent{MessageID: RecipientMessageID(r.MessageID, r.To), Status: state, At: at,
			Recipient: providers.Digits(r.To)}
		if state == providers.DeliveryFailed {
			ev.ErrorCode = scalarText(r.Status.ErrorCode)
			if ev.ErrorCode == "" || ev.ErrorCode == "0" {
				ev.ErrorCode = r.Status.MessageStatus
			}
			ev.ErrorTitle = scalarText(r.Status.ErrorDetail)
		}
		c.Deliveries = append(c.Deliveries, ev)
	}
	return c, nil
}

// scalarText is a JSON string or number as text; an object's message field, if it has one; else "".
func scalarText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Message
	}
	return ""
}
