package sandbox

import (
	"encoding/json"
	"strconv"
	"time"

	"herald/providers"
)

// event is one thing the sandbox reports about a message: a delivery state, or a reply (kind "reply").
type event struct {
	kind string
	at   time.Time
	text string
	// id tells apart the inbound messages about one message (a genuine reply and a forged one).
	id string
}

// callbackBody is the body reporting e about a message, in the dialect's callback format: EngageLab's status
// callback for engagelab, Meta's webhook for the others (the BSPs forward Meta's).
func (s *Server) callbackBody(dialect, messageID, to string, e event) []byte {
	var v any
	if dialect == "engagelab" {
		v = s.engagelabCallback(messageID, to, e)
	} else {
		v = s.metaWebhook(messageID, to, e)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("sandbox: callback body: " + err.Error()) // plain structs of strings always encode
	}
	return b
}

// metaWebhook is a Cloud API webhook with one status or one inbound message.
func (s *Server) metaWebhook(messageID, to string, e event) any {
	acct := s.opts.Credentials["meta"]
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]string{"display_phone_number": "15550001111", "phone_number_id": acct.PhoneNumberID},
	}
	ts := strconv.FormatInt(e.at.Unix(), 10)
	if e.kind == "reply" {
		value["contacts"] = []any{map[string]any{"profile": map[string]string{"name": "Sandbox recipient"}, "wa_id": to}}
		value["messages"] = []any{map[string]any{
			"from": to, "id": "wamid.in." + e.id + messageID, "timestamp": ts, "type": "text",
			"text":    map[string]string{"body": e.text},
			"context": map[string]string{"from": "15550001111", "id": messageID},
		}}
	} else {
		status := map[string]any{"id": messageID, "status": e.kind, "timestamp": ts, "recipient_id": to,
			"biz_opaque_callback_data": "sandbox"}
		if e.kind == providers.DeliveryFailed {
			status["errors"] = []any{map[string]any{"code": 131049, "title": lateFailureTitle,
				"message": lateFailureTitle, "error_data": map[string]string{"details": lateFailureTitle}}}
		}
		value["statuses"] = []any{status}
	}
	return map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "100000000000001", "changes": []any{map[string]any{"field": "messages", "value": value}}}}}
}

// engagelabStates are EngageLab's message_status words for herald's delivery states.
var engagelabStates = map[string]string{providers.DeliverySent: "sent", providers.DeliveryDelivered: "delivered",
	providers.DeliveryRead: "read", providers.DeliveryFailed: "delivered_failed"}

// engagelabCallback is an EngageLab status callback with one row: a status, or an inbound message.
func (s *Server) engagelabCallback(messageID, to string, e event) any {
	from := s.opts.Credentials["engagelab"].From
	row := map[string]any{"message_id": messageID, "from": from, "to": to, "server": "whatsapp",
		"itime": e.at.Unix(), "custom_args": map[string]any{"campaign": "sandbox", "n": 1, "nested": map[string]any{"ok": true}}}
	if e.kind == "reply" {
		// A request of many recipients has one message_id: each one's reply has an id of its own.
		id := "in." + e.id + messageID + "." + to
		row["message_id"], row["from"], row["to"] = id, to, from
		row["message"] = map[string]any{"id": id, "type": "text",
			"text": map[string]string{"body": e.text}, "context": map[string]string{"id": messageID}}
	} else {
		status := map[string]any{"message_status": engagelabStates[e.kind],
			"status_data": map[string]string{"channel_message_id": "wamid." + messageID}, "error_code": 0,
			"error_detail": ""}
		if e.kind == providers.DeliveryFailed {
			status["error_code"], status["error_detail"] = 131049, lateFailureTitle
		}
		row["status"] = status
	}
	return map[string]any{"total": 1, "rows": []any{row}}
}
