package itniotech

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// TestAnswers sends through the adapter to a server giving each answer and checks the outcome: the documented
// error codes, the sandbox's rate limit, unknown codes, tolerant parsing, and answers that are not the envelope.
func TestAnswers(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		body       string
		wantID     string // a receipt; else the error below
		wantClass  providers.Class
		wantCode   string
		wantRetry  time.Duration
		wantInMsg  string
	}{
		{"success", 200, "", successBody, "10415ecbd0c848ebb7d5a3fe53269df6", 0, "", 0, ""},
		{"numeric status and id", 200, "", `{"status":0,"data":{"messageId":12345}}`, "12345", 0, "", 0, ""},
		{"success without id", 200, "", `{"status":"0","reason":"success"}`, "", providers.ClassUnknown, "no_message_id", 0, "without a messageId"},
		{"auth", 200, "", `{"status":"-1","reason":"Authentication error"}`, "", providers.ClassFatal, "-1", 0, "check api_key and api_secret"},
		{"template status", 200, "", `{"status":"-2","reason":"Incorrect template status"}`, "", providers.ClassFatal, "-2", 0, "template"},
		{"timestamp expired", 200, "", `{"status":"-4","reason":"Timestamp expires"}`, "", providers.ClassRetryable, "-4", 0, "clock"},
		{"system exception", 200, "", `{"status":"-5","reason":"System exception !"}`, "", providers.ClassRetryable, "-5", 0, `Itniotech says "System exception !"`},
		{"restricted ip", 200, "", `{"status":"-6","reason":"Restricted IP access"}`, "", providers.ClassFatal, "-6", 0, "IP allow list"},
		{"json parse", 200, "", `{"status":"-7","reason":"json parse exception"}`, "", providers.ClassPermanent, "-7", 0, ""},
		{"parameter check", 200, "", `{"status":"-8","reason":"Abnormal parameter verification"}`, "", providers.ClassPermanent, "-8", 0, ""},
		{"app missing", 200, "", `{"status":"-10","reason":"Application does not exist"}`, "", providers.ClassFatal, "-10", 0, "app_id"},
		{"network or parameter", 200, "", `{"status":"-12"}`, "", providers.ClassPermanent, "-12", 0, ""},
		{"not authenticated", 200, "", `{"status":"-14"}`, "", providers.ClassFatal, "-14", 0, ""},
		{"balance", 200, "", `{"status":"-68","reason":"Insufficient balance"}`, "", providers.ClassFatal, "-68", 0, "top it up"},
		{"recipient too long", 200, "", `{"status":"-70"}`, "", providers.ClassPermanent, "-70", 0, "recipient"},
		{"recipient too short", 200, "", `{"status":"-71"}`, "", providers.ClassPermanent, "-71", 0, "recipient"},
		{"recipient not a number", 200, "", `{"status":"-72"}`, "", providers.ClassPermanent, "-72", 0, "recipient"},
		{"business number missing", 200, "", `{"status":"-96"}`, "", providers.ClassFatal, "-96", 0, "business_phone"},
		{"business number abnormal", 200, "", `{"status":"-97"}`, "", providers.ClassFatal, "-97", 0, "business_phone"},
		{"error with odd data", 200, "", `{"status":"-5","reason":"x","data":"oops"}`, "", providers.ClassRetryable, "-5", 0, ""},
		{"sandbox rate limit", 429, "7", `{"status":"-429","reason":"too many requests"}`, "", providers.ClassRateLimited, "-429", 7 * time.Second, "HTTP 429"},
		{"unknown code on 200", 200, "", `{"status":"-999","reason":"brand new"}`, "", providers.ClassPermanent, "-999", 0, `status -999 (HTTP 200) (Itniotech says "brand new")`},
		{"unknown code on 503", 503, "2", `{"status":"-999"}`, "", providers.ClassRetryable, "-999", 2 * time.Second, ""},
		{"documented code wins over status", 500, "", `{"status":"-1"}`, "", providers.ClassFatal, "-1", 0, ""},
		{"no status on 200", 200, "", `{"reason":"?"}`, "", providers.ClassUnknown, "bad_answer", 0, "HTTP 200"},
		{"blank status", 200, "", `{"status":" "}`, "", providers.ClassUnknown, "bad_answer", 0, "HTTP 200"},
		{"status too long", 200, "", `{"status":"` + strings.Repeat("9", 33) + `"}`, "", providers.ClassUnknown, "bad_answer", 0, ""},
		{"no status on 404", 404, "", `{"error":"not found"}`, "", providers.ClassPermanent, "bad_answer", 0, "HTTP 404"},
		{"proxy page", 502, "", "<html><body>502 Bad Gateway</body></html>", "", providers.ClassRetryable, "bad_answer", 0, `HTTP 502 with an answer that is not the expected JSON: "<html><body>502 Bad Gateway`},
		{"truncated json", 200, "", `{"status":"0","reason":"succ`, "", providers.ClassUnknown, "bad_answer", 0, `"{\"status\":\"0\",\"reason\":\"succ"`},
		{"bad success data", 200, "", `{"status":"0","data":[1]}`, "", providers.ClassUnknown, "bad_answer", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			rec, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"})
			if tt.wantID != "" {
				if err != nil || rec.MessageID != tt.wantID {
					t.Fatalf("Send = %+v, %v; want id %q", rec, err, tt.wantID)
				}
				return
			}
			pe := asProviderError(t, err)
			if pe.Class != tt.wantClass || pe.Code != tt.wantCode || pe.HTTPStatus != tt.status || pe.RetryAfter != tt.wantRetry {
				t.Errorf("got class %v code %q status %d retry %v; want %v %q %d %v (%v)", pe.Class, pe.Code, pe.HTTPStatus,
					pe.RetryAfter, tt.wantClass, tt.wantCode, tt.status, tt.wantRetry, pe)
			}
			if !strings.Contains(pe.Error(), tt.wantInMsg) {
				t.Errorf("error %q does not contain %q", pe.Error(), tt.wantInMsg)
			}
		})
	}
}

