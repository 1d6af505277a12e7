package innopaas

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// TestBrokenAnswers covers answers that break off or never come: each must be classified by whether the request
// may have reached InnoPaaS.
func TestBrokenAnswers(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		timeout time.Duration
		class   providers.Class
		code    string
		inText  string
	}{
		{
			name: "oversized answer",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"code":0,"message":"`+strings.Repeat("a", providers.MaxResponseBytes)+`"}`)
			},
			class: providers.ClassUnknown, code: "oversized_answer", inText: "larger than 1048576 bytes",
		},
		{
			name: "truncated JSON",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"code":0,"data":{"messageId":"ipw-`)
			},
			class: providers.ClassUnknown, code: "bad_answer", inText: `HTTP 200 with an answer that is not the expected JSON: "{\"code\":0`,
		},
		{
			name: "body shorter than its Content-Length",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				_, _ = io.WriteString(w, `{"code":0,"data"`)
			},
			class: providers.ClassUnknown, code: "truncated_answer", inText: "HTTP 200",
		},
		{
			name: "connection closed after the request",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					_ = conn.Close()
				}
			},
			class: providers.ClassUnknown, code: "no_answer", inText: "request to 127.0.0.1",
		},
		{
			name: "no answer before the timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				// Once the body is read the server notices the client giving up and closing the connection.
				_, _ = io.ReadAll(r.Body)
				<-r.Context().Done()
			},
			timeout: 100 * time.Millisecond,
			class:   providers.ClassUnknown, code: "timeout", inText: "request to 127.0.0.1",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			t.Cleanup(srv.Close)
			client := srv.Client()
			client.Timeout = tc.timeout
			a, err := New(testProfile(srv.URL), client)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			_, err = a.Send(context.Background(), testMessage)
			pe := asProviderError(t, err)
			if pe.Class != tc.class || pe.Code != tc.code {
				t.Errorf("got %s %s (%v), want %s %s", pe.Class, pe.Code, err, tc.class, tc.code)
			}
			if !strings.Contains(pe.Error(), tc.inText) {
				t.Errorf("error %q does not mention %q", pe.Error(), tc.inText)
			}
		})
	}
}

// TestRefusedConnectionIsRetryable: nothing left, so the row may be sent again.
func TestRefusedConnectionIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	a, err := New(testProfile("http://"+addr), &http.Client{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = a.Send(context.Background(), testMessage)
	pe := asProviderError(t, err)
	if pe.Class != providers.ClassRetryable || pe.Code != "network" {
		t.Errorf("got %s %s (%v), want retryable network", pe.Class, pe.Code, err)
	}
}
