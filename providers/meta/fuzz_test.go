package meta

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"herald/providers"
)

// FuzzParseAnswer: any status, body and Retry-After give either a receipt with an id (2xx only) or a
// classified *providers.Error with a code, the answer's status and no trace of the token; never a panic.
// RetryAfter's value is providers.RetryAfter's to get right and is not checked here.
func FuzzParseAnswer(f *testing.F) {
	f.Add(200, []byte(okAnswer), "")
	f.Add(200, []byte(`{"messages":[{"id":""}]}`), "")
	f.Add(400, []byte(`{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"x"},"fbtrace_id":"A"}}`), "3")
	f.Add(400, []byte(`{"error":{"message":"m","code":100,"error_subcode":33}}`), "")
	f.Add(401, []byte(`{"error":{"message":"`+testToken+`","code":190}}`), "")
	f.Add(403, []byte(`{"error":{"code":250,"error_data":"`+testToken+`"}}`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(500, []byte(`{"error":{"code":999,"is_transient":true}}`), "-1")
	f.Add(502, []byte("<html>502 Bad Gateway</html>"), "")
	f.Add(200, []byte(`{"error":null,"messages":null}`), "")
	f.Add(200, []byte(`{"error":{"code":"100"}}`), "")
	f.Add(204, []byte{}, "")
	f.Add(429, []byte("\xff\xfe"+testToken), "1e9")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		status = 100 + int(uint(status)%500)
		header := http.Header{}
		if retryAfter != "" {
			header.Set("Retry-After", retryAfter)
		}
		rcpt, err := parseAnswer(providers.Answer{Status: status, Header: header, Body: body}, []byte(testToken))
		if err == nil {
			if rcpt.MessageID == "" || status < 200 || status > 299 {
				t.Fatalf("receipt %+v for status %d", rcpt, status)
			}
			return
		}
		var pe *providers.Error
		if !errors.As(err, &pe) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
		if pe.Code == "" || pe.Class < providers.ClassUnknown || pe.Class > providers.ClassFatal || pe.HTTPStatus != status {
			t.Fatalf("bad error %+v", pe)
		}
		if bytes.Contains([]byte(err.Error()), []byte(testToken)) {
			t.Fatalf("error carries the token: %v", err)
		}
	})
}

// FuzzAcceptedIDAgreesWithJSON: wherever acceptedID reads an id, encoding/json decodes the same answer to the
// same messages[0].id and no error object; so the fast path never takes an answer the full decode would not.
func FuzzAcceptedIDAgreesWithJSON(f *testing.F) {
	for _, seed := range []string{
		okAnswer,
		`{"messages":[{"id":"wamid.A"}]}`,
		` { "messages" : [ { "message_status" : "accepted" , "id" : "wamid.B" } , {"id":"c"} ] } `,
		`{"contacts":[{"input":"+1","wa_id":"1"}],"messages":[{"id":"x","nested":{"a":[1,{"b":"]}"}]}}],"n":-1.5e3,"t":true,"z":null}`,
		`{"Messages":[{"ID":"upper"}]}`,
		`{"messages":[{"id":"a"}],"messages":[{"id":"b"}]}`,
		`{"messages":[{"id":"a"}],"ERROR":{"code":100}}`,
		`{"messages":[{"id":"a\"b"}]}`,
		`{"messages":[{"id":"\u0061"}]}`,
		`{"messages":[{"i\u0064":"a"}]}`,
		`{"messages":[{"id":"\xff"}]}`,
		`{"messages":[{"id":""},{"id":"b"}]}`,
		`{"messages":[{"id":"","id":"b"}]}`,
		`{"messages":[{"id":"b","id":""}]}`,
		`{"messages":[{"id":null}]}`,
		`{"messages":[]}`,
		`{"messages":{}}`,
		`{"messages":[{"id":"a"}]`,
		`[]`,
		`{}`,
		`"x"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		id, ok := acceptedID(body)
		if !ok {
			return
		}
		var want answerBody
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("acceptedID read %q from an answer encoding/json refuses: %v", id, err)
		}
		if want.Error != nil || len(want.Messages) == 0 || want.Messages[0].ID != id {
			t.Fatalf("acceptedID read %q, encoding/json %+v", id, want)
		}
	})
}
