package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"herald/providers"
	"herald/providers/innopaas"
	"herald/providers/sandbox"
)

// innopaasSandbox serves a sandbox with opts on loopback and returns it with an adapter that speaks to it.
func innopaasSandbox(t testing.TB, opts sandbox.Options, edit func(*providers.Profile)) (*sandbox.Server, *httptest.Server, *innopaas.Adapter) {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	p := s.Profile("innopaas", srv.URL)
	if edit != nil {
		edit(&p)
	}
	a, err := innopaas.New(p, srv.Client())
	if err != nil {
		t.Fatalf("innopaas.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return s, srv, a
}

func innopaasMessage(to, ref string) providers.Message {
	text := func(v string) providers.Param { return providers.Param{Kind: providers.ParamText, Text: v} }
	return providers.Message{To: to, Template: "spring_sale", Language: "en_US", Ref: ref,
		Header:  []providers.Param{text("Ann")},
		Body:    []providers.Param{text("Ann"), text("SPRING10"), text("31 May")},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{text("SPRING10")}}}}
}

func TestInnopaasSandboxAcceptsAndLogs(t *testing.T) {
	s, _, a := innopaasSandbox(t, sandbox.Options{KeepLog: true}, nil)
	headers := []providers.Message{
		innopaasMessage("447911123456", "c1-r1-a1"),
		{To: "447911123457", Template: "invoice", Language: "en_GB", Ref: "c1-r2-a1",
			Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example.com/i.pdf", Filename: "i.pdf"}}},
		{To: "447911123458", Template: "price_drop", Language: "en_GB", Ref: "c1-r3-a1",
			Body: []providers.Param{{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500}}},
		{To: "447911123459", Template: "promo", Language: "en", Ref: "c1-r4-a1",
			Header: []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example.com/b.png"}}},
	}
	ids := make([]string, len(headers))
	for i, msg := range headers {
		rc, err := a.Send(context.Background(), msg)
		if err != nil {
			t.Fatalf("Send %s: %v", msg.Ref, err)
		}
		if rc.MessageID == "" {
			t.Fatalf("Send %s: empty message id", msg.Ref)
		}
		ids[i] = rc.MessageID
	}
	log := s.Log()
	if len(log) != len(headers) {
		t.Fatalf("log has %d entries, want %d: %+v", len(log), len(headers), log)
	}
	for i, e := range log {
		msg := headers[i]
		if e.Dialect != "innopaas" || e.To != msg.To || e.Template != msg.Template || e.Ref != msg.Ref ||
			e.Action != "sent" || e.MessageID != ids[i] || e.Status != http.StatusOK || e.Seq != int64(i+1) {
			t.Errorf("entry %d = %+v, want innopaas %s %s %s sent %s 200", i, e, msg.To, msg.Template, msg.Ref, ids[i])
		}
	}
	if got := s.Count(sandbox.Accept); got != int64(len(headers)) {
		t.Errorf("Count(Accept) = %d, want %d", got, len(headers))
	}
}

func TestInnopaasSandboxActions(t *testing.T) {
	tests := []struct {
		action    sandbox.Action
		class     providers.Class
		code      string
		status    int
		inMessage string
	}{
		{sandbox.Transient, providers.ClassRetryable, "500", 500, "system error"},
		{sandbox.RateLimited, providers.ClassRateLimited, "429", 429, "too fast"},
		{sandbox.RejectNumber, providers.ClassPermanent, "108", 200, "not in a valid format"},
		{sandbox.AuthFail, providers.ClassFatal, "102", 200, "refused the token"},
		{sandbox.TemplateMissing, providers.ClassFatal, "132001", 200, "template does not exist"},
		{sandbox.Drop, providers.ClassUnknown, "no_answer", 0, "request to 127.0.0.1"},
		{sandbox.HTMLPage, providers.ClassRetryable, "bad_answer", 502, "HTTP 502"},
	}
	for _, tc := range tests {
		t.Run(tc.action.String(), func(t *testing.T) {
			decide := func(sandbox.Request) sandbox.Action { return tc.action }
			s, _, a := innopaasSandbox(t, sandbox.Options{KeepLog: true, Decide: decide}, nil)
			_, err := a.Send(context.Background(), innopaasMessage("447911123456", "c1-r1-a1"))
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Send error %v is not a *providers.Error", err)
			}
			if pe.Class != tc.class || pe.Code != tc.code || pe.HTTPStatus != tc.status {
				t.Errorf("got %s %s HTTP %d (%v), want %s %s HTTP %d", pe.Class, pe.Code, pe.HTTPStatus, err, tc.class, tc.code, tc.status)
			}
			if !strings.Contains(err.Error(), tc.inMessage) {
				t.Errorf("error %q does not mention %q", err, tc.inMessage)
			}
			if tc.action == sandbox.RateLimited && pe.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v, want > 0", pe.RetryAfter)
			}
			log := s.Log()
			if len(log) != 1 || log[0].Action != tc.action.String() || log[0].Status != tc.status || log[0].MessageID != "" {
				t.Errorf("log = %+v, want one %s entry with status %d and no id", log, tc.action, tc.status)
			}
		})
	}
}

