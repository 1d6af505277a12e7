package huawei

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// hijack takes the connection of a request so that a test can answer with raw bytes, or not at all.
func hijack(t *testing.T, w http.ResponseWriter) io.WriteCloser {
	t.Helper()
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Fatalf("hijack: %v", err)
	}
	return conn
}

// TestTransportFailures checks what the adapter says when the answer is too long, cut short, or never comes.
func TestTransportFailures(t *testing.T) {
	tests := []struct {
		name  string
		send  func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{})
		class providers.Class
		code  string
		text  string
	}{
		{"oversized answer", func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"messages":[{"messageId":"`+strings.Repeat("x", providers.MaxResponseBytes)+`"}]}`)
		}, providers.ClassUnknown, "oversized_answer", "larger than"},
		{"truncated JSON", func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
			writeTestJSON(w, http.StatusOK, `{"messages":[{"messageId":"10011","to":{"phoneNu`)
		}, providers.ClassUnknown, "bad_answer", "HTTP 200"},
		{"connection closed in the middle of the answer", func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
			conn := hijack(t, w)
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"messages\":[")
			_ = conn.Close()
		}, providers.ClassUnknown, "truncated_answer", "HTTP 200"},
		{"connection closed after the request", func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
			_, _ = io.ReadAll(r.Body)
			_ = hijack(t, w).Close()
		}, providers.ClassUnknown, "no_answer", "127.0.0.1"},
		{"timeout", func(t *testing.T, w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
			select {
			case <-r.Context().Done():
			case <-done:
			}
		}, providers.ClassUnknown, "timeout", "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) { tc.send(t, w, r, done) })
			t.Cleanup(func() { close(done) })
			_, err := f.adapter(500*time.Millisecond).Send(context.Background(), testMessage())
			pe := providers.AsError(err)
			if pe.Class != tc.class || pe.Code != tc.code || !strings.Contains(pe.Message, tc.text) {
				t.Errorf("got class %v code %s: %q; want %v %s containing %q", pe.Class, pe.Code, pe.Message, tc.class, tc.code, tc.text)
			}
			if n := f.sendCalls.Load(); n != 1 {
				t.Errorf("%d send requests, want 1: an unknown outcome is never resent", n)
			}
		})
	}
}

// TestTokenRequestWithoutAnswerIsRetryable checks that a token request that got no answer is retryable, not
// unknown: no message left with it.
func TestTokenRequestWithoutAnswerIsRetryable(t *testing.T) {
	f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a message was sent without a token") })
	f.setTokenAnswer(func(w http.ResponseWriter, r *http.Request, n int64) bool {
		_ = hijack(t, w).Close()
		return true
	})
	_, err := f.adapter(5*time.Second).Send(context.Background(), testMessage())
	if pe := providers.AsError(err); pe.Class != providers.ClassRetryable || !strings.HasPrefix(pe.Message, "getting an access token: ") {
		t.Errorf("got %v, want a retryable error about the access token", err)
	}
}

// TestNoSecretInAnyError drives every failure that could echo a credential or the token, and checks that the
// error texts, and the adapter printed with %+v, hold none of them.
func TestNoSecretInAnyError(t *testing.T) {
	echoHeaders := func(w http.ResponseWriter, r *http.Request, status int) {
		w.WriteHeader(status)
		_ = r.Header.Write(w)
		_, _ = io.Copy(w, r.Body)
	}
	var errs []error
	send := func(a *Adapter) {
		_, err := a.Send(context.Background(), testMessage())
		if err == nil {
			t.Fatal("Send succeeded, want a failure")
		}
		errs = append(errs, err)
	}

	// The token endpoint refuses, echoing the request's headers and body (app_key and app_secret).
	f := newFakeCEC(t, nil)
	f.setTokenAnswer(func(w http.ResponseWriter, r *http.Request, n int64) bool {
		echoHeaders(w, r, http.StatusUnauthorized)
		return true
	})
	send(f.adapter(5 * time.Second))
	// The token endpoint answers 200 with AppKey and no AccessToken.
	f.setTokenAnswer(func(w http.ResponseWriter, r *http.Request, n int64) bool {
		writeTestJSON(w, http.StatusOK, `{"AppKey":"`+testAppKey+`","Secret":"`+testAppSecret+`"}`)
		return true
	})
	send(f.adapter(5 * time.Second))
	f.setTokenAnswer(nil)
	// The send endpoint echoes the request's headers (Authorization, x-app-key), as JSON and as a proxy page.
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusUnauthorized} {
		f.setSend(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			echoHeaders(w, r, status)
		})
		send(f.adapter(5 * time.Second))
		f.setSend(func(w http.ResponseWriter, r *http.Request) {
			writeTestJSON(w, status, fmt.Sprintf(`{"exceptionInfo":"rejected x-app-key %s with %s"}`, r.Header.Get("X-App-Key"), r.Header.Get("Authorization")))
		})
		send(f.adapter(5 * time.Second))
	}
	a := f.adapter(5 * time.Second)
	if _, err := a.Send(context.Background(), testMessage()); err == nil {
		t.Fatal("want a failure")
	}
	printed := fmt.Sprintf("%+v %#v", a, a)
	for _, s := range []string{testAppKey, testAppSecret, "TOKEN"} {
		for _, err := range errs {
			if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%+v", err), s) {
				t.Errorf("error %q holds %s", err, s)
			}
		}
		if strings.Contains(printed, s) {
			t.Errorf("the adapter printed with %%+v holds %s: %s", s, printed)
		}
	}
}
