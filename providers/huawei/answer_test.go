package huawei

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// testSecrets are what parseAnswer must keep out of every error text.
var testSecrets = [][]byte{[]byte(testAppKey), []byte(testAppSecret), []byte("TOKEN1")}

// wantClasses is the class each row of codeClasses and failedGroups must have, written out independently of
// the tables so that a changed row fails here.
var wantClasses = map[string]providers.Class{
	"http_400": providers.ClassPermanent,
	"http_401": providers.ClassFatal,
	"http_403": providers.ClassFatal,
	"http_404": providers.ClassFatal,
	"http_429": providers.ClassRateLimited,
	"http_500": providers.ClassPermanent,

	"REJECTED_DESTINATION":             providers.ClassPermanent,
	"REJECTED_PREFIX_MISSING":          providers.ClassPermanent,
	"REJECTED_DESTINATION_BLOCKLISTED": providers.ClassPermanent,
	"REJECTED_NETWORK":                 providers.ClassPermanent,
	"REJECTED_SYSTEM_ERROR":            providers.ClassRetryable,
	"REJECTED_NOT_ENOUGH_CREDITS":      providers.ClassFatal,
	"REJECTED_PREPAID_PACKAGE_EXPIRED": providers.ClassFatal,
	"REJECTED_SENDER":                  providers.ClassFatal,
	"REJECTED_SOURCE":                  providers.ClassFatal,
	"REJECTED_ROUTE_NOT_AVAILABLE":     providers.ClassFatal,

	"REJECTED":      providers.ClassPermanent,
	"UNDELIVERABLE": providers.ClassPermanent,
	"EXPIRED":       providers.ClassPermanent,
}

// TestEveryRowOfTheClassTable sends each row's answer through parseAnswer: an HTTP status with the API
// Fabric's error body, or a 200 whose destination status has the row's name (or, for a group row, a name the
// table does not know).
func TestEveryRowOfTheClassTable(t *testing.T) {
	if n := len(codeClasses) + len(failedGroups); n != len(wantClasses) {
		t.Fatalf("the tables have %d rows and wantClasses %d: write every row's class into wantClasses", n, len(wantClasses))
	}
	for code, want := range wantClasses {
		t.Run(code, func(t *testing.T) {
			var ans providers.Answer
			var row codeClass
			wantCode := code
			if status, ok := strings.CutPrefix(code, "http_"); ok {
				row = codeClasses[code]
				ans.Status, _ = strconv.Atoi(status)
				ans.Body = []byte(`{"errorCode":"E42","exceptionInfo":"the CEC's words"}`)
			} else if g, ok := failedGroups[code]; ok {
				row, wantCode = g, code+"_SOMETHING_NEW"
				ans.Status, ans.Body = 200, []byte(`{"messages":[{"messageId":"m1","status":{"groupName":"`+code+`","name":"`+wantCode+`","description":"the CEC's words"}}]}`)
			} else {
				row = codeClasses[code]
				ans.Status, ans.Body = 200, []byte(`{"messages":[{"messageId":"m1","status":{"groupId":5,"groupName":"REJECTED","id":1,"name":"`+code+`","description":"the CEC's words"}}]}`)
			}
			_, err := parseAnswer(ans, "ref", testSecrets)
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("parseAnswer: %v, want a *providers.Error", err)
			}
			if pe.Class != want || pe.Code != wantCode || pe.HTTPStatus != ans.Status {
				t.Errorf("class %v code %s status %d, want %v %s %d", pe.Class, pe.Code, pe.HTTPStatus, want, wantCode, ans.Status)
			}
			if !strings.HasPrefix(pe.Message, row.sentence) || !strings.Contains(pe.Message, "the CEC's words") {
				t.Errorf("message %q, want the row's sentence and the CEC's words", pe.Message)
			}
		})
	}
}

