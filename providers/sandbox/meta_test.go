package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"herald/providers"
	"herald/providers/meta"
	"herald/providers/sandbox"
)

// startMeta serves a sandbox with opts on loopback and returns it with a meta adapter that uses the profile
// the sandbox hands out, changed by edit when it is not nil.
func startMeta(t testing.TB, opts sandbox.Options, edit func(*providers.Profile)) (*sandbox.Server, *meta.Adapter, string) {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	p := s.Profile("meta", srv.URL)
	if edit != nil {
		edit(&p)
	}
	a, err := meta.New(p, providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64}))
	if err != nil {
		t.Fatalf("meta.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return s, a, srv.URL
}

// promo is a message with every kind of component the sandbox checks.
func promo(to, ref string) providers.Message {
	return providers.Message{To: to, Template: "spring_sale", Language: "en_US", Ref: ref,
		Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example/o.pdf", Filename: "offer.pdf"}},
		Body:   []providers.Param{{Kind: providers.ParamText, Text: "Ana"}, {Kind: providers.ParamText, Text: "SPRING10"}},
		Buttons: []providers.ButtonParams{
			{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "c/SPRING10"}}},
			{Index: 1, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: "STOP"}}}}}
}

func TestMetaSendsAreLogged(t *testing.T) {
	s, a, _ := startMeta(t, sandbox.Options{KeepLog: true}, nil)
	msgs := []providers.Message{promo("447911123456", "row1-a1"), promo("15551234567", "row2-a1"),
		{To: "5511987654321", Template: "hello_world", Language: "pt_BR", Ref: "row3-a2",
			Header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "-23.5", Longitude: "-46.6", Name: "Loja"}}}}
	var ids []string
	for _, m := range msgs {
		rcpt, err := a.Send(context.Background(), m)
		if err != nil {
			t.Fatalf("Send %s: %v", m.To, err)
		}
		if !strings.HasPrefix(rcpt.MessageID, "wamid.") {
			t.Errorf("MessageID = %q, want a wamid", rcpt.MessageID)
		}
		ids = append(ids, rcpt.MessageID)
	}
	log := s.Log()
	if len(log) != len(msgs) {
		t.Fatalf("log has %d entries, want %d: %+v", len(log), len(msgs), log)
	}
	for i, e := range log {
		m := msgs[i]
		if e.Dialect != "meta" || e.To != m.To || e.Template != m.Template || e.Ref != m.Ref || e.Action != "sent" ||
			e.MessageID != ids[i] || e.Status != http.StatusOK || e.Seq != int64(i+1) {
			t.Errorf("entry %d = %+v, want meta %s %s %s sent %s 200", i, e, m.To, m.Template, m.Ref, ids[i])
		}
	}
	if n := s.Count(sandbox.Accept); n != 3 {
		t.Errorf("Count(Accept) = %d, want 3", n)
	}
}

// TestMetaActions drives each action through Decide and checks what the real adapter makes of the answer.
func TestMetaActions(t *testing.T) {
	tests := []struct {
		act      sandbox.Action
		class    providers.Class
		code     string
		status   int
		mentions string
	}{
		{sandbox.Transient, providers.ClassRetryable, "2", 500, "retry"},
		{sandbox.RateLimited, providers.ClassRateLimited, "130429", 400, "throughput"},
		{sandbox.RejectNumber, providers.ClassPermanent, "131026", 400, "Undeliverable"},
		{sandbox.AuthFail, providers.ClassFatal, "190", 401, "access token"},
		{sandbox.TemplateMissing, providers.ClassFatal, "132001", 404, "template name (spring_sale) does not exist in en_US"},
		{sandbox.Drop, providers.ClassUnknown, "no_answer", 0, ""},
		{sandbox.HTMLPage, providers.ClassRetryable, "bad_answer", 502, "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.act.String(), func(t *testing.T) {
			s, a, _ := startMeta(t, sandbox.Options{KeepLog: true, Decide: func(sandbox.Request) sandbox.Action { return tt.act }}, nil)
			_, err := a.Send(context.Background(), promo("447911123456", "ref-1"))
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Send = %v, want a *providers.Error", err)
			}
			if pe.Class != tt.class || pe.Code != tt.code || pe.HTTPStatus != tt.status || !strings.Contains(pe.Error(), tt.mentions) {
				t.Errorf("got %s %s HTTP %d %q, want %s %s HTTP %d mentioning %q",
					pe.Class, pe.Code, pe.HTTPStatus, pe.Error(), tt.class, tt.code, tt.status, tt.mentions)
			}
			if tt.act == sandbox.RateLimited && pe.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v, want > 0", pe.RetryAfter)
			}
			log := s.Log()
			if len(log) != 1 || log[0].Action != tt.act.String() || log[0].Status != tt.status || log[0].MessageID != "" ||
				log[0].Ref != "ref-1" {
				t.Errorf("log = %+v, want one %s entry with status %d", log, tt.act, tt.status)
			}
		})
	}
}

