package meta

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// webhookDoc is the body webhooks.md documents, with a second change of another field and unknown fields
// (which must be ignored), a button tap and an interactive reply.
const webhookDoc = `{"object": "whatsapp_business_account",
 "entry": [{"id": "102290129340398",
   "changes": [{"field": "messages",
     "value": {"messaging_product": "whatsapp",
       "metadata": {"display_phone_number": "15550001111", "phone_number_id": "106540352242922"},
       "statuses": [
         {"id": "wamid.A", "status": "delivered", "timestamp": "1733450000", "recipient_id": "447400123593",
          "conversation": {"id": "c1", "origin": {"type": "marketing"}}, "pricing": {"billable": true}},
         {"id": "wamid.B", "status": "failed", "timestamp": "1733450001", "recipient_id": "4915123456926",
          "errors": [{"code": 131049, "title": "healthy ecosystem", "message": "...", "error_data": {"details": "..."}}]},
         {"id": "wamid.C", "status": "deleted", "timestamp": "1733450002", "recipient_id": "1"},
         {"id": "wamid.D", "status": "read", "timestamp": 1733450003, "recipient_id": "+44 7400 123594"}],
       "contacts": [{"profile": {"name": "Olivia"}, "wa_id": "447400123593"}],
       "messages": [
         {"from": "447400123593", "id": "wamid.in1", "timestamp": "1733450100", "type": "text",
          "text": {"body": "STOP"}, "context": {"from": "15550001111", "id": "wamid.A"}},
         {"from": "447400123593", "id": "wamid.in2", "timestamp": "1733450101", "type": "button",
          "button": {"payload": "STOP_PROMO", "text": "Stop promotions"}, "context": {"id": "wamid.A"}},
         {"from": "447400123593", "id": "wamid.in3", "timestamp": "1733450102", "type": "interactive",
          "interactive": {"type": "list_reply", "list_reply": {"id": "row-2", "title": "Tuesday"}}},
         {"from": "447400123593", "id": "wamid.in4", "timestamp": "1733450103", "type": "image",
          "image": {"caption": "my receipt", "mime_type": "image/jpeg", "id": "123"}}]}},
     {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}}]}]}`

func TestParseWebhook(t *testing.T) {
	got, err := ParseWebhook([]byte(webhookDoc))
	if err != nil {
		t.Fatal(err)
	}
	at := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	want := providers.Callbacks{
		Deliveries: []providers.DeliveryEvent{
			{MessageID: "wamid.A", Status: "delivered", At: at(1733450000), Recipient: "447400123593"},
			{MessageID: "wamid.B", Status: "failed", At: at(1733450001), Recipient: "4915123456926",
				ErrorCode: "131049", ErrorTitle: "healthy ecosystem"},
			{MessageID: "wamid.D", Status: "read", At: at(1733450003), Recipient: "447400123594"},
		},
		Inbound: []providers.Inbound{
			{ID: "wamid.in1", From: "447400123593", At: at(1733450100), Type: "text", Text: "STOP", ContextID: "wamid.A"},
			{ID: "wamid.in2", From: "447400123593", At: at(1733450101), Type: "button", Text: "Stop promotions",
				ButtonPayload: "STOP_PROMO", ButtonText: "Stop promotions", ContextID: "wamid.A"},
			{ID: "wamid.in3", From: "447400123593", At: at(1733450102), Type: "interactive", Text: "Tuesday",
				ButtonPayload: "row-2", ButtonText: "Tuesday"},
			{ID: "wamid.in4", From: "447400123593", At: at(1733450103), Type: "image", Text: "my receipt"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseWebhookRefuses(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":            `object=whatsapp`,
		"another object":      `{"object": "page", "entry": []}`,
		"no object":           `{"entry": []}`,
		"bad timestamp":       `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"statuses": [{"id": "x", "status": "read", "timestamp": "yesterday"}]}}]}]}`,
		"statuses not a list": `{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"statuses": {}}}]}]}`,
	} {
		if _, err := ParseWebhook([]byte(body)); err == nil || !strings.Contains(err.Error(), "webhook") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add([]byte(webhookDoc))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"id":"1","from":"2","type":"button"}]}}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseWebhook(body)
		if err != nil {
			return
		}
		for _, d := range c.Deliveries {
			if d.MessageID == "" || providers.DeliveryRank(d.Status) == 0 {
				t.Fatalf("delivery event %+v", d)
			}
		}
		for _, in := range c.Inbound {
			if in.ID == "" {
				t.Fatalf("inbound %+v", in)
			}
		}
	})
}
