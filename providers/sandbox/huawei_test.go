package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/huawei"
	"herald/providers/sandbox"
)

// huaweiSandbox serves a sandbox with opts on loopback and returns it, its URL, and a counter of the token
// requests it got.
func huaweiSandbox(t testing.TB, opts sandbox.Options) (*sandbox.Server, string, *atomic.Int64) {
	t.Helper()
	s := sandbox.New(opts)
	tokens := new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == huawei.TokenPath {
			tokens.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return s, srv.URL, tokens
}

// huaweiAdapter returns the real adapter for profile p.
func huaweiAdapter(t testing.TB, p providers.Profile) *huawei.Adapter {
	t.Helper()
	a, err := huawei.New(p, providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatalf("huawei.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// huaweiMessage is a template message with a text header, three body parameters and a URL button.
func huaweiMessage(to, ref string) providers.Message {
	return providers.Message{To: to, Template: "order_update", Language: "en_US", Ref: ref,
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Ada"}},
		Body: []providers.Param{{Kind: providers.ParamText, Text: "A-1"}, {Kind: providers.ParamText, Text: "2"},
			{Kind: providers.ParamText, Text: "Friday"}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "t/A-1"}}}}}
}

// TestHuaweiSendsThroughTheAdapter checks that messages sent through the real adapter are logged as sent, with
// the recipient, template, reference and the message id the adapter returned.
func TestHuaweiSendsThroughTheAdapter(t *testing.T) {
	s, url, tokens := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	a := huaweiAdapter(t, s.Profile("huawei", url))
	msgs := []providers.Message{huaweiMessage("447911123456", "r1-a1"), huaweiMessage("8613800138000", "r2-a1"),
		{To: "15551234567", Template: "plain_hello", Language: "en", Ref: "r3-a1"}}
	receipts := map[string]string{}
	for _, m := range msgs {
		r, err := a.Send(context.Background(), m)
		if err != nil || r.MessageID == "" {
			t.Fatalf("Send(%s): %+v, %v", m.Ref, r, err)
		}
		receipts[m.Ref] = r.MessageID
	}
	log := s.Log()
	if len(log) != len(msgs) {
		t.Fatalf("%d log entries, want %d: %+v", len(log), len(msgs), log)
	}
	for i, e := range log {
		m := msgs[i]
		if e.Dialect != "huawei" || e.To != m.To || e.Template != m.Template || e.Ref != m.Ref || e.Action != "sent" ||
			e.Status != http.StatusOK || e.MessageID != receipts[m.Ref] {
			t.Errorf("log[%d] = %+v, want huawei %s %s ref %s sent 200 with id %s", i, e, m.To, m.Template, m.Ref, receipts[m.Ref])
		}
	}
	if n := tokens.Load(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

// TestHuaweiActionsAsTheAdapterSeesThem checks each sandbox action's answer through the real adapter.
func TestHuaweiActionsAsTheAdapterSeesThem(t *testing.T) {
	tests := []struct {
		act   sandbox.Action
		class providers.Class
		code  string
		text  string
	}{
		{sandbox.Transient, providers.ClassRetryable, "http_503", "Backend unavailable, please try again later (errorCode APIG.0202)"},
		{sandbox.RateLimited, providers.ClassRateLimited, "http_429", "The throttling threshold has been reached"},
		{sandbox.RejectNumber, providers.ClassPermanent, "REJECTED_DESTINATION", "not a valid destination"},
		{sandbox.AuthFail, providers.ClassFatal, "http_401", "not purchased"},
		{sandbox.TemplateMissing, providers.ClassFatal, "http_404", "order_update (en_US) is not found"},
		{sandbox.Drop, providers.ClassUnknown, "no_answer", ""},
		{sandbox.HTMLPage, providers.ClassRetryable, "bad_answer", "HTTP 502"},
	}
	for _, tc := range tests {
		t.Run(tc.act.String(), func(t *testing.T) {
			s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true, Decide: func(sandbox.Request) sandbox.Action { return tc.act }})
			_, err := huaweiAdapter(t, s.Profile("huawei", url)).Send(context.Background(), huaweiMessage("447911123456", "r1-a1"))
			pe := providers.AsError(err)
			if pe.Class != tc.class || pe.Code != tc.code || !strings.Contains(pe.Message, tc.text) {
				t.Errorf("got class %v code %s: %q; want %v %s containing %q", pe.Class, pe.Code, pe.Message, tc.class, tc.code, tc.text)
			}
			if tc.act == sandbox.RateLimited && pe.RetryAfter < time.Second {
				t.Errorf("RetryAfter %v, want at least 1 s", pe.RetryAfter)
			}
			// An auth failure is retried once with a new token; every other answer is final.
			wantLogged := 1
			if tc.act == sandbox.AuthFail {
				wantLogged = 2
			}
			log := s.Log()
			if len(log) != wantLogged || s.Count(tc.act) != int64(wantLogged) {
				t.Fatalf("log %+v, count %d; want %d entries", log, s.Count(tc.act), wantLogged)
			}
			if e := log[0]; e.Action != tc.act.String() || e.Ref != "r1-a1" || e.MessageID != "" {
				t.Errorf("log entry %+v, want action %s, ref r1-a1 and no message id", e, tc.act)
			}
		})
	}
}

// TestHuaweiWrongCredentials checks that the sandbox refuses wrong credentials as the CEC does, and that the
// adapter stops the campaign.
func TestHuaweiWrongCredentials(t *testing.T) {
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	for _, edit := range []func(p *providers.Profile){
		func(p *providers.Profile) { p.AppSecret = "wrong-secret" },
		func(p *providers.Profile) { p.AppKey = "wrong-key" },
	} {
		p := s.Profile("huawei", url)
		edit(&p)
		_, err := huaweiAdapter(t, p).Send(context.Background(), huaweiMessage("447911123456", "r1"))
		if pe := providers.AsError(err); pe.Class != providers.ClassFatal || pe.Code != "token_http_401" ||
			!strings.Contains(pe.Message, "app_key or app_secret is incorrect") {
			t.Errorf("got %v, want fatal token_http_401 with the sandbox's words", err)
		}
	}
	status, body := post(t, url+huawei.TokenPath, nil, `{"app_key":"sandbox-app-key","app_secret":"nope"}`)
	if status != http.StatusUnauthorized || body != `{"errorCode":"401","exceptionInfo":"auth fail! app_key or app_secret is incorrect"}` {
		t.Errorf("token with a wrong secret: %d %s", status, body)
	}
	tok := token(t, url, "")
	for name, h := range map[string]http.Header{
		"unknown token":   {"Authorization": {"Bearer not-a-token"}, "X-App-Key": {"sandbox-app-key"}},
		"no Bearer":       {"Authorization": {tok}, "X-App-Key": {"sandbox-app-key"}},
		"wrong x-app-key": {"Authorization": {"Bearer " + tok}, "X-App-Key": {"other-key"}},
		"no x-app-key":    {"Authorization": {"Bearer " + tok}},
	} {
		status, body := post(t, url+huawei.SendPath, h, validBody)
		if status != http.StatusUnauthorized || !strings.Contains(body, `"exceptionInfo":"auth fail! illegal or expired token info`) {
			t.Errorf("%s: %d %s, want the API Fabric's 401", name, status, body)
		}
	}
	if n := len(s.Log()); n != 0 {
		t.Errorf("%d log entries for refused requests, want none", n)
	}
}

// TestHuaweiExpireTokensMidRun checks that when the sandbox expires every token between two bursts of
// concurrent sends, the adapter fetches one new token and no message fails.
func TestHuaweiExpireTokensMidRun(t *testing.T) {
	s, url, tokens := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	a := huaweiAdapter(t, s.Profile("huawei", url))
	burst := func(from int) {
		var wg sync.WaitGroup
		for i := from; i < from+50; i++ {
			wg.Go(func() {
				if _, err := a.Send(context.Background(), huaweiMessage(fmt.Sprintf("4479111%05d", i), fmt.Sprintf("r%d", i))); err != nil {
					t.Errorf("send %d: %v", i, err)
				}
			})
		}
		wg.Wait()
	}
	burst(0)
	s.ExpireTokens()
	burst(50)
	if n := tokens.Load(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if n := s.Count(sandbox.Accept); n != 100 {
		t.Errorf("%d messages sent, want 100", n)
	}
	for _, e := range s.Log() {
		if e.Action != "sent" {
			t.Errorf("log entry %+v: want every message sent once", e)
		}
	}
}

// TestHuaweiTokenLife checks the token's life: the shorter of TokenTTL and X-Token-Expire, and a 401 once
// it is over.
func TestHuaweiTokenLife(t *testing.T) {
	_, url, _ := huaweiSandbox(t, sandbox.Options{})
	for expire, want := range map[string]string{"": "600", "30": "30", "3600": "600"} {
		var answer struct{ AccessToken, Expires, ApplyType string }
		h := http.Header{}
		if expire != "" {
			h.Set("X-Token-Expire", expire)
		}
		status, body := post(t, url+huawei.TokenPath, h, `{"app_key":"sandbox-app-key","app_secret":"sandbox-app-secret"}`)
		if err := json.Unmarshal([]byte(body), &answer); status != http.StatusOK || err != nil || answer.AccessToken == "" ||
			answer.Expires != want || answer.ApplyType != "Bearer" {
			t.Errorf("X-Token-Expire %q: %d %s, want a Bearer token expiring in %s", expire, status, body, want)
		}
	}
	if status, body := post(t, url+huawei.TokenPath, http.Header{"X-Token-Expire": {"4000"}},
		`{"app_key":"sandbox-app-key","app_secret":"sandbox-app-secret"}`); status != http.StatusBadRequest || !strings.Contains(body, "X-Token-Expire") {
		t.Errorf("X-Token-Expire 4000: %d %s, want 400", status, body)
	}

	_, shortURL, _ := huaweiSandbox(t, sandbox.Options{TokenTTL: time.Nanosecond})
	tok := token(t, shortURL, "")
	if status, _ := post(t, shortURL+huawei.SendPath, http.Header{"Authorization": {"Bearer " + tok}, "X-App-Key": {"sandbox-app-key"}},
		validBody); status != http.StatusUnauthorized {
		t.Errorf("send with an expired token: %d, want 401", status)
	}
}

// validBody is a well-formed sendWhatsappMessage body.
const validBody = `{"bulkId":"b1","destinations":[{"messageId":"m1","to":{"phoneNumber":"447911123456"}}],
	"whatsApp":{"templateName":"order_update","language":"en_US","mediaTemplateData":{"header":{"textPlaceholder":"Ada"},
	"body":{"placeholders":["A-1"]},"buttons":[{"urlPlaceholder":"t/A-1"}]}}}`

// TestHuaweiRejectsMalformedBodies checks the body the sandbox accepts: each fault gets the API Fabric's answer
// naming the field, 400 for the shape and 500 for a value (as the document describes them), and nothing is
// logged.
func TestHuaweiRejectsMalformedBodies(t *testing.T) {
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	tok := token(t, url, "")
	auth := http.Header{"Authorization": {"Bearer " + tok}, "X-App-Key": {"sandbox-app-key"}}
	edit := func(old, new string) string {
		if !strings.Contains(validBody, old) {
			t.Fatalf("validBody has no %s", old)
		}
		return strings.Replace(validBody, old, new, 1)
	}
	const value = "500" // errorCode of a bad value; every other fault is "400"
	tests := []struct{ name, body, want, code string }{
		{"not JSON", `{"bulkId":`, "not the expected JSON", ""},
		{"unknown field", edit(`"textPlaceholder":"Ada"`, `"documentUrl":"https://x/a.pdf"`), `unknown field "documentUrl"`, ""},
		{"wrong type", edit(`"placeholders":["A-1"]`, `"placeholders":[1]`), "placeholders", ""},
		{"no bulkId", edit(`"bulkId":"b1",`, ``), "bulkId is required", ""},
		{"no destinations", edit(`[{"messageId":"m1","to":{"phoneNumber":"447911123456"}}]`, `[]`), "destinations is required", ""},
		{"no messageId", edit(`"messageId":"m1",`, ``), "destinations[0].messageId is required", ""},
		{"number with +", edit(`"447911123456"`, `"+447911123456"`), "destinations[0].to.phoneNumber", value},
		{"no whatsApp", `{"bulkId":"b1","destinations":[{"messageId":"m1","to":{"phoneNumber":"447911123456"}}]}`, "whatsApp is required", ""},
		{"no templateName", edit(`"templateName":"order_update",`, ``), "whatsApp.templateName is required", ""},
		{"no language", edit(`"language":"en_US",`, ``), "whatsApp.language is required", ""},
		{"empty templateData value", edit(`"language":"en_US",`, `"language":"en_US","templateData":["a",""],`), "whatsApp.templateData[1] cannot be empty", value},
		{"null placeholders", edit(`["A-1"]`, `null`), "body.placeholders cannot be null", ""},
		{"empty placeholder", edit(`["A-1"]`, `["A-1",""]`), "body.placeholders[1] cannot be empty", value},
		{"two header kinds", edit(`"textPlaceholder":"Ada"`, `"textPlaceholder":"Ada","imageUrl":"https://x/p.jpg"`), "exactly one of", ""},
		{"latitude alone", edit(`"textPlaceholder":"Ada"`, `"latitude":1.5`), "both latitude and longitude", ""},
		{"latitude out of range", edit(`"textPlaceholder":"Ada"`, `"latitude":95,"longitude":1`), "latitude must be from -90 to 90", value},
		{"button with both", edit(`{"urlPlaceholder":"t/A-1"}`, `{"urlPlaceholder":"t","quickReplyPayload":"p"}`), "buttons[0] must hold", ""},
		{"eleven buttons", edit(`[{"urlPlaceholder":"t/A-1"}]`, "["+strings.Repeat("{},", 10)+"{}]"), "at most 10 buttons", ""},
		{"quick reply without payload", edit(`[{"urlPlaceholder":"t/A-1"}]`, `[{"urlPlaceholder":"t/A-1"},{}]`),
			"buttons[1] holds neither urlPlaceholder nor quickReplyPayload: quickReplyPayload is required", ""},
		{"sendAt without milliseconds", edit(`"bulkId":"b1",`, `"bulkId":"b1","sendAt":"2999-01-16T09:00:00+09:00",`),
			"must be a date and time as yyyy-MM-dd'T'HH:mm:ss.SSSZ", value},
		{"sendAt as a date", edit(`"bulkId":"b1",`, `"bulkId":"b1","sendAt":"2999-01-16",`), `sendAt "2999-01-16"`, value},
		{"sendAt in the past", edit(`"bulkId":"b1",`, `"bulkId":"b1","sendAt":"2020-01-16T09:00:00.000+0000",`),
			"is not in the future", value},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, url+huawei.SendPath, auth, tc.body)
			code := tc.code
			if code == "" {
				code = "400"
			}
			var fault struct{ ErrorCode, ExceptionInfo string }
			if err := json.Unmarshal([]byte(body), &fault); strconv.Itoa(status) != code || err != nil ||
				fault.ErrorCode != code || !strings.Contains(fault.ExceptionInfo, tc.want) {
				t.Errorf("%d %s, want %s with exceptionInfo containing %q", status, body, code, tc.want)
			}
		})
	}
	textPlain := http.Header{"Content-Type": {"text/plain"}}
	for k, v := range auth {
		textPlain[k] = v
	}
	if status, body := post(t, url+huawei.SendPath, textPlain, validBody); status != http.StatusBadRequest || !strings.Contains(body, "Content-Type") {
		t.Errorf("text/plain: %d %s, want 400 about Content-Type", status, body)
	}
	if status, _ := post(t, url+huawei.SendPath, auth, validBody); status != http.StatusOK {
		t.Errorf("the valid body: %d, want 200", status)
	}
	if n := len(s.Log()); n != 1 {
		t.Errorf("%d log entries, want only the valid request's", n)
	}
}

