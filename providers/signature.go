package providers

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// SignatureHeader is the header that carries the signature of a callback's body (Meta's, and BSPs' that follow
// it).
const SignatureHeader = "X-Hub-Signature-256"

// signaturePrefix starts the header's value; the lowercase hex HMAC-SHA256 of the raw body follows.
const signaturePrefix = "sha256="

// SignBody returns the X-Hub-Signature-256 value of body under secret: "sha256=" and the lowercase hex
// HMAC-SHA256 of the raw bytes.
func SignBody(secret Secret, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write(body)
	return signaturePrefix + hex.EncodeToString(mac.Sum(nil))
}

// SignatureValid reports whether header is the signature of the raw body under secret, comparing in constant
// time. An empty secret or header, a header without the sha256= prefix, or one that is not hex never matches.
func SignatureValid(secret Secret, header string, body []byte) bool {
	if secret == "" || len(header) <= len(signaturePrefix) ||
		!strings.EqualFold(header[:len(signaturePrefix)], signaturePrefix) {
		return false
	}
	got, err := hex.DecodeString(strings.TrimSpace(header[len(signaturePrefix):]))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// TokenValid reports whether got equals the expected token, in constant time; an empty expected token never
// matches.
func TokenValid(want Secret, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want.Reveal())) == 1
}
