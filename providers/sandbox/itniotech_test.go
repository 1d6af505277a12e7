package sandbox_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/itniotech"
	"herald/providers/sandbox"
)

// itnioSandbox serves a sandbox with opts on loopback and returns it with its URL.
func itnioSandbox(t testing.TB, opts sandbox.Options) (*sandbox.Server, string) {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// itnioAdapter returns the real adapter for profile p.
func itnioAdapter(t testing.TB, p providers.Profile) *itniotech.Adapter {
	t.Helper()
	a, err := itniotech.New(p, providers.NewHTTPClient(providers.ClientOptions{Concurrency: 8, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatalf("itniotech.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// itnioMessage is a message with every kind of parameter the sandbox checks.
func itnioMessage(to, ref string) providers.Message {
	return providers.Message{To: to, Template: "spring_sale", Language: "en_US", Ref: ref,
		Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example/o.pdf", Filename: "offer.pdf"}},
		Body:   []providers.Param{{Kind: providers.ParamText, Text: "Alice"}, {Kind: providers.ParamText, Text: "SPRING10"}},
		Buttons: []providers.ButtonParams{
			{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "SPRING10"}}},
			{Index: 1, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: "STOP"}}}}}
}

// TestItniotechSendsAndLogs sends through the real adapter and checks the sandbox's log against the receipts.
func TestItniotechSendsAndLogs(t *testing.T) {
	s, url := itnioSandbox(t, sandbox.Options{KeepLog: true})
	a := itnioAdapter(t, s.Profile("itniotech", url))
	recipients := []string{"447911123456", "15551234567", "919876543210"}
	var ids []string
	for i, to := range recipients {
		rec, err := a.Send(context.Background(), itnioMessage(to, "row"+strconv.Itoa(i)+"-a1"))
		if err != nil {
			t.Fatalf("Send to %s: %v", to, err)
		}
		ids = append(ids, rec.MessageID)
	}
	log := s.Log()
	if len(log) != len(recipients) {
		t.Fatalf("log has %d entries, want %d: %+v", len(log), len(recipients), log)
	}
	for i, e := range log {
		want := sandbox.Entry{Seq: int64(i + 1), Time: e.Time, Dialect: "itniotech", To: recipients[i],
			Template: "spring_sale", Ref: "", Action: "sent", MessageID: ids[i], Status: http.StatusOK}
		if e != want || e.MessageID == "" {
			t.Errorf("log[%d] = %+v, want %+v", i, e, want)
		}
	}
	if n := s.Count(sandbox.Accept); n != 3 {
		t.Errorf("Count(Accept) = %d, want 3", n)
	}
}

// TestItniotechActions drives each action through Decide and checks the class the adapter makes of the answer.
func TestItniotechActions(t *testing.T) {
	tests := []struct {
		action     sandbox.Action
		wantClass  providers.Class
		wantCode   string
		wantStatus int // as logged
		wantInMsg  string
	}{
		{sandbox.Transient, providers.ClassRetryable, "-5", 200, "system exception"},
		{sandbox.RateLimited, providers.ClassRateLimited, "-429", 429, "too many requests"},
		{sandbox.RejectNumber, providers.ClassPermanent, "-72", 200, "recipient number"},
		{sandbox.AuthFail, providers.ClassFatal, "-1", 200, "api_key"},
		{sandbox.TemplateMissing, providers.ClassFatal, "-2", 200, "template"},
		{sandbox.Drop, providers.ClassUnknown, "no_answer", 0, ""},
		{sandbox.HTMLPage, providers.ClassRetryable, "bad_answer", 502, "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.action.String(), func(t *testing.T) {
			s, url := itnioSandbox(t, sandbox.Options{KeepLog: true,
				Decide: func(sandbox.Request) sandbox.Action { return tt.action }})
			a := itnioAdapter(t, s.Profile("itniotech", url))
			_, err := a.Send(context.Background(), itnioMessage("447911123456", "r1"))
			pe := providers.AsError(err)
			if err == nil || pe.Class != tt.wantClass || pe.Code != tt.wantCode || !strings.Contains(pe.Error(), tt.wantInMsg) {
				t.Fatalf("Send error = %v (class %v, code %q), want %v %q containing %q", err, pe.Class, pe.Code,
					tt.wantClass, tt.wantCode, tt.wantInMsg)
			}
			if tt.action == sandbox.RateLimited && pe.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v, want > 0", pe.RetryAfter)
			}
			log := s.Log()
			if len(log) != 1 || log[0].Action != tt.action.String() || log[0].Status != tt.wantStatus || log[0].MessageID != "" {
				t.Errorf("log = %+v, want one %s entry with status %d and no id", log, tt.action, tt.wantStatus)
			}
		})
	}
}