// TestHuaweiBatchAnswers checks a request with two destinations: rejected numbers are answered per
// destination in a 200, while any other failure answers the whole request and logs every destination with it.
func TestHuaweiBatchAnswers(t *testing.T) {
	const batch = `{"bulkId":"b1","destinations":[{"messageId":"m1","to":{"phoneNumber":"447911123456"}},
		{"messageId":"m2","to":{"phoneNumber":"447911000000"}}],"whatsApp":{"templateName":"t","language":"en"}}`
	decide := func(second sandbox.Action) func(sandbox.Request) sandbox.Action {
		return func(r sandbox.Request) sandbox.Action {
			if r.Ref == "m2" {
				return second
			}
			return sandbox.Accept
		}
	}
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true, Decide: decide(sandbox.RejectNumber)})
	auth := http.Header{"Authorization": {"Bearer " + token(t, url, "")}, "X-App-Key": {"sandbox-app-key"}}
	status, body := post(t, url+huawei.SendPath, auth, batch)
	var answer struct {
		Messages []struct {
			MessageID string
			To        struct{ PhoneNumber string }
			Status    struct {
				GroupID   int
				GroupName string
				Name      string
			}
		}
		BulkID string
	}
	if err := json.Unmarshal([]byte(body), &answer); status != http.StatusOK || err != nil || len(answer.Messages) != 2 || answer.BulkID != "b1" {
		t.Fatalf("%d %s, want 200 with two messages", status, body)
	}
	log := s.Log()
	taken, rejected := answer.Messages[0], answer.Messages[1]
	if taken.Status.GroupName != "PENDING" || taken.MessageID == "" || taken.MessageID != log[0].MessageID || log[0].Action != "sent" {
		t.Errorf("first destination %+v, log %+v: want taken with the logged id", taken, log[0])
	}
	if rejected.Status.GroupID != 5 || rejected.Status.Name != "REJECTED_DESTINATION" || rejected.MessageID != "m2" ||
		rejected.To.PhoneNumber != "447911000000" || log[1].Action != "reject_number" {
		t.Errorf("second destination %+v, log %+v: want REJECTED_DESTINATION", rejected, log[1])
	}

	s, url, _ = huaweiSandbox(t, sandbox.Options{KeepLog: true, Decide: decide(sandbox.Transient)})
	auth.Set("Authorization", "Bearer "+token(t, url, ""))
	if status, _ := post(t, url+huawei.SendPath, auth, batch); status != http.StatusServiceUnavailable {
		t.Errorf("batch with a transient destination: %d, want 503", status)
	}
	for _, e := range s.Log() {
		if e.Action != "transient" || e.Status != http.StatusServiceUnavailable {
			t.Errorf("log entry %+v, want every destination transient", e)
		}
	}
}

