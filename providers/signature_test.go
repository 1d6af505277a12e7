package providers

import "testing"

func TestSignatureValid(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	secret := Secret("app-secret")
	sig := SignBody(secret, body)
	// The value Meta documents: sha256= and the lowercase hex HMAC-SHA256 of the raw body (computed apart, with
	// Python's hmac module).
	if want := "sha256=d3e4f9da0ce6c71ab3dba55929b8eeeee2455349e534924ead19f98d143e904f"; sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
	altered := append([]byte(nil), body...)
	altered[10] ^= 1
	tests := []struct {
		name   string
		secret Secret
		header string
		body   []byte
		want   bool
	}{
		{"genuine", secret, sig, body, true},
		{"prefix in another case", secret, "SHA256=" + sig[7:], body, true},
		{"wrong secret", "other-secret", sig, body, false},
		{"no header", secret, "", body, false},
		{"body altered by one byte", secret, sig, altered, false},
		{"no prefix", secret, sig[7:], body, false},
		{"sha1 prefix", secret, "sha1=" + sig[7:], body, false},
		{"not hex", secret, "sha256=" + sig[8:] + "z", body, false},
		{"truncated", secret, sig[:len(sig)-2], body, false},
		{"no secret configured", "", sig, body, false},
	}
	for _, tc := range tests {
		if got := SignatureValid(tc.secret, tc.header, tc.body); got != tc.want {
			t.Errorf("%s: SignatureValid = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTokenValid(t *testing.T) {
	if !TokenValid("tok", "tok") || TokenValid("tok", "tok2") || TokenValid("tok", "") || TokenValid("", "") {
		t.Fatal("TokenValid")
	}
}