// TestTransportFailures covers answers that never arrive whole: classified by whether the request left.
func TestTransportFailures(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantClass providers.Class
		wantCode  string
	}{
		{"oversized answer", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"status":"0","reason":"`+strings.Repeat("x", providers.MaxResponseBytes)+`"}`)
		}, providers.ClassUnknown, "oversized_answer"},
		{"connection closed mid-answer", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "200")
			io.WriteString(w, `{"status":"0",`)
			w.(http.Flusher).Flush()
			closeConn(t, w)
		}, providers.ClassUnknown, "truncated_answer"},
		{"connection closed after the request", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			closeConn(t, w)
		}, providers.ClassUnknown, "no_answer"},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) // the server notices the client closing only once the body is read
			<-r.Context().Done()
		}, providers.ClassUnknown, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, 200*time.Millisecond, tt.handler)
			_, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"})
			if pe := asProviderError(t, err); pe.Class != tt.wantClass || pe.Code != tt.wantCode {
				t.Errorf("got %v (class %v, code %q), want %v %q", pe, pe.Class, pe.Code, tt.wantClass, tt.wantCode)
			}
		})
	}
}

// TestConnectionRefused: nothing left, so the row may be retried.
func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	a, err := New(testProfile(srv.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"})
	if pe := asProviderError(t, err); pe.Class != providers.ClassRetryable || pe.Code != "network" {
		t.Errorf("got %v (class %v, code %q), want retryable network", pe, pe.Class, pe.Code)
	}
}

// TestNoSecretInErrors provokes every kind of failure and looks for the api key and secret in all the text an
// error or the adapter can print as.
func TestNoSecretInErrors(t *testing.T) {
	var errs []error
	bad := testProfile("")
	bad.BusinessPhone = ""
	if _, err := New(bad, nil); err != nil {
		errs = append(errs, err)
	}
	for _, h := range []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"status":"-1","reason":"Authentication error"}`)
		},
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, "<html>bad gateway</html>")
		},
		func(w http.ResponseWriter, r *http.Request) { io.ReadAll(r.Body); <-r.Context().Done() },
		func(w http.ResponseWriter, r *http.Request) { closeConn(t, w) },
	} {
		a := newTestAdapter(t, 200*time.Millisecond, h)
		_, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"})
		errs = append(errs, err)
		_, err = a.Send(context.Background(), providers.Message{Template: "t", Header: []providers.Param{{Kind: "audio"}}})
		errs = append(errs, err)
		errs = append(errs, fmt.Errorf("adapter printed: %+v", a))
	}
	for _, err := range errs {
		if err == nil {
			t.Fatal("a failure gave no error")
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(text, testAPIKey) || strings.Contains(text, testAPISecret) {
				t.Errorf("a secret leaked: %s", text)
			}
		}
	}
}

// closeConn closes the connection under a handler without an answer.
func closeConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// FuzzParseAnswer: any status and body give either a receipt with an id or a classified error with a code and
// a message, and never panic.
func FuzzParseAnswer(f *testing.F) {
	f.Add(200, []byte(successBody))
	f.Add(200, []byte(`{"status":"-4","reason":"Timestamp expires"}`))
	f.Add(429, []byte(`{"status":"-429","reason":"too many requests"}`))
	f.Add(502, []byte("<html>502</html>"))
	f.Add(200, []byte(`{"status":0,"data":{"messageId":1e3}}`))
	f.Add(200, []byte(`{"status":"0","data":null}`))
	f.Add(500, []byte(`null`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		h := http.Header{}
		h.Set("Retry-After", "3")
		rec, err := parseAnswer(providers.Answer{Status: status, Header: h, Body: body})
		if err == nil {
			if rec.MessageID == "" {
				t.Fatalf("receipt without an id for %d %q", status, body)
			}
			return
		}
		pe := asProviderError(t, err)
		if pe.Code == "" || pe.Message == "" || len(pe.Code) > maxCodeLen || pe.HTTPStatus != status {
			t.Fatalf("unclassified error %#v for %d %q", pe, status, body)
		}
	})
}