func TestMetaRejectPrefixes(t *testing.T) {
	s, a, _ := startMeta(t, sandbox.Options{RejectPrefixes: []string{"1555"}}, nil)
	if _, err := a.Send(context.Background(), promo("15550001234", "r1")); providers.Classify(err) != providers.ClassPermanent {
		t.Errorf("rejected prefix: %v, want permanent", err)
	}
	if _, err := a.Send(context.Background(), promo("447911123456", "r2")); err != nil {
		t.Errorf("other number: %v", err)
	}
	if s.Count(sandbox.RejectNumber) != 1 || s.Count(sandbox.Accept) != 1 {
		t.Errorf("counts: reject %d accept %d", s.Count(sandbox.RejectNumber), s.Count(sandbox.Accept))
	}
}

// TestMetaWrongAccount: a wrong token or phone number id stops the campaign, and nothing is admitted.
func TestMetaWrongAccount(t *testing.T) {
	tests := []struct {
		name string
		edit func(*providers.Profile)
		code string
	}{
		{"wrong token", func(p *providers.Profile) { p.AccessToken = "EAAGwrong" }, "190"},
		{"token of another length", func(p *providers.Profile) { p.AccessToken += "x" }, "190"},
		{"wrong phone number id", func(p *providers.Profile) { p.PhoneNumberID = "999" }, "100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, a, _ := startMeta(t, sandbox.Options{KeepLog: true}, tt.edit)
			_, err := a.Send(context.Background(), promo("447911123456", "r1"))
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != providers.ClassFatal || pe.Code != tt.code {
				t.Fatalf("err = %v, want fatal %s", err, tt.code)
			}
			if n := len(s.Log()); n != 0 {
				t.Errorf("%d requests admitted", n)
			}
		})
	}
}