// TestParseAnswer covers the answers outside the table: receipts, statuses of taken messages, unknown statuses,
// and answers that are not what the document describes.
func TestParseAnswer(t *testing.T) {
	retryIn7 := http.Header{"Retry-After": []string{"7"}}
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		receipt    string
		class      providers.Class
		code       string
		text       string
		retryAfter time.Duration
	}{
		{name: "documented example", status: 200, body: documentedAnswer, receipt: "10011"},
		{name: "pending, no messageId: the request's", status: 200, receipt: "ref-1",
			body: `{"messages":[{"status":{"groupId":1,"groupName":"PENDING","id":7,"name":"PENDING_ENROUTE"}}]}`},
		{name: "no status", status: 200, body: `{"messages":[{"messageId":"m9"}],"bulkId":"b"}`, receipt: "m9"},
		{name: "quoted groupId of a taken message", status: 200, body: `{"messages":[{"messageId":"m9","status":{"groupId":"1"}}]}`, receipt: "m9"},
		{name: "failed group by id only", status: 200, body: `{"messages":[{"messageId":"m","status":{"groupId":2,"id":9}}]}`,
			class: providers.ClassPermanent, code: "UNDELIVERABLE", text: "cannot deliver"},
		{name: "quoted failed group id", status: 200, body: `{"messages":[{"messageId":"m","status":{"groupId":"5","name":"REJECTED_SENDER"}}]}`,
			class: providers.ClassFatal, code: "REJECTED_SENDER", text: "sender is blocklisted"},
		{name: "lower-case names", status: 200, body: `{"messages":[{"status":{"groupName":"rejected","name":"rejected_destination","action":"check it"}}]}`,
			class: providers.ClassPermanent, code: "REJECTED_DESTINATION", text: "(check it)"},
		{name: "rate limit with Retry-After", status: 429, header: retryIn7, body: `{"errorCode":"429","exceptionInfo":"flow control"}`,
			class: providers.ClassRateLimited, code: "http_429", text: "flow control (errorCode 429)", retryAfter: 7 * time.Second},
		{name: "numeric errorCode only", status: 400, body: `{"errorCode":1001}`,
			class: providers.ClassPermanent, code: "http_400", text: "the CEC says: errorCode 1001"},
		// 500 is "Incorrect request. Check the values of parameters in the request.": the row's values, not a
		// passing failure: a retry would send them again unchanged.
		{name: "documented 500", status: 500, body: `{"errorCode":"500","exceptionInfo":"templateData[0] is invalid"}`,
			class: providers.ClassPermanent, code: "http_500", text: "registered in the CEC; the CEC says: templateData[0] is invalid (errorCode 500)"},
		// Bodies of other shapes keep their reason: the API Gateway's, a {code, message}, a {resultCode,
		// resultDesc}, and JSON that names its reason under no known field.
		{name: "gateway throttling body", status: 429, body: `{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached","request_id":"r"}`,
			class: providers.ClassRateLimited, code: "http_429", text: "The throttling threshold has been reached (errorCode APIG.0308)"},
		{name: "code and message", status: 400, body: `{"code":"CC-001","message":"destination is blocked"}`,
			class: providers.ClassPermanent, code: "http_400", text: "destination is blocked (errorCode CC-001)"},
		{name: "resultCode and resultDesc", status: 400, body: `{"resultCode":"0200001","resultDesc":"param error"}`,
			class: providers.ClassPermanent, code: "http_400", text: "param error (errorCode 0200001)"},
		{name: "reason under another name", status: 400, body: `{"err":"bad language"}`,
			class: providers.ClassPermanent, code: "http_400", text: `the CEC says: {"err":"bad language"}`},
		{name: "undocumented 503", status: 503, header: retryIn7, body: `{}`,
			class: providers.ClassRetryable, code: "http_503", text: "does not know", retryAfter: 7 * time.Second},
		{name: "undocumented 418", status: 418, body: `{"exceptionInfo":"teapot"}`, class: providers.ClassPermanent, code: "http_418", text: "teapot"},
		{name: "redirect with a JSON body", status: 302, body: `null`, class: providers.ClassPermanent, code: "http_302"},
		{name: "proxy HTML page", status: 502, body: "<html><head><title>502 Bad Gateway</title></head></html>",
			class: providers.ClassRetryable, code: "bad_answer", text: `HTTP 502 with an answer that is not the expected JSON: "<html><head><title>502`},
		{name: "HTML login page with 200", status: 200, body: "<html>sign in</html>",
			class: providers.ClassUnknown, code: "bad_answer", text: "HTTP 200"},
		{name: "truncated JSON", status: 200, body: `{"messages":[{"messageId":"x"`, class: providers.ClassUnknown, code: "bad_answer", text: `{\"messages\"`},
		{name: "no messages", status: 200, body: `{"messages":[],"bulkId":"b"}`, class: providers.ClassUnknown, code: "bad_answer"},
		{name: "messages of the wrong type", status: 200, body: `{"messages":{"messageId":"x"}}`, class: providers.ClassUnknown, code: "bad_answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parseAnswer(providers.Answer{Status: tc.status, Header: tc.header, Body: []byte(tc.body)}, "ref-1", testSecrets)
			if tc.receipt != "" {
				if err != nil || r.MessageID != tc.receipt {
					t.Fatalf("got %+v, %v; want receipt %q", r, err, tc.receipt)
				}
				return
			}
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %+v, %v; want a *providers.Error", r, err)
			}
			if pe.Class != tc.class || pe.Code != tc.code || pe.RetryAfter != tc.retryAfter || !strings.Contains(pe.Message, tc.text) {
				t.Errorf("got class %v code %s retry %v message %q; want %v %s %v containing %q",
					pe.Class, pe.Code, pe.RetryAfter, pe.Message, tc.class, tc.code, tc.retryAfter, tc.text)
			}
		})
	}
}

