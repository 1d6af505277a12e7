package innopaas

import (
	"context"
	"strings"
	"testing"

	"herald/providers"
)

// TestParseAnswers reads the answers to a request naming three numbers in every shape herald assumes: ids in
// order, per-recipient objects matched by number (a refused one classified by its own code), and answers whose
// ids cannot be told apart, which leave every recipient unknown.
func TestParseAnswers(t *testing.T) {
	to := []string{"447911123456", "447911123457", "447911123458"}
	type want struct {
		id, code string
		class    providers.Class
	}
	sent := func(id string) want { return want{id: id} }
	unknown := want{code: "no_message_id", class: providers.ClassUnknown}
	tests := []struct {
		name string
		body string
		want []want
	}{
		{"data.messageIds in order", `{"code":0,"message":"success","data":{"messageIds":["a","b","c"]}}`,
			[]want{sent("a"), sent("b"), sent("c")}},
		{"top-level messageIds, numeric", `{"code":"0","messageIds":[1,2,3]}`, []want{sent("1"), sent("2"), sent("3")}},
		{"data is a list of objects, out of order", `{"code":0,"data":[
			{"recipientNumber":"447911123458","messageId":"c"},{"recipientNumber":"447911123456","messageId":"a"},
			{"recipientNumber":"447911123457","code":108,"message":"phone number format error"}]}`,
			[]want{sent("a"), {code: "108", class: providers.ClassPermanent}, sent("c")}},
		{"data.messages with other names", `{"code":0,"data":{"messages":[
			{"phone":"+44 7911 123456","msgId":"a"},{"to":"00447911123457","id":"b"}]}}`,
			[]want{sent("a"), sent("b"), unknown}},
		{"one id for three recipients", `{"code":0,"data":{"messageId":"x"}}`, []want{unknown, unknown, unknown}},
		{"ids of another count", `{"code":0,"data":{"messageIds":["a","b"]}}`, []want{unknown, unknown, unknown}},
		{"no id at all", `{"code":0,"message":"success"}`, []want{unknown, unknown, unknown}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAnswers(providers.Answer{Status: 200, Body: []byte(tc.body)}, to)
			if err != nil {
				t.Fatalf("parseAnswers: %v", err)
			}
			if len(got) != len(to) {
				t.Fatalf("%d results for %d recipients", len(got), len(to))
			}
			for i, w := range tc.want {
				r := got[i]
				if w.id != "" {
					if r.Err != nil || r.Receipt.MessageID != w.id {
						t.Errorf("recipient %d: %+v, want sent with id %s", i, r, w.id)
					}
					continue
				}
				pe := asProviderError(t, r.Err)
				if pe.Class != w.class || pe.Code != w.code {
					t.Errorf("recipient %d: %s %s, want %s %s", i, pe.Class, pe.Code, w.class, w.code)
				}
			}
		})
	}
}

// TestParseAnswersWholeRequest: a refusal of the request (a code other than 0, an error status, a body that is
// not JSON) is one error for every recipient.
func TestParseAnswersWholeRequest(t *testing.T) {
	to := []string{"447911123456", "447911123457"}
	for _, tc := range []struct {
		status int
		body   string
		class  providers.Class
		code   string
	}{
		{200, `{"code":110,"message":"insufficient balance"}`, providers.ClassFatal, "110"},
		{429, `{"code":429}`, providers.ClassRateLimited, "429"},
		{502, `<html>bad gateway</html>`, providers.ClassRetryable, "bad_answer"},
		{200, `{"message":"ok"}`, providers.ClassUnknown, "bad_answer"},
	} {
		res, err := parseAnswers(providers.Answer{Status: tc.status, Body: []byte(tc.body)}, to)
		pe := asProviderError(t, err)
		if res != nil || pe.Class != tc.class || pe.Code != tc.code {
			t.Errorf("HTTP %d %s: %+v %s %s, want no results and %s %s", tc.status, tc.body, res, pe.Class, pe.Code, tc.class, tc.code)
		}
	}
}

// TestSendBatchRequest: one request names every recipient, comma-separated, with the message's reference as the
// uid; more than 1,000 recipients are refused before anything leaves.
func TestSendBatchRequest(t *testing.T) {
	srv, seen := recordingServer(t)
	a := newTestAdapter(t, srv)
	msg := providers.Message{Template: "spring_sale", Language: "en_US", Ref: "b1", Body: textParams("Ann")}
	to := []string{"447911123456", "447911123457"}
	if _, err := a.SendBatch(context.Background(), msg, to); err != nil {
		t.Fatalf("SendBatch: %v", err)
	}
	got := <-seen
	sameJSON(t, got.body, `{"wabaId":"104857600000001","messageType":"template","uid":"b1","sendNumber":"8613800138000",
		"recipientNumber":"447911123456,447911123457","language":"en_US","templateName":"spring_sale","bodyParams":["Ann"]}`)
	if a.MaxBatch() != 1000 {
		t.Errorf("MaxBatch = %d, want the document's 1000", a.MaxBatch())
	}
	_, err := a.SendBatch(context.Background(), msg, strings.Split(strings.Repeat("447911123456,", 1000)+"447911123456", ","))
	if pe := asProviderError(t, err); pe.Code != "bad_message" || !strings.Contains(pe.Message, "1001 recipients") {
		t.Errorf("1001 recipients: %v", err)
	}
	select {
	case r := <-seen:
		t.Errorf("a request of 1001 recipients left: %s %s", r.method, r.body)
	default:
	}
}