// graphAnswer is the part of a Graph error answer the raw-request tests check.
type graphAnswer struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// TestMetaChecksRequests sends raw requests and checks the sandbox's own answers to bad ones.
func TestMetaChecksRequests(t *testing.T) {
	const good = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"447911123456","type":"template",` +
		`"template":{"name":"t","language":{"code":"en"},"components":[%s]}}`
	withComponents := func(c string) string { return strings.Replace(good, "%s", c, 1) }
	tests := []struct {
		name        string
		auth        string
		contentType string
		body        string
		status      int
		code        int
		details     string
	}{
		{"accepted", "", "", withComponents(`{"type":"body","parameters":[{"type":"text","text":"a"}]}`), 200, 0, ""},
		{"query access_token", "-", "", withComponents(""), 200, 0, ""},
		{"no token", "none", "", withComponents(""), 401, 104, ""},
		{"basic auth", "Basic c2FuZGJveDp4", "", withComponents(""), 401, 104, ""},
		{"wrong bearer token", "Bearer EAAGwrong", "", withComponents(""), 401, 190, "Invalid OAuth access token"},
		{"form body", "", "application/x-www-form-urlencoded", "to=1", 400, 100, "Content-Type"},
		{"not JSON", "", "", "{", 400, 100, "not the expected JSON"},
		{"unknown field", "", "", `{"messaging_product":"whatsapp","to":"1","type":"template","tmpl":{}}`, 400, 100, "unknown field"},
		{"wrong product", "", "", strings.Replace(withComponents(""), `"whatsapp"`, `"sms"`, 1), 400, 100, "messaging_product"},
		{"missing to", "", "", strings.Replace(withComponents(""), `"447911123456"`, `""`, 1), 400, 131008, "'to'"},
		{"to with letters", "", "", strings.Replace(withComponents(""), `"447911123456"`, `"44791abc"`, 1), 400, 131009, "'to'"},
		{"text message", "", "", strings.Replace(withComponents(""), `"type":"template"`, `"type":"text"`, 1), 400, 131009, "type"},
		{"no template name", "", "", strings.Replace(withComponents(""), `"name":"t"`, `"name":""`, 1), 400, 131008, "template.name"},
		{"no language", "", "", strings.Replace(withComponents(""), `"code":"en"`, `"code":""`, 1), 400, 131008, "language.code"},
		{"unknown component", "", "", withComponents(`{"type":"footer","parameters":[]}`), 400, 131009, "components[0].type"},
		{"image without link", "", "", withComponents(`{"type":"header","parameters":[{"type":"image","image":{}}]}`), 400, 131008, "image.link"},
		{"image in body", "", "", withComponents(`{"type":"body","parameters":[{"type":"image","image":{"link":"x"}}]}`), 400, 131009, "parameters[0].type"},
		{"empty text", "", "", withComponents(`{"type":"body","parameters":[{"type":"text","text":""}]}`), 400, 131008, "parameters[0].text"},
		{"newline in text", "", "", withComponents(`{"type":"body","parameters":[{"type":"text","text":"a\nb"}]}`), 400, 132018, "new-line"},
		{"five spaces in text", "", "", withComponents(`{"type":"body","parameters":[{"type":"text","text":"a     b"}]}`), 400, 132018, "spaces"},
		{"button without index", "", "", withComponents(`{"type":"button","sub_type":"url","parameters":[{"type":"text","text":"x"}]}`), 400, 131009, "index"},
		{"button index as number", "", "", withComponents(`{"type":"button","sub_type":"url","index":0,"parameters":[{"type":"text","text":"x"}]}`), 400, 100, "index"},
		{"quick reply with text", "", "", withComponents(`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"text","text":"x"}]}`), 400, 131009, "payload"},
		{"url button without parameters", "", "", withComponents(`{"type":"button","sub_type":"url","index":"0","parameters":[]}`), 400, 131008, "parameters is required"},
	}
	s := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	acct := sandbox.Credentials()["meta"]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := srv.URL + "/v23.0/" + acct.PhoneNumberID + "/messages"
			if tt.auth == "-" {
				url += "?access_token=" + acct.AccessToken.Reveal()
			}
			req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			switch tt.auth {
			case "":
				req.Header.Set("Authorization", "Bearer "+acct.AccessToken.Reveal())
			case "-", "none":
			default:
				req.Header.Set("Authorization", tt.auth)
			}
			req.Header.Set("Content-Type", "application/json")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if tt.code == 0 {
				return
			}
			var ans graphAnswer
			if err := json.Unmarshal(raw, &ans); err != nil {
				t.Fatalf("answer is not JSON: %s", raw)
			}
			if ans.Error.Code != tt.code || ans.Error.Type == "" || ans.Error.Message == "" || ans.Error.FBTraceID == "" ||
				!strings.Contains(ans.Error.ErrorData.Details+ans.Error.Message, tt.details) {
				t.Errorf("answer %s, want code %d mentioning %q", raw, tt.code, tt.details)
			}
		})
	}
	if n := s.Count(sandbox.Accept); n != 2 {
		t.Errorf("Count(Accept) = %d, want 2 (only the good requests)", n)
	}
}
