package sandbox_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/sandbox"
)

// engagelabSandbox serves a sandbox with opts on loopback and returns it with an EngageLab adapter pointed at it.
func engagelabSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Server, *engagelab.Adapter, string) {
	t.Helper()
	opts.KeepLog = true
	s := sandbox.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	a, err := engagelab.New(s.Profile("engagelab", srv.URL), srv.Client())
	if err != nil {
		t.Fatalf("engagelab.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return s, a, srv.URL
}

// engagelabMessage is a message with a text header, body parameters and a URL button.
func engagelabMessage(to, ref string) providers.Message {
	text := func(s string) providers.Param { return providers.Param{Kind: providers.ParamText, Text: s} }
	return providers.Message{To: to, Template: "spring_sale", Language: "en_US", Ref: ref,
		Header:  []providers.Param{text("Ada")},
		Body:    []providers.Param{text("Ada"), text("SPRING10"), text("10%")},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{text("SPRING10")}}}}
}

func TestEngagelabSandboxAcceptsAndLogs(t *testing.T) {
	s, a, _ := engagelabSandbox(t, sandbox.Options{})
	media := engagelabMessage("8613800138000", "c1-2-1")
	media.Header = []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example.com/a.pdf", Filename: "a.pdf"}}
	typed := engagelabMessage("15551234567", "c1-3-1")
	typed.Body = []providers.Param{{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500},
		{Kind: providers.ParamDateTime, Text: "30 April"}}
	msgs := []providers.Message{engagelabMessage("447911123456", "c1-1-1"), media, typed}
	var ids []string
	for _, m := range msgs {
		rec, err := a.Send(context.Background(), m)
		if err != nil {
			t.Fatalf("Send to %s: %v", m.To, err)
		}
		ids = append(ids, rec.MessageID)
	}
	log := s.Log()
	if len(log) != len(msgs) {
		t.Fatalf("log has %d entries, want %d: %+v", len(log), len(msgs), log)
	}
	for i, e := range log {
		m := msgs[i]
		if e.Dialect != "engagelab" || e.To != m.To || e.Template != m.Template || e.Ref != m.Ref ||
			e.Action != "sent" || e.Status != http.StatusOK || e.MessageID == "" || engagelab.RecipientMessageID(e.MessageID, m.To) != ids[i] || e.Seq != int64(i+1) {
			t.Errorf("log[%d] = %+v, want engagelab %s %s ref %s sent 200 id %s (message_id:to) seq %d", i, e, m.To, m.Template, m.Ref, ids[i], i+1)
		}
	}
	if got := s.Count(sandbox.Accept); got != int64(len(msgs)) {
		t.Errorf("Count(Accept) = %d, want %d", got, len(msgs))
	}
}

func TestEngagelabSandboxActions(t *testing.T) {
	cases := []struct {
		act    sandbox.Action
		class  providers.Class
		code   string
		status int
		// logged is the log entry's action; contains is in the adapter's error message.
		logged   string
		contains string
	}{
		{sandbox.Transient, providers.ClassRetryable, "1000", 500, "transient", "internal error"},
		{sandbox.RateLimited, providers.ClassRateLimited, "http_429", 429, "rate_limited", "too many requests"},
		{sandbox.RejectNumber, providers.ClassPermanent, "3003", 400, "reject_number", "447911123456 is not a valid WhatsApp number"},
		{sandbox.AuthFail, providers.ClassFatal, "2002", 401, "auth_fail", "expired or was disabled"},
		{sandbox.TemplateMissing, providers.ClassFatal, "4001", 400, "template_missing", "template spring_sale (en_US)"},
		{sandbox.Drop, providers.ClassUnknown, "no_answer", 0, "dropped", "request to 127.0.0.1"},
		{sandbox.HTMLPage, providers.ClassRetryable, "bad_answer", 502, "html_page", "HTTP 502"},
	}
	for _, tc := range cases {
		t.Run(tc.act.String(), func(t *testing.T) {
			s, a, _ := engagelabSandbox(t, sandbox.Options{Decide: func(sandbox.Request) sandbox.Action { return tc.act }})
			_, err := a.Send(context.Background(), engagelabMessage("447911123456", "ref-9"))
			e := providers.AsError(err)
			if err == nil || e.Class != tc.class || e.Code != tc.code || e.HTTPStatus != tc.status {
				t.Fatalf("Send error = %v (class %v code %q status %d), want %v %q %d", err, e.Class, e.Code, e.HTTPStatus, tc.class, tc.code, tc.status)
			}
			if !strings.Contains(e.Message, tc.contains) {
				t.Errorf("message %q does not contain %q", e.Message, tc.contains)
			}
			if tc.act == sandbox.RateLimited && e.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v, want > 0", e.RetryAfter)
			}
			log := s.Log()
			if len(log) != 1 || log[0].Action != tc.logged || log[0].Status != tc.status || log[0].MessageID != "" || log[0].Ref != "ref-9" {
				t.Errorf("log = %+v, want one %s entry with status %d, no message id", log, tc.logged, tc.status)
			}
		})
	}
}