// TestParseAnswerRedactsSecrets checks that an answer echoing the credentials or the token, as they are or
// JSON-escaped, yields an error text without them.
func TestParseAnswerRedactsSecrets(t *testing.T) {
	bodies := []providers.Answer{
		{Status: 500, Body: []byte(`{"exceptionInfo":"bad header x-app-key: ` + testAppKey + `, Authorization: Bearer TOKEN1"}`)},
		{Status: 500, Body: []byte(`{"exceptionInfo":"app_secret \u0053K9ZP4TESTSECRET"}`)},
		{Status: 502, Body: []byte(`<html>` + testAppSecret + ` TOKEN1</html>`)},
		{Status: 200, Body: []byte(`{"messages":[{"status":{"groupName":"REJECTED","description":"token TOKEN1 refused"}}]}`)},
	}
	for _, ans := range bodies {
		_, err := parseAnswer(ans, "ref", testSecrets)
		if err == nil {
			t.Fatalf("parseAnswer(%s): no error", ans.Body)
		}
		for _, s := range testSecrets {
			if strings.Contains(err.Error(), string(s)) {
				t.Errorf("error %q holds the secret %s", err, s)
			}
		}
	}
}

// FuzzParseAnswer checks that any status and body give a receipt with an id or a classified error holding no
// secret, and never panic.
func FuzzParseAnswer(f *testing.F) {
	f.Add(200, []byte(documentedAnswer))
	f.Add(200, []byte(`{"messages":[{"status":{"groupId":"5","name":"REJECTED_DESTINATION"}}]}`))
	f.Add(401, []byte(`{"errorCode":"0","exceptionInfo":"auth fail! `+testAppKey+`"}`))
	f.Add(429, []byte(`{"errorCode":429}`))
	f.Add(502, []byte("<html>502</html>"))
	f.Add(200, []byte(`{"messages":[]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 100 + (status%900+900)%900
		r, err := parseAnswer(providers.Answer{Status: status, Header: http.Header{}, Body: body}, "ref-1", testSecrets)
		if err == nil {
			if r.MessageID == "" {
				t.Fatalf("status %d body %q: a receipt with no message id", status, body)
			}
			return
		}
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Class < providers.ClassUnknown || pe.Class > providers.ClassFatal || pe.Code == "" || pe.Message == "" {
			t.Fatalf("status %d body %q: unclassified error %#v", status, body, err)
		}
		for _, s := range testSecrets {
			if strings.Contains(pe.Error(), string(s)) {
				t.Fatalf("status %d body %q: error %q holds a secret", status, body, pe)
			}
		}
	})
}
