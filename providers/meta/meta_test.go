package meta

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
)

const testToken = "EAAGtestTOKENd0n0tl3ak"

// testProfile is a complete meta profile; tests point its BaseURL at their server.
func testProfile(baseURL string) providers.Profile {
	return providers.Profile{Name: "acme", Provider: "meta", BaseURL: baseURL, AccessToken: testToken,
		PhoneNumberID: "106540352242922", APIVersion: "v23.0"}
}

// capturedRequest is what the test server saw.
type capturedRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

// newTestAdapter serves handler on loopback and returns an adapter pointed at it.
func newTestAdapter(t *testing.T, handler http.HandlerFunc) *Adapter {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	a, err := New(testProfile(srv.URL), srv.Client())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// answerWith answers every request with status, body and header key/value pairs, and hands each request it
// saw to seen (buffered, may be nil).
func answerWith(status int, body string, seen chan<- capturedRequest, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if seen != nil {
			seen <- capturedRequest{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: b}
		}
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const okAnswer = `{"messaging_product":"whatsapp","contacts":[{"input":"447911123456","wa_id":"447911123456"}],` +
	`"messages":[{"id":"wamid.HBgLNDQ3OTExMTIzNDU2FQIAERgSQjk2","message_status":"accepted"}]}`

// normalJSON re-encodes a JSON document with sorted keys and no spaces, so two documents compare as strings.
func normalJSON(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestSendTextTemplateContract(t *testing.T) {
	seen := make(chan capturedRequest, 1)
	a := newTestAdapter(t, answerWith(http.StatusOK, okAnswer, seen))
	msg := providers.Message{
		To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "r17-a1_X",
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Ana"}},
		Body: []providers.Param{{Kind: providers.ParamText, Text: "Ana"}, {Kind: providers.ParamText, Text: "SPRING10"},
			{Kind: providers.ParamText, Text: "10% \"off\""}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL,
			Params: []providers.Param{{Kind: providers.ParamText, Text: "c/SPRING10"}}}},
	}
	rcpt, err := a.Send(context.Background(), msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if rcpt.MessageID != "wamid.HBgLNDQ3OTExMTIzNDU2FQIAERgSQjk2" {
		t.Errorf("MessageID = %q", rcpt.MessageID)
	}
	got := <-seen
	if got.method != http.MethodPost || got.path != "/v23.0/106540352242922/messages" {
		t.Errorf("request = %s %s, want POST /v23.0/106540352242922/messages", got.method, got.path)
	}
	if h := got.header.Get("Authorization"); h != "Bearer "+testToken {
		t.Errorf("Authorization = %q", h)
	}
	if h := got.header.Get("Content-Type"); h != "application/json" {
		t.Errorf("Content-Type = %q", h)
	}
	want := `{
	  "messaging_product": "whatsapp", "recipient_type": "individual", "to": "447911123456", "type": "template",
	  "biz_opaque_callback_data": "r17-a1_X",
	  "template": {"name": "spring_sale", "language": {"policy": "deterministic", "code": "en_US"},
	    "components": [
	      {"type": "header", "parameters": [{"type": "text", "text": "Ana"}]},
	      {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "SPRING10"},
	        {"type": "text", "text": "10% \"off\""}]},
	      {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "c/SPRING10"}]}
	    ]}
	}`
	if g, w := normalJSON(t, got.body), normalJSON(t, []byte(want)); g != w {
		t.Errorf("body\n got %s\nwant %s", g, w)
	}
}

func TestSendHeaderAndButtonKinds(t *testing.T) {
	tests := []struct {
		name       string
		header     []providers.Param
		buttons    []providers.ButtonParams
		components string
	}{
		{name: "image", header: []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example/b.png"}},
			components: `[{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example/b.png"}}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ana"}]}]`},
		{name: "video", header: []providers.Param{{Kind: providers.ParamVideo, Text: "https://cdn.example/v.mp4"}},
			components: `[{"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example/v.mp4"}}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ana"}]}]`},
		{name: "document with filename",
			header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example/o.pdf", Filename: "offer.pdf"}},
			components: `[{"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.example/o.pdf","filename":"offer.pdf"}}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ana"}]}]`},
		{name: "location",
			header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5", Longitude: "-0.12", Name: "Shop", Address: "1 High St"}},
			components: `[{"type":"header","parameters":[{"type":"location","location":{"latitude":"51.5","longitude":"-0.12","name":"Shop","address":"1 High St"}}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ana"}]}]`},
		{name: "quick reply payload and second url button",
			buttons: []providers.ButtonParams{
				{Index: 0, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: "STOP"}}},
				{Index: 2, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "x?y=1"}}}},
			components: `[{"type":"body","parameters":[{"type":"text","text":"Ana"}]},` +
				`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP"}]},` +
				`{"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"x?y=1"}]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(chan capturedRequest, 1)
			a := newTestAdapter(t, answerWith(http.StatusOK, okAnswer, seen))
			msg := providers.Message{To: "15551234567", Template: "promo", Language: "pt_BR", Ref: "ref1",
				Header: tt.header, Body: []providers.Param{{Kind: providers.ParamText, Text: "Ana"}}, Buttons: tt.buttons}
			if _, err := a.Send(context.Background(), msg); err != nil {
				t.Fatalf("Send: %v", err)
			}
			want := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"15551234567","type":"template",` +
				`"biz_opaque_callback_data":"ref1","template":{"name":"promo","language":{"policy":"deterministic","code":"pt_BR"},` +
				`"components":` + tt.components + `}}`
			if g, w := normalJSON(t, (<-seen).body), normalJSON(t, []byte(want)); g != w {
				t.Errorf("body\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestSendWithoutParametersOmitsComponents(t *testing.T) {
	seen := make(chan capturedRequest, 1)
	a := newTestAdapter(t, answerWith(http.StatusOK, okAnswer, seen))
	if _, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "hello_world", Language: "en_US"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	want := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"15551234567","type":"template",` +
		`"template":{"name":"hello_world","language":{"policy":"deterministic","code":"en_US"}}}`
	if g, w := normalJSON(t, (<-seen).body), normalJSON(t, []byte(want)); g != w {
		t.Errorf("body\n got %s\nwant %s", g, w)
	}
}

func TestSendRefusesMessagesItCannotEncode(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"header kind", providers.Message{Header: []providers.Param{{Kind: "audio", Text: "x"}}}, `header parameter 1: kind "audio"`},
		{"body kind", providers.Message{Body: []providers.Param{{Kind: providers.ParamText, Text: "a"}, {Kind: providers.ParamImage, Text: "x"}}},
			`body parameter 2: kind "image"`},
		{"button kind", providers.Message{Buttons: []providers.ButtonParams{{Index: 1, Kind: "call"}}}, `button 1 has kind "call"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
				t.Error("a request left for a message that cannot be encoded")
			})
			tt.msg.To, tt.msg.Template, tt.msg.Language = "15551234567", "promo", "en"
			_, err := a.Send(context.Background(), tt.msg)
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != providers.ClassPermanent || pe.Code != "invalid_message" || !strings.Contains(pe.Message, tt.want) {
				t.Fatalf("err = %v, want permanent invalid_message naming %q", err, tt.want)
			}
		})
	}
}