// token fetches an access token from the sandbox at url.
func token(t *testing.T, url, expire string) string {
	t.Helper()
	h := http.Header{}
	if expire != "" {
		h.Set("X-Token-Expire", expire)
	}
	status, body := post(t, url+huawei.TokenPath, h, `{"app_key":"sandbox-app-key","app_secret":"sandbox-app-secret"}`)
	var answer struct{ AccessToken string }
	if err := json.Unmarshal([]byte(body), &answer); status != http.StatusOK || err != nil || answer.AccessToken == "" {
		t.Fatalf("token: %d %s", status, body)
	}
	return answer.AccessToken
}

// post sends body to url with the headers h (Content-Type application/json unless h sets one) and returns the
// status and the body of the answer.
func post(t *testing.T, url string, h http.Header, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestHuaweiBadValueIsPermanent: the CEC answers a bad value with HTTP 500 ("Incorrect request. Check the values
// of parameters in the request."), which the adapter classifies permanent, keeping the CEC's words: a retry
// would send the same value again. A typed parameter goes as its text, which the CEC takes.
func TestHuaweiBadValueIsPermanent(t *testing.T) {
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	a := huaweiAdapter(t, s.Profile("huawei", url))
	bad := huaweiMessage("447911123456", "r1-a1")
	bad.Body[1].Text = ""
	_, err := a.Send(context.Background(), bad)
	pe := providers.AsError(err)
	if pe.Class != providers.ClassPermanent || pe.Code != "http_500" || pe.HTTPStatus != 500 ||
		!strings.Contains(pe.Message, "body.placeholders[1] cannot be empty (errorCode 500)") {
		t.Errorf("got %v (class %v, code %s): want permanent http_500 keeping the CEC's words", err, pe.Class, pe.Code)
	}
	typed := huaweiMessage("447911123456", "r2-a1")
	typed.Body[1] = providers.Param{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500}
	if _, err := a.Send(context.Background(), typed); err != nil {
		t.Fatalf("a currency parameter: %v, want it sent as its text", err)
	}
	if log := s.Log(); len(log) != 1 || log[0].Ref != "r2-a1" {
		t.Errorf("log %+v, want only the good message", log)
	}
}