// TestItniotechWrongAccount: wrong credentials get Itniotech's own errors, which the adapter makes fatal, and
// nothing is admitted.
func TestItniotechWrongAccount(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*providers.Profile)
		wantCode string
	}{
		{"wrong api secret", func(p *providers.Profile) { p.APISecret = "not-the-secret" }, "-1"},
		{"wrong api key", func(p *providers.Profile) { p.APIKey = "not-the-key" }, "-1"},
		{"wrong app id", func(p *providers.Profile) { p.AppID = "OTHERAPP" }, "-10"},
		{"wrong business number", func(p *providers.Profile) { p.BusinessPhone = "15559999999" }, "-96"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := itnioSandbox(t, sandbox.Options{KeepLog: true})
			p := s.Profile("itniotech", url)
			tt.edit(&p)
			_, err := itnioAdapter(t, p).Send(context.Background(), itnioMessage("447911123456", "r1"))
			if pe := providers.AsError(err); err == nil || pe.Class != providers.ClassFatal || pe.Code != tt.wantCode {
				t.Fatalf("Send error = %v, want fatal %s", err, tt.wantCode)
			}
			if log := s.Log(); len(log) != 0 {
				t.Errorf("a refused request was logged: %+v", log)
			}
		})
	}
}

// itnioValidBody is a well-formed request for the default sandbox account; the malformed cases edit it.
const itnioValidBody = `{"appId":"SANDBOXAPP","businessPhone":"15550001111","recipient":"447911123456","channelType":0,
"template":{"name":"t","language":{"code":"en_US"},"components":[` + itnioValidComponents + `]}}`

const itnioValidComponents = `{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example/b.png"}}]},
{"type":"body","parameters":[{"type":"text","text":"Alice"}]},
{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"x"}]}`

// TestItniotechChecksRequests sends raw requests and checks the sandbox answers Itniotech's own code for each
// authentication or shape fault, and admits none of them.
func TestItniotechChecksRequests(t *testing.T) {
	now := strconv.FormatInt(time.Now().Unix(), 10)
	old := strconv.FormatInt(time.Now().Add(-301*time.Second).Unix(), 10)
	components := func(c string) string { return strings.Replace(itnioValidBody, itnioValidComponents, c, 1) }
	replace := func(old, new string) string { return strings.Replace(itnioValidBody, old, new, 1) }
	tests := []struct {
		name       string
		timestamp  string
		sign       string // "" signs correctly
		noKey      bool   // send an empty Api-Key
		body       string
		wantStatus string
	}{
		{"valid", now, "", false, itnioValidBody, "0"},
		{"expired timestamp", old, "", false, itnioValidBody, "-4"},
		{"timestamp in milliseconds", now + "000", "", false, itnioValidBody, "-4"},
		{"uppercase sign", now, strings.ToUpper(itnioSign("sandbox-api-key", "sandbox-api-secret", now)), false, itnioValidBody, "-1"},
		{"sign over another timestamp", now, itnioSign("sandbox-api-key", "sandbox-api-secret", old), false, itnioValidBody, "-1"},
		{"no api key", now, "", true, itnioValidBody, "-1"},
		{"not json", now, "", false, `{"appId":`, "-7"},
		{"unknown field", now, "", false, replace(`"channelType":0`, `"channelType":0,"uid":"x"`), "-7"},
		{"string channelType", now, "", false, replace(`"channelType":0`, `"channelType":"0"`), "-7"},
		{"missing channelType", now, "", false, replace(`"channelType":0,`, ``), "-8"},
		{"channelType 1", now, "", false, replace(`"channelType":0`, `"channelType":1`), "-112"},
		{"no appId", now, "", false, replace(`"appId":"SANDBOXAPP",`, ``), "-8"},
		{"recipient with plus", now, "", false, replace(`"447911123456"`, `"+447911123456"`), "-72"},
		{"recipient too long", now, "", false, replace(`"447911123456"`, `"4479111234561234"`), "-70"},
		{"recipient too short", now, "", false, replace(`"447911123456"`, `"44791"`), "-71"},
		{"business number not digits", now, "", false, replace(`"15550001111"`, `"+15550001111"`), "-95"},
		{"no template name", now, "", false, replace(`"name":"t",`, ``), "-8"},
		{"empty language code", now, "", false, replace(`"code":"en_US"`, `"code":""`), "-8"},
		{"footer component", now, "", false, components(`{"type":"footer","parameters":[{"type":"text","text":"x"}]}`), "-8"},
		{"no parameters", now, "", false, components(`{"type":"body","parameters":[]}`), "-135"},
		{"empty text", now, "", false, components(`{"type":"body","parameters":[{"type":"text","text":""}]}`), "-114"},
		{"image in body", now, "", false, components(`{"type":"body","parameters":[{"type":"image","image":{"link":"https://a/b"}}]}`), "-134"},
		{"image without object", now, "", false, components(`{"type":"header","parameters":[{"type":"image"}]}`), "-116"},
		{"video without link", now, "", false, components(`{"type":"header","parameters":[{"type":"video","video":{}}]}`), "-121"},
		{"document with ftp link", now, "", false, components(`{"type":"header","parameters":[{"type":"document","document":{"link":"ftp://a/b"}}]}`), "-133"},
		{"location without latitude", now, "", false, components(`{"type":"header","parameters":[{"type":"location","location":{"longitude":"1"}}]}`), "-129"},
		{"button without sub_type", now, "", false, components(`{"type":"button","index":"0","parameters":[{"type":"text","text":"x"}]}`), "-8"},
		{"button index 10", now, "", false, components(`{"type":"button","sub_type":"url","index":"10","parameters":[{"type":"text","text":"x"}]}`), "-8"},
		{"quick reply with text", now, "", false, components(`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"text","text":"x"}]}`), "-134"},
		{"quick reply without payload", now, "", false, components(`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload"}]}`), "-135"},
	}
	s, url := itnioSandbox(t, sandbox.Options{KeepLog: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, sign := "sandbox-api-key", tt.sign
			if tt.noKey {
				key = ""
			}
			if sign == "" {
				sign = itnioSign(key, "sandbox-api-secret", tt.timestamp)
			}
			status, answer := itnioPost(t, url, http.Header{"Content-Type": {"application/json;charset=UTF-8"},
				"Api-Key": {key}, "Timestamp": {tt.timestamp}, "Sign": {sign}}, tt.body)
			if status != http.StatusOK || answer.Status != tt.wantStatus || answer.Reason == "" {
				t.Errorf("answer = HTTP %d %+v, want HTTP 200 status %q with a reason", status, answer, tt.wantStatus)
			}
		})
	}
	status, answer := itnioPost(t, url, http.Header{"Content-Type": {"text/plain"}, "Api-Key": {"sandbox-api-key"},
		"Timestamp": {now}, "Sign": {itnioSign("sandbox-api-key", "sandbox-api-secret", now)}}, itnioValidBody)
	if status != http.StatusOK || answer.Status != "-7" {
		t.Errorf("text/plain body: HTTP %d %+v, want status -7", status, answer)
	}
	if log := s.Log(); len(log) != 1 {
		t.Errorf("log has %d entries, want only the valid request's: %+v", len(log), log)
	}
}