func TestNewChecksTheProfile(t *testing.T) {
	tests := []struct {
		name   string
		change func(*providers.Profile)
		want   string // "" for success
	}{
		{"complete", func(*providers.Profile) {}, ""},
		{"default version", func(p *providers.Profile) { p.APIVersion = "" }, ""},
		{"missing token", func(p *providers.Profile) { p.AccessToken = "" }, "missing access_token"},
		{"missing phone number id", func(p *providers.Profile) { p.PhoneNumberID = "" }, "missing phone_number_id"},
		{"phone number instead of id", func(p *providers.Profile) { p.PhoneNumberID = "+15551234567" }, "numeric Phone number ID"},
		{"bad version", func(p *providers.Profile) { p.APIVersion = "23" }, `api_version "23" is not a Graph API version`},
		{"wrong provider", func(p *providers.Profile) { p.Provider = "engagelab"; p.DevKey, p.DevSecret, p.From = "k", "s", "1" },
			"the meta adapter needs a profile with provider: meta"},
		{"base url with path", func(p *providers.Profile) { p.BaseURL = "https://graph.example/v23.0" }, "scheme://host[:port] only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile("")
			tt.change(&p)
			a, err := New(p, nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				wantURL := DefaultBaseURL + "/" + DefaultAPIVersion + "/106540352242922/messages"
				if a.url != wantURL {
					t.Errorf("url = %q, want %q", a.url, wantURL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want one containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

// TestConcurrentSends sends from many goroutines at once (run with -race) and checks every worker gets the
// receipt of its own request.
func TestConcurrentSends(t *testing.T) {
	a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Ref string `json:"biz_opaque_callback_data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("decoding: %v", err)
		}
		_, _ = io.WriteString(w, `{"messages":[{"id":"wamid.`+body.Ref+`"}]}`)
	})
	const workers, each = 64, 20
	var wg sync.WaitGroup
	errs := make(chan string, workers*each)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				ref := fmt.Sprintf("w%d-%d", g, i)
				rcpt, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t", Language: "en", Ref: ref})
				if err != nil || rcpt.MessageID != "wamid."+ref {
					errs <- ref + ": " + rcpt.MessageID
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, okAnswer)
	}))
	defer srv.Close()
	a, err := New(testProfile(srv.URL), providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64}))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	msg := providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "r17-a1",
		Header:  []providers.Param{{Kind: providers.ParamText, Text: "Ana"}},
		Body:    []providers.Param{{Kind: providers.ParamText, Text: "Ana"}, {Kind: providers.ParamText, Text: "SPRING10"}, {Kind: providers.ParamText, Text: "10%"}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "SPRING10"}}}}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Send(context.Background(), msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkBuildAndEncode measures the adapter's own work per message: the body, without the network.
func BenchmarkBuildAndEncode(b *testing.B) {
	msg := providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "r17-a1",
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Ana"}},
		Body:   []providers.Param{{Kind: providers.ParamText, Text: "Ana"}, {Kind: providers.ParamText, Text: "SPRING10"}, {Kind: providers.ParamText, Text: "10%"}}}
	b.ReportAllocs()
	for b.Loop() {
		body, _ := buildRequest(msg)
		payload, _ := json.Marshal(&body)
		if _, err := parseAnswer(providers.Answer{Status: 200, Body: []byte(okAnswer)}, []byte(testToken)); err != nil || len(payload) == 0 {
			b.Fatal(err)
		}
	}
}