func TestInnopaasSandboxWrongCredentials(t *testing.T) {
	tests := []struct {
		name string
		edit func(*providers.Profile)
		code string
	}{
		{"wrong token", func(p *providers.Profile) { p.Token = "revoked-token" }, "102"},
		{"wrong app key", func(p *providers.Profile) { p.AppKey = "someone-else" }, "101"},
		{"wrong waba id", func(p *providers.Profile) { p.WabaID = "999" }, "101"},
		{"wrong sending number", func(p *providers.Profile) { p.SendNumber = "15559999999" }, "118"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, a := innopaasSandbox(t, sandbox.Options{KeepLog: true}, tc.edit)
			_, err := a.Send(context.Background(), innopaasMessage("447911123456", "c1-r1-a1"))
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != providers.ClassFatal || pe.Code != tc.code {
				t.Fatalf("Send error = %v, want fatal %s", err, tc.code)
			}
			if len(s.Log()) != 0 {
				t.Errorf("a refused request was logged: %+v", s.Log())
			}
		})
	}
}

// TestInnopaasSandboxChecksTheBody posts raw requests with the right credentials and checks the sandbox's answer.
func TestInnopaasSandboxChecksTheBody(t *testing.T) {
	valid := `"wabaId":"100000000000001","messageType":"template","sendNumber":"15550001111","language":"en_US"`
	tests := []struct {
		name   string
		body   string
		status int
		code   int
		logged int
	}{
		{"minimal template", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello"}`, 200, 0, 1},
		{"two recipients", `{` + valid + `,"recipientNumber":"447911123456,447911123457","templateName":"hello"}`, 200, 0, 2},
		{"location header", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","header":{"type":"location","paramValue":"x"}}`, 400, 400, 0},
		{"location object in the header", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","header":{"type":"text","paramValue":"x","location":{"latitude":"1","longitude":"1"}}}`, 400, 400, 0},
		{"quick reply value", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","buttonParams":[{"index":0,"type":"quick_reply","paramValue":"STOP"}]}`, 400, 400, 0},
		{"not JSON", `wabaId=1`, 400, 400, 0},
		{"unknown field", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","to":"x"}`, 400, 400, 0},
		{"no template name", `{` + valid + `,"recipientNumber":"447911123456"}`, 400, 400, 0},
		{"upper-case template name", `{` + valid + `,"recipientNumber":"447911123456","templateName":"Hello"}`, 400, 400, 0},
		{"text message without its body", `{"wabaId":"100000000000001","messageType":"text","sendNumber":"15550001111","recipientNumber":"447911123456"}`, 400, 400, 0},
		{"text message with a template name", `{"wabaId":"100000000000001","messageType":"text","sendNumber":"15550001111","recipientNumber":"447911123456","body":"hi","templateName":"hello"}`, 400, 400, 0},
		{"bodyParams of numbers", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","bodyParams":[1]}`, 400, 400, 0},
		{"empty body parameter", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","bodyParams":["a"," "]}`, 400, 400, 0},
		{"image header without a link", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","header":{"type":"image"}}`, 400, 400, 0},
		{"button of another type", `{` + valid + `,"recipientNumber":"447911123456","templateName":"hello","buttonParams":[{"index":0,"type":"call","paramValue":"1"}]}`, 400, 400, 0},
		{"number with a plus", `{` + valid + `,"recipientNumber":"+447911123456","templateName":"hello"}`, 200, 108, 0},
		{"no recipient", `{` + valid + `,"recipientNumber":"","templateName":"hello"}`, 200, 109, 0},
		{"1001 recipients", `{` + valid + `,"recipientNumber":"` + strings.Repeat("447911123456,", 1000) + `447911123456","templateName":"hello"}`, 200, 109, 0},
		{"uid of 33 characters", `{` + valid + `,"uid":"` + strings.Repeat("u", 33) + `","recipientNumber":"447911123456","templateName":"hello"}`, 200, 105, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, srv, _ := innopaasSandbox(t, sandbox.Options{KeepLog: true}, nil)
			status, ans := postInnopaas(t, srv, tc.body)
			if status != tc.status || ans.Code != tc.code {
				t.Errorf("answer HTTP %d %+v, want HTTP %d code %d", status, ans, tc.status, tc.code)
			}
			if tc.code == 0 && len(ans.Data.MessageIDs) != tc.logged {
				t.Errorf("success with %d message ids for %d recipients: %+v", len(ans.Data.MessageIDs), tc.logged, ans)
			}
			log := s.Log()
			if len(log) != tc.logged {
				t.Fatalf("log has %d entries, want %d", len(log), tc.logged)
			}
			for i, e := range log {
				if e.MessageID != ans.Data.MessageIDs[i] || e.Action != "sent" {
					t.Errorf("entry %+v, want sent with id %s", e, ans.Data.MessageIDs[i])
				}
			}
		})
	}
}

// innopaasReply is the sandbox's answer as a test reads it.
type innopaasReply struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    struct {
		MessageIDs []string `json:"messageIds"`
	} `json:"data"`
}

func postInnopaas(t *testing.T, srv *httptest.Server, body string) (int, innopaasReply) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+innopaas.SubmitPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("AppKey", "sandbox-app-key")
	req.Header.Set("Authorization", "sandbox-token")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var ans innopaasReply
	if err := json.Unmarshal(raw, &ans); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, raw)
	}
	return resp.StatusCode, ans
}

// TestInnopaasSandboxConcurrentSends: many workers share one adapter; every row is sent exactly once, each with its
// own message id.
func TestInnopaasSandboxConcurrentSends(t *testing.T) {
	const workers, perWorker = 32, 25
	s, _, a := innopaasSandbox(t, sandbox.Options{KeepLog: true}, nil)
	receipts := make(chan string, workers*perWorker)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				ref := fmt.Sprintf("c1-r%d-a1", w*perWorker+i)
				rc, err := a.Send(context.Background(), innopaasMessage(fmt.Sprintf("4479110%05d", w*perWorker+i), ref))
				if err != nil {
					t.Errorf("Send %s: %v", ref, err)
					return
				}
				receipts <- ref + " " + rc.MessageID
			}
		}()
	}
	wg.Wait()
	close(receipts)
	want := map[string]bool{}
	for r := range receipts {
		want[r] = true
	}
	log := s.Log()
	if len(log) != workers*perWorker || len(want) != workers*perWorker {
		t.Fatalf("log has %d entries and %d distinct receipts, want %d of each", len(log), len(want), workers*perWorker)
	}
	for _, e := range log {
		key := e.Ref + " " + e.MessageID
		if !want[key] || e.Action != "sent" {
			t.Errorf("log entry %+v matches no receipt, or twice", e)
		}
		delete(want, key)
	}
}
