package innopaas

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

var testMessage = providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US",
	Body: textParams("Ann"), Ref: "c1-r1-a1"}

func TestAcceptedAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		wantID string
	}{
		{"sandbox shape", 200, `{"code":0,"message":"success","data":{"messageId":"ipw-1"}}`, "ipw-1"},
		{"code as a string", 200, `{"code":"0","msg":"ok","data":{"messageId":"ipw-2"}}`, "ipw-2"},
		{"code as 0.0", 200, `{"code":0.0,"data":{"messageId":"ipw-3"}}`, "ipw-3"},
		{"data is the id", 200, `{"code":0,"data":"ipw-4"}`, "ipw-4"},
		{"data is a numeric id", 200, `{"code":0,"data":1234567890123}`, "1234567890123"},
		{"data holds msgId", 200, `{"code":0,"data":{"msgId":"ipw-5","uid":"c1-r1-a1"}}`, "ipw-5"},
		{"data holds id", 200, `{"code":0,"data":{"id":6}}`, "6"},
		{"data is a list", 200, `{"code":0,"data":[{"messageId":"ipw-7","recipientNumber":"447911123456"}]}`, "ipw-7"},
		{"id at the top level", 200, `{"code":"0","messageId":"ipw-8"}`, "ipw-8"},
		{"field names in another case", 200, `{"Code":0,"Data":{"MessageId":"ipw-9"}}`, "ipw-9"},
		{"no code but an id", 200, `{"data":{"messageId":"ipw-10"}}`, "ipw-10"},
		{"data.messageIds list", 200, `{"code":0,"data":{"messageIds":["ipw-12"]}}`, "ipw-12"},
		{"201 created", 201, `{"code":0,"data":{"messageId":"ipw-11"}}`, "ipw-11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, answerWith(t, tc.status, tc.body, nil))
			rc, err := a.Send(context.Background(), testMessage)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if rc.MessageID != tc.wantID {
				t.Errorf("MessageID = %q, want %q", rc.MessageID, tc.wantID)
			}
		})
	}
}

