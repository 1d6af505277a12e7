package itniotech

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"herald/providers"
)

// Distinctive test credentials, so that a leak is easy to find in any text.
const (
	testAPIKey    = "KEY-7f3a9c-do-not-leak"
	testAPISecret = "SECRET-e41b77-do-not-leak"
	testAppID     = "DGziZf5u"
	testBizPhone  = "91856321412"
)

// testClock is the fixed second every test request is signed at.
var testClock = time.Unix(1630468800, 0)

// successBody is Itniotech's documented success answer.
const successBody = `{"status":"0","reason":"success","data":{"channelType":0,"messageId":"10415ecbd0c848ebb7d5a3fe53269df6","timestamp":1693813991}}`

// captured is what the test server saw of one request.
type captured struct {
	method, path string
	header       http.Header
	body         []byte
}

// testProfile is an itniotech profile pointing at baseURL.
func testProfile(baseURL string) providers.Profile {
	return providers.Profile{Name: "itnio", Provider: "itniotech", BaseURL: baseURL, AppID: testAppID,
		APIKey: testAPIKey, APISecret: testAPISecret, BusinessPhone: testBizPhone}
}

// newTestAdapter starts a server running handler and returns an adapter signed at testClock that talks to it.
func newTestAdapter(t testing.TB, timeout time.Duration, handler http.HandlerFunc) *Adapter {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	a, err := New(testProfile(srv.URL), providers.NewHTTPClient(providers.ClientOptions{Concurrency: 4, Timeout: timeout}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.now = func() time.Time { return testClock }
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// recordingHandler answers status/body to every request and sends what it saw on the returned channel.
func recordingHandler(t *testing.T, status int, body string) (http.HandlerFunc, <-chan captured) {
	seen := make(chan captured, 16)
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server reading the body: %v", err)
		}
		seen <- captured{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: b}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}, seen
}

// wantSign computes Itniotech's signature independently of the adapter.
func wantSign(key, secret, ts string) string {
	sum := md5.Sum([]byte(key + secret + ts))
	return hex.EncodeToString(sum[:])
}

// canonicalJSON re-encodes a JSON document with sorted keys and no spacing, for exact comparison.
func canonicalJSON(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, doc)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encoding: %v", err)
	}
	return string(out)
}

// asProviderError asserts err is a *providers.Error and returns it.
func asProviderError(t *testing.T, err error) *providers.Error {
	t.Helper()
	if err == nil {
		t.Fatal("got no error")
	}
	pe, ok := err.(*providers.Error)
	if !ok {
		t.Fatalf("error %T %v is not a *providers.Error", err, err)
	}
	return pe
}
