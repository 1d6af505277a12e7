package innopaas

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSecretsAppearInNoError: even an answer that echoes the request's credentials yields an error whose text
// holds neither the AppKey nor the token, not even their first bytes where an answer is cut short.
func TestSecretsAppearInNoError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string // %[1]s is the AppKey the request carried, %[2]s the token
	}{
		{"provider message", 200, `{"code":102,"message":"token %[2]s of appKey %[1]s is not valid"}`},
		{"msg of an unknown code", 500, `{"code":"E1","msg":"%[1]s/%[2]s"}`},
		{"proxy page", 502, `<html>AppKey: %[1]s Authorization: %[2]s</html>`},
		{"gateway JSON without a code", 401, `{"error":"bad credentials %[1]s %[2]s"}`},
		{"2xx without code or id", 200, `{"echo":"%[1]s %[2]s"}`},
		{"code is the token", 200, `{"code":"%[2]s","message":"%[1]s"}`},
		{"secret cut where the snippet ends", 503, "<html>" + strings.Repeat("x", 108) + "%[2]s %[1]s</html>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				w.WriteHeader(tc.status)
				_, _ = fmt.Fprintf(w, tc.body, r.Header.Get("AppKey"), r.Header.Get("Authorization"))
			}))
			t.Cleanup(srv.Close)
			a := newTestAdapter(t, srv)
			_, err := a.Send(context.Background(), testMessage)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			pe := asProviderError(t, err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", *pe), pe.Code} {
				if containsAny(text, testAppKey[:6], testToken[:6]) {
					t.Errorf("error text leaks a secret: %s", text)
				}
			}
			if !strings.Contains(err.Error(), "[redac") {
				t.Errorf("error %q shows no trace of the redacted echo", err)
			}
		})
	}
}