// TestItniotechRoutes: only POST on the documented paths is served.
func TestItniotechRoutes(t *testing.T) {
	_, url := itnioSandbox(t, sandbox.Options{})
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, itniotech.SendPath, http.StatusMethodNotAllowed},
		{http.MethodGet, itniotech.SessionPath, http.StatusMethodNotAllowed},
		{http.MethodPost, "/wa/custom/sendMessage", http.StatusNotFound},
	} {
		req, err := http.NewRequest(tt.method, url+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

// itnioAnswer is the part of Itniotech's envelope the raw tests read.
type itnioAnswer struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// itnioPost posts body to the send path with header and decodes the envelope.
func itnioPost(t *testing.T, url string, header http.Header, body string) (int, itnioAnswer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+itniotech.SendPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	var a itnioAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer %q is not JSON: %v", raw, err)
	}
	return resp.StatusCode, a
}

// itnioSign is Itniotech's signature, computed here independently of the sandbox and the adapter.
func itnioSign(key, secret, ts string) string {
	sum := md5.Sum([]byte(key + secret + ts))
	return hex.EncodeToString(sum[:])
}

// TestItniotechTypedParameters: a currency and a date_time body parameter go as Cloud API objects, which the
// sandbox takes; a currency the sandbox cannot pass on (no ISO code) gets Itniotech's -12 "Network exception or
// parameter error", which fails the row (permanent): a retry would send the same parameter again.
func TestItniotechTypedParameters(t *testing.T) {
	s, url := itnioSandbox(t, sandbox.Options{KeepLog: true})
	a := itnioAdapter(t, s.Profile("itniotech", url))
	msg := itnioMessage("447911123456", "r1")
	msg.Body = []providers.Param{{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500},
		{Kind: providers.ParamDateTime, Text: "30 April"}}
	if _, err := a.Send(context.Background(), msg); err != nil {
		t.Fatalf("typed parameters: %v", err)
	}
	msg.Body[0].CurrencyCode = ""
	_, err := a.Send(context.Background(), msg)
	pe := providers.AsError(err)
	if pe.Class != providers.ClassPermanent || pe.Code != "-12" ||
		!strings.Contains(pe.Message, `network exception or a parameter error: check the row's values against the template (Itniotech says "Network exception or parameter error")`) {
		t.Errorf("a currency without its code: %v (class %v, code %s), want permanent -12", err, pe.Class, pe.Code)
	}
	if n := s.Count(sandbox.Accept); n != 1 {
		t.Errorf("%d accepted, want 1", n)
	}
}
