package engagelab

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

var msg = providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "ref-1"}

// answerCase is one answer the provider may give and what the adapter must make of it.
type answerCase struct {
	name       string
	status     int
	retryAfter string
	body       string
	class      providers.Class
	code       string
	retryWait  time.Duration
	// contains are substrings of the error's Message.
	contains []string
}

// documentedAnswers are EngageLab's documented error answers, one per code, with the statuses of
// provider-notes.md (5002 has none published: 400 is assumed).
var documentedAnswers = []answerCase{
	{name: "1000 internal error", status: 500, body: `{"code":1000,"message":"internal error"}`,
		class: providers.ClassRetryable, code: "1000", contains: []string{"internal error; the message will be retried", `(EngageLab: "internal error")`}},
	{name: "2001 no valid token", status: 401, body: `{"code":2001,"message":"authentication failed"}`,
		class: providers.ClassFatal, code: "2001", contains: []string{"check dev_key and dev_secret"}},
	{name: "2002 token expired", status: 401, body: `{"code":2002,"message":"token expired"}`,
		class: providers.ClassFatal, code: "2002", contains: []string{"expired or was disabled"}},
	{name: "2003 WhatsApp authentication", status: 400, body: `{"code":2003,"message":"whatsapp auth failed"}`,
		class: providers.ClassFatal, code: "2003", contains: []string{"contact EngageLab customer service"}},
	{name: "2004 no permission", status: 403, body: `{"code":2004,"message":"no permission"}`,
		class: providers.ClassFatal, code: "2004", contains: []string{"may not send from the profile's number"}},
	{name: "3001 not JSON", status: 400, body: `{"code":3001,"message":"invalid json"}`,
		class: providers.ClassPermanent, code: "3001", contains: []string{"could not read the request as JSON"}},
	{name: "3002 wrong parameters", status: 400, body: `{"code":3002,"message":"whatsapp.template field must be set correctly when type is template"}`,
		class: providers.ClassPermanent, code: "3002", contains: []string{"check this row's template parameters", "whatsapp.template field"}},
	{name: "3003 invalid number", status: 400, body: `{"code":3003,"message":"to is invalid"}`,
		class: providers.ClassPermanent, code: "3003", contains: []string{"its message names which", `(EngageLab: "to is invalid")`}},
	// 3003 is any invalid request parameter, not the number above all: the sentence blames none, and EngageLab's
	// message says which.
	{name: "3003 invalid template parameter", status: 400,
		body:  `{"code":3003,"message":"invalid parameter: body.template.components[0].parameters[1].currency.amount_1000"}`,
		class: providers.ClassPermanent, code: "3003",
		contains: []string{"a request parameter is invalid (its message names which: the recipient's number or a template parameter): check this row's number and values",
			`currency.amount_1000"`}},
	{name: "4001 template missing", status: 400, body: `{"code":4001,"message":"template not found"}`,
		class: providers.ClassFatal, code: "4001", contains: []string{"the template does not exist at EngageLab"}},
	{name: "5002 Meta rejected", status: 400, body: `{"code":5002,"message":"meta rejected"}`,
		class: providers.ClassPermanent, code: "5002", contains: []string{"Meta rejected this template message"}},
}

// otherAnswers are the undocumented or malformed answers the adapter must still classify.
var otherAnswers = []answerCase{
	{name: "429 without a code", status: 429, retryAfter: "7", body: `{"message":"too many requests"}`,
		class: providers.ClassRateLimited, code: "http_429", retryWait: 7 * time.Second, contains: []string{`HTTP 429: "too many requests"`}},
	{name: "429 beats a retryable code", status: 429, retryAfter: "2", body: `{"code":1000,"message":"slow down"}`,
		class: providers.ClassRateLimited, code: "1000", retryWait: 2 * time.Second},
	{name: "429 with an HTML page", status: 429, retryAfter: "3", body: `<html>slow down</html>`,
		class: providers.ClassRateLimited, code: "bad_answer", retryWait: 3 * time.Second, contains: []string{"HTTP 429", "<html>slow down"}},
	{name: "code as a string", status: 401, body: `{"code":"2001","message":"x"}`,
		class: providers.ClassFatal, code: "2001"},
	{name: "unknown code on 503", status: 503, body: `{"code":9999,"message":"busy"}`,
		class: providers.ClassRetryable, code: "9999", contains: []string{"error code 9999, which herald does not know", `"busy"`}},
	{name: "unknown code on 422", status: 422, body: `{"code":9999,"message":"no"}`,
		class: providers.ClassPermanent, code: "9999"},
	{name: "unknown code on 200", status: 200, body: `{"code":7}`,
		class: providers.ClassPermanent, code: "7"},
	{name: "500 without a code", status: 500, body: `{"message":"oops"}`,
		class: providers.ClassRetryable, code: "http_500", contains: []string{`HTTP 500: "oops"`}},
	{name: "404 empty object", status: 404, body: `{}`,
		class: providers.ClassPermanent, code: "http_404", contains: []string{`HTTP 404: "{}"`}},
	{name: "200 without message_id", status: 200, body: `{"request_id":"ref-1"}`,
		class: providers.ClassUnknown, code: "bad_answer", contains: []string{"without a message_id", "may have been sent"}},
	{name: "200 with code 0 and no message_id", status: 200, body: `{"code":0,"message":"ok"}`,
		class: providers.ClassUnknown, code: "bad_answer"},
	{name: "200 with a numeric message_id", status: 200, body: `{"message_id":12}`,
		class: providers.ClassUnknown, code: "bad_answer", contains: []string{"HTTP 200", `{\"message_id\":12}`}},
	{name: "proxy HTML page", status: 502, body: `<html><head><title>502 Bad Gateway</title></head></html>`,
		class: providers.ClassRetryable, code: "bad_answer", contains: []string{"HTTP 502", "<html><head><title>502 Bad Gateway"}},
	{name: "truncated JSON", status: 200, body: `{"message_id":"cbggf4`,
		class: providers.ClassUnknown, code: "bad_answer", contains: []string{"HTTP 200", `{\"message_id\":\"cbggf4`}},
	{name: "hostile control characters are quoted", status: 400, body: `{"code":3002,"message":"\u001b[2Jgone"}`,
		class: providers.ClassPermanent, code: "3002", contains: []string{`"\x1b[2Jgone"`}},
}

