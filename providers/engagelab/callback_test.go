package engagelab

import (
	"reflect"
	"testing"
	"time"

	"herald/providers"
)

// TestParseCallback reads EngageLab's documented status callback: rows of any status, custom_args of any
// shape (echoed from the send, never read), itime and error_code as numbers or strings, and an inbound row.
func TestParseCallback(t *testing.T) {
	body := `{"total": 6, "rows": [
	  {"message_id": "1666165485030094861", "from": "8613800138000", "to": "447400123593", "server": "whatsapp",
	   "itime": 1733450000, "custom_args": {"campaign": "spring", "n": 1, "nested": {"a": [1, 2]}},
	   "status": {"message_status": "delivered", "status_data": {"channel_message_id": "wamid.X"}, "error_code": 0}},
	  {"message_id": "2", "to": "+44 7400 123594", "itime": "1733450001", "custom_args": "plain text",
	   "status": {"message_status": "delivered_failed", "error_code": 131049, "error_detail": "marketing cap"}},
	  {"message_id": "3", "to": "447400123595", "itime": 1733450002000, "custom_args": null,
	   "status": {"message_status": "target_invalid", "error_code": "", "error_detail": {"message": "not on WhatsApp"}}},
	  {"message_id": "4", "to": "447400123596", "itime": 1733450003, "custom_args": 42,
	   "status": {"message_status": "plan"}},
	  {"message_id": "5", "to": "447400123597", "itime": 1733450004, "status": {"message_status": "read"}},
	  {"message_id": "in.6", "from": "447400123593", "to": "8613800138000", "itime": 1733450100,
	   "message": {"id": "in.6", "type": "text", "text": {"body": "Stop"}, "context": {"id": "1666165485030094861"}}}]}`
	got, err := ParseCallback([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	at := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	// Each recipient's id is EngageLab's message_id and its number (RecipientMessageID), as the send recorded it.
	want := providers.Callbacks{
		Deliveries: []providers.DeliveryEvent{
			{MessageID: "1666165485030094861:447400123593", Status: "delivered", At: at(1733450000), Recipient: "447400123593"},
			{MessageID: "2:447400123594", Status: "failed", At: at(1733450001), Recipient: "447400123594", ErrorCode: "131049",
				ErrorTitle: "marketing cap"},
			{MessageID: "3:447400123595", Status: "failed", At: at(1733450002), Recipient: "447400123595",
				ErrorCode: "target_invalid", ErrorTitle: "not on WhatsApp"},
			{MessageID: "5:447400123597", Status: "read", At: at(1733450004), Recipient: "447400123597"},
		},
		Inbound: []providers.Inbound{{ID: "in.6", From: "447400123593", At: at(1733450100), Type: "text",
			Text: "Stop", ContextID: "1666165485030094861:447400123593"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseCallbackRefuses(t *testing.T) {
	for _, body := range []string{`[]`, `{}`, `{"rows": "x"}`, `{"rows": [{"itime": "soon"}]}`, `not json`} {
		if _, err := ParseCallback([]byte(body)); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}
