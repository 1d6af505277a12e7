package innopaas

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"herald/providers"
)

// Test credentials, distinctive enough that a leak into any text is found by a substring search.
const (
	testAppKey = "ak-7f3c9e1d5b"
	testToken  = "tok-2a8e6c4f0d9b"
	testWaba   = "104857600000001"
	testSender = "8613800138000"
)

func testProfile(baseURL string) providers.Profile {
	return providers.Profile{Name: "inno", Provider: "innopaas", BaseURL: baseURL,
		AppKey: testAppKey, Token: testToken, WabaID: testWaba, SendNumber: testSender}
}

// newTestAdapter returns an adapter pointed at srv, using srv's client.
func newTestAdapter(t *testing.T, srv *httptest.Server) *Adapter {
	t.Helper()
	a, err := New(testProfile(srv.URL), srv.Client())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// answerWith starts a server that answers every request with status and body.
func answerWith(t *testing.T, status int, body string, header http.Header) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// asProviderError returns the *providers.Error in err, failing the test when there is none.
func asProviderError(t *testing.T, err error) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *providers.Error", err, err)
	}
	return pe
}

// sameJSON fails the test unless got and want hold the same JSON value (key order and spacing aside).
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON in the test: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		gn, _ := json.Marshal(g)
		wn, _ := json.Marshal(w)
		t.Errorf("body differs\n got: %s\nwant: %s", gn, wn)
	}
}

// textParams returns text parameters with the given values.
func textParams(values ...string) []providers.Param {
	ps := make([]providers.Param, len(values))
	for i, v := range values {
		ps[i] = providers.Param{Kind: providers.ParamText, Text: v}
	}
	return ps
}

// containsAny reports whether s contains any of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
