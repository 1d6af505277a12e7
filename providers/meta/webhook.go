package meta

import (
	"encoding/json"
	"fmt"

	"herald/providers"
)

// webhookObject is the object every WhatsApp Business Account webhook names.
const webhookObject = "whatsapp_business_account"

// webhook is the body Meta posts to a webhook subscribed to the messages field: statuses of messages sent, and
// messages received. Fields herald does not read are ignored, as Meta asks.
type webhook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Statuses []webhookStatus  `json:"statuses"`
				Messages []webhookMessage `json:"messages"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// webhookStatus is one statuses[] entry.
type webhookStatus struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	Timestamp   providers.FlexInt `json:"timestamp"`
	RecipientID string            `json:"recipient_id"`
	Errors      []struct {
		Code  json.Number `json:"code"`
		Title string      `json:"title"`
	} `json:"errors"`
}

// webhookMessage is one messages[] entry: an inbound message of any type.
type webhookMessage struct {
	From      string            `json:"from"`
	ID        string            `json:"id"`
	Timestamp providers.FlexInt `json:"timestamp"`
	Type      string            `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
	Button struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Interactive struct {
		Type        string      `json:"type"`
		ButtonReply replyChoice `json:"button_reply"`
		ListReply   replyChoice `json:"list_reply"`
	} `json:"interactive"`
	Image    caption `json:"image"`
	Video    caption `json:"video"`
	Document caption `json:"document"`
	Context  struct {
		ID string `json:"id"`
	} `json:"context"`
}

// replyChoice is the button or list row an interactive reply chose.
type replyChoice struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// caption is the part of a media message herald keeps.
type caption struct {
	Caption string `json:"caption"`
}

// ParseWebhook reads a Meta (Cloud API) webhook body: the delivery statuses and the inbound messages it
// carries. A body that is not such a webhook is an error; entries of other fields, and statuses herald does
// not track (deleted, warning), are left out.
func ParseWebhook(body []byte) (providers.Callbacks, error) {
	var w webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return providers.Callbacks{}, fmt.Errorf("not a WhatsApp webhook: %w", err)
	}
	if w.Object != webhookObject {
		return providers.Callbacks{}, fmt.Errorf("not a WhatsApp webhook: object is %q, want %q", w.Object, webhookObject)
	}
	var c providers.Callbacks
	for _, e := range w.Entry {
		for _, ch := range e.Changes {
			if ch.Field != "" && ch.Field != "messages" {
				continue
			}
			for _, s := range ch.Value.Statuses {
				if ev, ok := s.event(); ok {
					c.Deliveries = append(c.Deliveries, ev)
				}
			}
			for _, m := range ch.Value.Messages {
				if m.ID == "" || m.From == "" {
					continue
				}
				c.Inbound = append(c.Inbound, m.inbound())
			}
		}
	}
	return c, nil
}

// event turns a status into a delivery event; false for a status herald does not track or one without an id.
func (s webhookStatus) event() (providers.DeliveryEvent, bool) {
	if s.ID == "" || providers.DeliveryRank(s.Status) == 0 {
		return providers.DeliveryEvent{}, false
	}
	ev := providers.DeliveryEvent{MessageID: s.ID, Status: s.Status, At: providers.UnixTime(int64(s.Timestamp)),
		Recipient: providers.Digits(s.RecipientID)}
	if len(s.Errors) > 0 {
		ev.ErrorCode, ev.ErrorTitle = s.Errors[0].Code.String(), s.Errors[0].Title
	}
	return ev, true
}

// inbound turns a message into herald's vocabulary: the text is what the recipient wrote or tapped.
func (m webhookMessage) inbound() providers.Inbound {
	in := providers.Inbound{ID: m.ID, From: providers.Digits(m.From), At: providers.UnixTime(int64(m.Timestamp)),
		Type: m.Type, ContextID: m.Context.ID}
	switch m.Type {
	case "text":
		in.Text = m.Text.Body
	case "button":
		in.ButtonPayload, in.ButtonText, in.Text = m.Button.Payload, m.Button.Text, m.Button.Text
	case "interactive":
		choice := m.Interactive.ButtonReply
		if m.Interactive.Type == "list_reply" {
			choice = m.Interactive.ListReply
		}
		in.ButtonPayload, in.ButtonText, in.Text = choice.ID, choice.Title, choice.Title
	case "image":
		in.Text = m.Image.Caption
	case "video":
		in.Text = m.Video.Caption
	case "document":
		in.Text = m.Document.Caption
	}
	return in
}