func TestSendClassifiesAnswers(t *testing.T) {
	for _, tc := range append(append([]answerCase(nil), documentedAnswers...), otherAnswers...) {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := a.Send(context.Background(), msg)
			assertError(t, err, tc.class, tc.code, tc.status, tc.contains...)
			if e := providers.AsError(err); e.RetryAfter != tc.retryWait {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tc.retryWait)
			}
		})
	}
}

// TestCodeTableIsTested keeps codeTable and the documented answers in step: every row has a test and every
// documented answer's class is the table's.
func TestCodeTableIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, tc := range documentedAnswers {
		tested[tc.code] = true
		if m, ok := codeTable[tc.code]; !ok || m.Class != tc.class {
			t.Errorf("codeTable[%s] = %+v, want class %v", tc.code, m, tc.class)
		}
	}
	for code := range codeTable {
		if !tested[code] {
			t.Errorf("code %s has no documented answer test", code)
		}
	}
}

func TestSuccessWinsOverACode(t *testing.T) {
	rec, err := parseAnswer(providers.Answer{Status: 200, Body: []byte(`{"message_id":"m1","code":3002}`)})
	if err != nil || rec.MessageID != "m1" {
		t.Fatalf("parseAnswer = %+v, %v; want receipt m1", rec, err)
	}
}

// assertError checks an error's class, code, HTTP status and message.
func assertError(t *testing.T, err error, class providers.Class, code string, status int, contains ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v %s", class, code)
	}
	e := providers.AsError(err)
	if e.Class != class || e.Code != code || e.HTTPStatus != status {
		t.Errorf("error = %v: class %v code %q status %d, want %v %q %d", err, e.Class, e.Code, e.HTTPStatus, class, code, status)
	}
	for _, s := range contains {
		if !strings.Contains(e.Message, s) {
			t.Errorf("message %q does not contain %q", e.Message, s)
		}
	}
}

func TestSendTransportFailures(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		class   providers.Class
		code    string
		status  int
	}{
		{"oversized answer", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"message_id":"`+strings.Repeat("a", providers.MaxResponseBytes)+`"}`)
		}, providers.ClassUnknown, "oversized_answer", 200},
		{"body cut short", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, `{"message_id"`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}, providers.ClassUnknown, "truncated_answer", 200},
		{"connection closed after the request", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			_ = conn.Close()
		}, providers.ClassUnknown, "no_answer", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, tc.handler)
			_, err := a.Send(context.Background(), msg)
			assertError(t, err, tc.class, tc.code, tc.status)
		})
	}
}

// endingCtx is a context that ends, with err, when the test closes done: it makes a timeout happen at a chosen
// moment instead of after a wall-clock delay.
type endingCtx struct {
	context.Context
	done chan struct{}
	err  error
}

func (c *endingCtx) Done() <-chan struct{} { return c.done }

func (c *endingCtx) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func TestSendGivingUpAfterTheRequestLeftIsUnknown(t *testing.T) {
	cases := []struct {
		name string
		err  error
		code string
	}{
		{"timeout", context.DeadlineExceeded, "timeout"},
		{"cancelled", context.Canceled, "no_answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &endingCtx{Context: context.Background(), done: make(chan struct{}), err: tc.err}
			// Give up as soon as the request is written (this hook runs after the one providers.Do relies on).
			traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
				WroteRequest: func(httptrace.WroteRequestInfo) { close(ctx.done) }})
			a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
				// Read the body (so the server notices the client going away), then never answer.
				_, _ = io.ReadAll(r.Body)
				<-r.Context().Done()
			})
			_, err := a.Send(traced, msg)
			assertError(t, err, providers.ClassUnknown, tc.code, 0, "request to 127.0.0.1")
		})
	}
}

func TestSendConnectionRefusedIsRetryable(t *testing.T) {
	// Nothing listens on port 1 of the loopback: the request never leaves.
	a, err := New(testProfile("http://127.0.0.1:1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.Send(context.Background(), msg)
	assertError(t, err, providers.ClassRetryable, "network", 0, "request to 127.0.0.1:1")
}