func TestEngagelabSandboxWrongCredentials(t *testing.T) {
	s, _, url := engagelabSandbox(t, sandbox.Options{})
	p := s.Profile("engagelab", url)
	p.DevSecret = "not-the-secret"
	a, err := engagelab.New(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.Send(context.Background(), engagelabMessage("447911123456", "ref-1"))
	e := providers.AsError(err)
	if e.Class != providers.ClassFatal || e.Code != "2001" || e.HTTPStatus != http.StatusUnauthorized {
		t.Errorf("error = %v (class %v code %q status %d), want fatal 2001 401", err, e.Class, e.Code, e.HTTPStatus)
	}
	if n := len(s.Log()); n != 0 {
		t.Errorf("an unauthenticated request was logged: %+v", s.Log())
	}
}

func TestEngagelabSandboxRejectsMalformedRequests(t *testing.T) {
	s, _, url := engagelabSandbox(t, sandbox.Options{})
	acct := s.Profile("engagelab", url)
	goodAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(acct.DevKey.Reveal()+":"+acct.DevSecret.Reveal()))
	const tmpl = `"body":{"type":"template","template":{"name":"spring_sale","language":"en_US","components":[%s]}}`
	body := func(to, components string) string {
		return `{"from":"15550001111","to":[` + to + `],` + strings.Replace(tmpl, "%s", components, 1) + `}`
	}
	cases := []struct {
		name, auth, contentType, body string
		status, code                  int
		contains                      string
	}{
		{"no credentials", "", "application/json", body(`"447911123456"`, ""), 401, 2001, "authentication failed"},
		{"bearer instead of basic", "Bearer x", "application/json", body(`"447911123456"`, ""), 401, 2001, "Basic"},
		{"form content type", goodAuth, "application/x-www-form-urlencoded", body(`"447911123456"`, ""), 400, 3001, "Content-Type"},
		{"not JSON", goodAuth, "application/json", `{"to":`, 400, 3001, "invalid request format"},
		{"unknown field", goodAuth, "application/json", `{"to":["447911123456"],"recipient":"x"}`, 400, 3001, "recipient"},
		{"to is a string", goodAuth, "application/json", `{"to":"447911123456"}`, 400, 3001, "invalid request format"},
		{"no recipients", goodAuth, "application/json", body(``, ""), 400, 3002, "to is required"},
		{"text message without its text", goodAuth, "application/json", `{"to":["447911123456"],"body":{"type":"text"}}`, 400, 3002, `body.text is required`},
		{"audio message", goodAuth, "application/json", `{"to":["447911123456"],"body":{"type":"sticker"}}`, 400, 3002, `body.type "sticker"`},
		{"no template", goodAuth, "application/json", `{"to":["447911123456"],"body":{"type":"template"}}`, 400, 3002, "whatsapp.template field must be set"},
		{"upper-case template name", goodAuth, "application/json",
			`{"to":["447911123456"],"body":{"type":"template","template":{"name":"Spring","language":"en"}}}`, 400, 3002, `name "Spring"`},
		{"no language", goodAuth, "application/json",
			`{"to":["447911123456"],"body":{"type":"template","template":{"name":"spring"}}}`, 400, 3002, "language is required"},
		{"empty text parameter", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"body","parameters":[{"type":"text"}]}`), 400, 3002, "components[0].parameters[0].text must be set"},
		{"image in the body", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"body","parameters":[{"type":"image","image":{"link":"https://x"}}]}`), 400, 3002, `"image" is not allowed in a body`},
		{"image without link", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"header","parameters":[{"type":"image","image":{}}]}`), 400, 3002, "image.link must be set"},
		{"two headers", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"header","parameters":[{"type":"text","text":"a"}]},{"type":"header","parameters":[{"type":"text","text":"b"}]}`),
			400, 3002, "at most one header"},
		{"button without index", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"button","sub_type":"url","parameters":[{"type":"text","text":"a"}]}`), 400, 3002, `index ""`},
		{"quick reply payload", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"text","text":"a"}]}`),
			400, 3002, `sub_type "quick_reply" must be url`},
		{"location header", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"header","parameters":[{"type":"location"}]}`), 400, 3002,
			`"location" is not allowed in a header component: use one of text, image, video, document`},
		{"location object", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"header","parameters":[{"type":"location","location":{"latitude":"1","longitude":"2"}}]}`), 400, 3001, `unknown field "location"`},
		{"currency without its object", goodAuth, "application/json",
			body(`"447911123456"`, `{"type":"body","parameters":[{"type":"currency"}]}`), 400, 3002, "parameters[0].currency must be set"},
		{"bad number", goodAuth, "application/json", body(`"447911123456","44-7911"`, ""), 400, 3003, `to[1] "44-7911"`},
		{"foreign sending number", goodAuth, "application/json",
			strings.Replace(body(`"447911123456"`, ""), "15550001111", "+4915112345678", 1), 403, 2004, "may not send from +4915112345678"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, url+"/v1/messages", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			req.Header.Set("Content-Type", tc.contentType)
			status, got := postEngagelab(t, req)
			if status != tc.status || got.Code != tc.code || !strings.Contains(got.Message, tc.contains) {
				t.Errorf("answer = %d %+v, want %d code %d with %q", status, got, tc.status, tc.code, tc.contains)
			}
		})
	}
	if n := len(s.Log()); n != 0 {
		t.Errorf("malformed requests were logged: %+v", s.Log())
	}
}

