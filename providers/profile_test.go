package providers_test

import (
	"strings"
	"testing"

	"herald/providers"
)

// TestWarnings: only an http:// base_url to a host other than loopback is warned about, once, and the warning
// names the host but no secret.
func TestWarnings(t *testing.T) {
	const secret = "s3cret-do-not-leak"
	tests := []struct {
		baseURL string
		want    string // "" for no warning
	}{
		{"", ""},
		{"https://graph.facebook.com", ""},
		{"https://192.0.2.1:8443", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://127.3.2.1", ""},
		{"http://localhost:9000", ""},
		{"http://LOCALHOST.", ""},
		{"http://[::1]:8080", ""},
		{"http://192.0.2.1", "http://192.0.2.1"},
		{"http://[2001:db8::1]:8080", "http://[2001:db8::1]:8080"},
		{"http://api.itniotech.com", "http://api.itniotech.com"},
		{"HTTP://192.0.2.1", "http://192.0.2.1"},
		{"http://user:" + secret + "@192.0.2.1", "http://192.0.2.1"},
		{"http://localhost.example.com", "http://localhost.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.baseURL, func(t *testing.T) {
			p := providers.Profile{Name: "itnio", Provider: "itniotech", BaseURL: tt.baseURL, AppID: "app",
				APIKey: secret, APISecret: secret, BusinessPhone: "91856321412"}
			got := p.Warnings()
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("warnings %q, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("warnings %q, want one", got)
			}
			w := got[0]
			for _, part := range []string{`profile "itnio"`, tt.want, "clear text", "https://"} {
				if !strings.Contains(w, part) {
					t.Errorf("warning %q does not say %q", w, part)
				}
			}
			if strings.Contains(w, secret) || strings.Contains(w, "user") {
				t.Errorf("warning %q carries a credential", w)
			}
		})
	}
}
