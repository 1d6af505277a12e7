package huawei

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
)

// Test credentials: upper case and digits only, so that no "[redacted]" can ever spell one.
const (
	testAppKey    = "AK7QX2TESTKEY"
	testAppSecret = "SK9ZP4TESTSECRET"
)

// fakeCEC is a test double of the CEC: a token endpoint that checks the request exactly as documented and issues
// TOKEN1, TOKEN2, ... (each one revoking the ones before), and a send endpoint whose handler each test sets.
type fakeCEC struct {
	t   *testing.T
	srv *httptest.Server

	tokenCalls atomic.Int64
	sendCalls  atomic.Int64
	// valid is the token the send endpoint accepts in sendOK; "" accepts none.
	valid atomic.Pointer[string]

	mu sync.Mutex
	// tokenAnswer, when set, answers the n-th token request (from 1) instead of issuing a token.
	tokenAnswer func(w http.ResponseWriter, r *http.Request, n int64) bool
	// send answers the send endpoint.
	send http.HandlerFunc
}

// newFakeCEC serves a fake CEC whose send endpoint answers with send.
func newFakeCEC(t *testing.T, send http.HandlerFunc) *fakeCEC {
	t.Helper()
	f := &fakeCEC{t: t, send: send}
	mux := http.NewServeMux()
	mux.HandleFunc(TokenPath, f.token)
	mux.HandleFunc(SendPath, func(w http.ResponseWriter, r *http.Request) {
		f.sendCalls.Add(1)
		f.mu.Lock()
		h := f.send
		f.mu.Unlock()
		h(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// token checks a tokenByAkSk request as the CEC documents it, then issues the next token.
func (f *fakeCEC) token(w http.ResponseWriter, r *http.Request) {
	n := f.tokenCalls.Add(1)
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Token-Expire") != "600" {
		f.t.Errorf("token request: %s with Content-Type %q and X-Token-Expire %q, want POST, application/json, 600",
			r.Method, r.Header.Get("Content-Type"), r.Header.Get("X-Token-Expire"))
	}
	body, _ := io.ReadAll(r.Body)
	if got, want := normJSON(f.t, body), normJSON(f.t, []byte(`{"app_key":"`+testAppKey+`","app_secret":"`+testAppSecret+`"}`)); got != want {
		f.t.Errorf("token request body = %s, want %s", got, want)
	}
	f.mu.Lock()
	answer := f.tokenAnswer
	f.mu.Unlock()
	if answer != nil && answer(w, r, n) {
		return
	}
	tok := "TOKEN" + strconv.FormatInt(n, 10)
	f.valid.Store(&tok)
	writeTestJSON(w, http.StatusOK, `{"AccessToken":"`+tok+`","ApplyType":"Bearer","CreateTime":"1545650171","Expires":"600","Scope":"S","AppKey":"`+testAppKey+`","UserID":"Anonymous"}`)
}

// revoke makes the send endpoint refuse every token issued so far.
func (f *fakeCEC) revoke() {
	none := ""
	f.valid.Store(&none)
}

// setSend replaces the send endpoint's handler.
func (f *fakeCEC) setSend(h http.HandlerFunc) {
	f.mu.Lock()
	f.send = h
	f.mu.Unlock()
}

// setTokenAnswer replaces the token endpoint's answer: h returns false to issue a token as usual.
func (f *fakeCEC) setTokenAnswer(h func(w http.ResponseWriter, r *http.Request, n int64) bool) {
	f.mu.Lock()
	f.tokenAnswer = h
	f.mu.Unlock()
}

// adapter returns an adapter for the fake CEC with a client that times out after timeout.
func (f *fakeCEC) adapter(timeout time.Duration) *Adapter {
	f.t.Helper()
	p := providers.Profile{Name: "cec-test", Provider: "huawei", BaseURL: f.srv.URL, AppKey: testAppKey, AppSecret: testAppSecret}
	a, err := New(p, providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64, Timeout: timeout}))
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	f.t.Cleanup(func() { _ = a.Close() })
	return a
}

// sendOK answers the documented success for a request carrying the valid token, and the API Fabric's 401
// otherwise.
func (f *fakeCEC) sendOK(w http.ResponseWriter, r *http.Request) {
	if v := f.valid.Load(); v == nil || *v == "" || r.Header.Get("Authorization") != "Bearer "+*v {
		writeTestJSON(w, http.StatusUnauthorized, `{"errorCode":"0","exceptionInfo":"auth fail! illegal or expired token info"}`)
		return
	}
	writeTestJSON(w, http.StatusOK, documentedAnswer)
}

// documentedAnswer is the success answer of the CEC's own example.
const documentedAnswer = `{"messages":[{"messageId":"10011","to":{"phoneNumber":"173****6067"},
	"status":{"groupName":"send-test","groupId":113,"name":"sendMessage","description":"description","id":1}}],"bulkId":"20221025"}`

// writeTestJSON answers status with a JSON body.
func writeTestJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// normJSON re-encodes a JSON document with sorted keys and exact numbers, so that two documents compare equal
// exactly when they hold the same values.
func normJSON(t *testing.T, b []byte) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encoding: %v", err)
	}
	return string(out)
}

// testMessage is a template message with a text header, three body parameters and a dynamic URL button.
func testMessage() providers.Message {
	return providers.Message{To: "447911123456", Template: "order_update", Language: "en_US", Ref: "row42-a1",
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Ada"}},
		Body: []providers.Param{{Kind: providers.ParamText, Text: "A-1001"}, {Kind: providers.ParamText, Text: "3 items"},
			{Kind: providers.ParamText, Text: "Friday"}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "track/A-1001"}}}}}
}