// engagelabAnswer is EngageLab's answer body, success or failure.
type engagelabAnswer struct {
	Code      int    `json:"code"`
	Message   string `json:"message"`
	MessageID string `json:"message_id"`
	RequestID string `json:"request_id"`
}

func postEngagelab(t *testing.T, req *http.Request) (int, engagelabAnswer) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var got engagelabAnswer
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("answer %d is not JSON: %v: %s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, got
}

func TestEngagelabSandboxBatchAndNumberForms(t *testing.T) {
	s, _, url := engagelabSandbox(t, sandbox.Options{})
	acct := s.Profile("engagelab", url)
	body := `{"from":"+15550001111","to":["+447911123456","008613800138000"],"request_id":"batch-1",
		"body":{"type":"template","template":{"name":"hello_world","language":"en_US"}}}`
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/messages", strings.NewReader(body))
	req.SetBasicAuth(acct.DevKey.Reveal(), acct.DevSecret.Reveal())
	req.Header.Set("Content-Type", "application/json")
	status, got := postEngagelab(t, req)
	if status != http.StatusOK || got.MessageID == "" || got.RequestID != "batch-1" {
		t.Fatalf("answer = %d %+v, want 200 with a message_id and request_id batch-1", status, got)
	}
	log := s.Log()
	if len(log) != 2 || log[0].To != "447911123456" || log[1].To != "8613800138000" ||
		log[0].MessageID != got.MessageID || log[1].Ref != "batch-1" {
		t.Errorf("log = %+v, want both recipients (digits only) with message id %s and ref batch-1", log, got.MessageID)
	}
}

func TestEngagelabSandboxMethodNotAllowed(t *testing.T) {
	_, _, url := engagelabSandbox(t, sandbox.Options{})
	resp, err := http.Get(url + "/v1/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/messages = %d, want 405", resp.StatusCode)
	}
}