func TestErrorAnswers(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		class      providers.Class
		code       string
		retryAfter time.Duration
		inMessage  string
	}{
		{"submitted without an id", 200, nil, `{"code":0,"message":"success"}`,
			providers.ClassUnknown, "no_message_id", 0, "no message id"},
		{"101 account does not exist", 200, nil, `{"code":101,"message":"account not exist"}`,
			providers.ClassFatal, "101", 0, "check app_key and waba_id"},
		{"102 wrong password", 200, nil, `{"code":102,"message":"password error"}`,
			providers.ClassFatal, "102", 0, "set token in the innopaas profile"},
		{"102 as a string code on a 401", 401, nil, `{"code":"102","msg":"token invalid"}`,
			providers.ClassFatal, "102", 0, `(InnoPaaS: "token invalid")`},
		{"105 uid too long", 200, nil, `{"code":105,"message":"uid too long"}`,
			providers.ClassFatal, "105", 0, "herald bug"},
		{"108 phone number format", 200, nil, `{"code":108,"message":"phone number format error"}`,
			providers.ClassPermanent, "108", 0, "recipient's number is not in a valid format"},
		{"109 wrong number of numbers", 200, nil, `{"code":109,"message":"phone number count error"}`,
			providers.ClassPermanent, "109", 0, "wrong number of recipients"},
		{"110 insufficient balance", 200, nil, `{"code":110,"message":"insufficient balance"}`,
			providers.ClassFatal, "110", 0, "balance is too low"},
		{"114 IP not allowed", 200, nil, `{"code":114,"message":"ip not allowed"}`,
			providers.ClassFatal, "114", 0, "allowed IPs"},
		{"118 send number does not exist", 200, nil, `{"code":118,"message":"send number not exist"}`,
			providers.ClassFatal, "118", 0, "set send_number"},
		{"relayed Meta template missing", 200, nil, `{"code":132001,"message":"template name does not exist"}`,
			providers.ClassFatal, "132001", 0, "template does not exist"},
		{"relayed Meta throughput limit", 200, nil, `{"code":130429,"message":"rate limit hit"}`,
			providers.ClassRateLimited, "130429", 0, "throughput limit"},
		{"429 with Retry-After", 429, http.Header{"Retry-After": {"7"}}, `{"code":429,"message":"too frequent"}`,
			providers.ClassRateLimited, "429", 7 * time.Second, "too fast"},
		{"429 overrides a table code", 429, http.Header{"Retry-After": {"2"}}, `{"code":108,"message":"x"}`,
			providers.ClassRateLimited, "108", 2 * time.Second, "too fast"},
		{"unknown code on a 500", 500, nil, `{"code":500,"message":"system error"}`,
			providers.ClassRetryable, "500", 0, "code 500 (HTTP 500), which herald does not know"},
		{"unknown code on a 503 with Retry-After", 503, http.Header{"Retry-After": {"3"}}, `{"code":9999}`,
			providers.ClassRetryable, "9999", 3 * time.Second, "code 9999"},
		{"unknown code on a 200", 200, nil, `{"code":"E_PARAM","message":"templateName is required"}`,
			providers.ClassPermanent, "E_PARAM", 0, `(InnoPaaS: "templateName is required")`},
		{"code 0 on a 502", 502, nil, `{"code":0}`,
			providers.ClassRetryable, "http_502", 0, "HTTP 502"},
		{"gateway JSON without a code on a 401", 401, nil, `{"status":401,"error":"Unauthorized"}`,
			providers.ClassFatal, "http_401", 0, "HTTP 401"},
		{"2xx without code or id", 200, nil, `{"message":"ok"}`,
			providers.ClassUnknown, "bad_answer", 0, "HTTP 200"},
		{"code of a wrong type", 200, nil, `{"code":{"v":0},"data":{"messageId":"x"}}`,
			providers.ClassUnknown, "bad_answer", 0, "HTTP 200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, answerWith(t, tc.status, tc.body, tc.header))
			_, err := a.Send(context.Background(), testMessage)
			pe := asProviderError(t, err)
			if pe.Class != tc.class || pe.Code != tc.code || pe.HTTPStatus != tc.status || pe.RetryAfter != tc.retryAfter {
				t.Errorf("got class %s code %q status %d retry %v, want %s %q %d %v",
					pe.Class, pe.Code, pe.HTTPStatus, pe.RetryAfter, tc.class, tc.code, tc.status, tc.retryAfter)
			}
			if !strings.Contains(pe.Error(), tc.inMessage) {
				t.Errorf("error %q does not mention %q", pe.Error(), tc.inMessage)
			}
		})
	}
}

func TestNotJSONAnswerNamesStatusAndFirstBytes(t *testing.T) {
	page := "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
	a := newTestAdapter(t, answerWith(t, http.StatusBadGateway, page, http.Header{"Content-Type": {"text/html"}}))
	_, err := a.Send(context.Background(), testMessage)
	pe := asProviderError(t, err)
	if pe.Class != providers.ClassRetryable || pe.Code != "bad_answer" || pe.HTTPStatus != 502 {
		t.Errorf("got %s %s HTTP %d, want retryable bad_answer HTTP 502", pe.Class, pe.Code, pe.HTTPStatus)
	}
	for _, want := range []string{"HTTP 502", "<html><head><title>502 Bad Gateway"} {
		if !strings.Contains(pe.Error(), want) {
			t.Errorf("error %q does not mention %q", pe.Error(), want)
		}
	}
}

func TestLongProviderTextIsCut(t *testing.T) {
	long := strings.Repeat("x", 5000)
	a := newTestAdapter(t, answerWith(t, 200, `{"code":"`+long+`","message":"`+long+`"}`, nil))
	_, err := a.Send(context.Background(), testMessage)
	pe := asProviderError(t, err)
	if len(pe.Code) != maxCodeLen || len(pe.Error()) > 600 {
		t.Errorf("code is %d bytes and the error %d bytes: a long answer must be cut", len(pe.Code), len(pe.Error()))
	}
}
