package meta

import (
	"encoding/json"
	"testing"
)

// FuzzSuccessID: whenever successID reads an id, encoding/json decodes the same answer to the same id and no
// error; and it reads the Cloud API's own success answers.
func FuzzSuccessID(f *testing.F) {
	for _, body := range []string{okAnswer,
		`{"messaging_product":"whatsapp","contacts":[{"input":"+4479","wa_id":"4479"}],"messages":[{"id":"wamid.HBgL","message_status":"accepted"}]}`,
		`{"messages":[{"id":"a"}],"messages":[{"id":"b"}]}`, `{"Messages":[{"id":"a"}]}`, `{"messages":[{"ID":"a"}]}`,
		`{"messages":[{"id":"a"},{"id":"b"}]}`, `{"messages":[{"id":"a","id":"b"}]}`, `{"messages":[{"id":"\u0061"}]}`,
		`{"error":null,"messages":[{"id":"x"}]}`, `{"error":{"code":1},"messages":[{"id":"x"}]}`,
		`{"messages":[{"id":"x"}],"contacts":"}{\"]"}`, `{"messages":[{"id":7}]}`, `{"messages":[{"id":"\xff"}]}`,
		`{"meſſages":[{"id":"x"}]}`, ` { "messages" : [ { "x" : [1, {"id": "no"}], "id" : "yes" } ] } `, `[]`, `{}`,
		`{"messages":[]}`, `{"messages":[{"id":""}]}`, `{"a":1e5,"messages":[{"id":"z"}],"b":true,"c":null}`} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		id, ok := successID(body)
		if !ok {
			return
		}
		var decoded answerBody
		if err := json.Unmarshal(body, &decoded); err != nil {
			t.Fatalf("successID read %q from %q, which does not decode: %v", id, body, err)
		}
		if decoded.Error != nil || len(decoded.Messages) == 0 || decoded.Messages[0].ID != id {
			t.Fatalf("successID read %q from %q; the decoder reads %+v", id, body, decoded)
		}
	})
}

// TestSuccessIDReadsMetaAnswers: the answers Meta and the sandbox send take the quick path.
func TestSuccessIDReadsMetaAnswers(t *testing.T) {
	for body, want := range map[string]string{
		okAnswer: "wamid.HBgLNDQ3OTExMTIzNDU2FQIAERgSQjk2",
		`{"messaging_product":"whatsapp","contacts":[{"input":"+447400000001","wa_id":"447400000001"}],"messages":[{"id":"wamid.0123456789abcdef01234567","message_status":"accepted"}]}` + "\n": "wamid.0123456789abcdef01234567",
	} {
		if id, ok := successID([]byte(body)); !ok || id != want {
			t.Errorf("successID(%s) = %q, %v; want %q", body, id, ok, want)
		}
	}
}
