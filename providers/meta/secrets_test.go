package meta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"herald/providers"
)

// echoAuthorization answers status with body, in which every "TOKEN" becomes the request's Authorization
// header: a misbehaving proxy or debug endpoint that reflects the request.
func echoAuthorization(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, strings.ReplaceAll(body, "TOKEN", r.Header.Get("Authorization")))
	}
}

// TestNoErrorCarriesTheToken provokes every kind of failure with answers that reflect the token and checks
// that no error text holds it.
func TestNoErrorCarriesTheToken(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"HTML page", echoAuthorization(502, "<html><pre>TOKEN</pre></html>")},
		{"HTML page with the token cut by the snippet", echoAuthorization(502, strings.Repeat("a", 110)+"TOKEN")},
		{"non-JSON on 200", echoAuthorization(200, "TOKEN")},
		{"Graph error message", echoAuthorization(401, `{"error":{"message":"bad token TOKEN","code":190}}`)},
		{"Graph error details and trace", echoAuthorization(400,
			`{"error":{"message":"m","code":131009,"error_data":{"details":"TOKEN"},"fbtrace_id":"TOKEN"}}`)},
		{"unknown code", echoAuthorization(400, `{"error":{"message":"TOKEN","code":4242}}`)},
		{"JSON without error", echoAuthorization(500, `{"echo":"TOKEN"}`)},
		{"connection closed", hangUp},
		{"answer cut short", cutShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, tt.handler)
			_, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "promo", Language: "en"})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			pe := providers.AsError(err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", pe), pe.Message} {
				if strings.Contains(text, testToken) {
					t.Errorf("error text carries the token: %s", text)
				}
			}
		})
	}
}
