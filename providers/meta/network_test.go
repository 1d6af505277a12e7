package meta

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"herald/providers"
)

// hangUp reads the request and closes the connection without answering.
func hangUp(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// cutShort promises 1000 bytes of answer, sends 20 and aborts the connection.
func cutShort(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Length", "1000")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"messages":[{"id":"w`)
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// oversized answers status with a body one MiB and a bit long.
func oversized(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"messages":[{"id":"`+strings.Repeat("x", providers.MaxResponseBytes)+`"}]}`)
	}
}

func TestNetworkFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		class   providers.Class
		code    string
	}{
		{"connection closed after the request", hangUp, providers.ClassUnknown, "no_answer"},
		{"answer cut short", cutShort, providers.ClassUnknown, "truncated_answer"},
		{"oversized answer on 200", oversized(http.StatusOK), providers.ClassUnknown, "oversized_answer"},
		{"oversized answer on 502", oversized(http.StatusBadGateway), providers.ClassRetryable, "oversized_answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, tt.handler)
			_, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "promo", Language: "en"})
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != tt.class || pe.Code != tt.code {
				t.Fatalf("err = %v, want %s %s", err, tt.class, tt.code)
			}
		})
	}
}

// expiringContext is a context whose deadline passes when expire is closed, so a test decides the moment of
// the timeout instead of racing a timer.
type expiringContext struct {
	context.Context
	expire chan struct{}
}

func (c expiringContext) Done() <-chan struct{} { return c.expire }

func (c expiringContext) Err() error {
	select {
	case <-c.expire:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestTimeoutIsUnknown: the request reached the server and the deadline passed before an answer came.
func TestTimeoutIsUnknown(t *testing.T) {
	ctx := expiringContext{Context: context.Background(), expire: make(chan struct{})}
	release := make(chan struct{})
	a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		close(ctx.expire)
		<-release
	})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	_, err := a.Send(ctx, providers.Message{To: "15551234567", Template: "promo", Language: "en"})
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Class != providers.ClassUnknown || pe.Code != "timeout" {
		t.Fatalf("err = %v, want unknown timeout", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error carries the token: %v", err)
	}
}

// TestRefusedConnectionIsRetryable: nothing left, so the row may be sent again.
func TestRefusedConnectionIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	a, err := New(testProfile(url), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Send(context.Background(), providers.Message{To: "15551234567", Template: "promo", Language: "en"})
	if c := providers.Classify(err); c != providers.ClassRetryable {
		t.Fatalf("err = %v (class %s), want retryable", err, c)
	}
}
