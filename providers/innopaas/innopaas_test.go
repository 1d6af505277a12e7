package innopaas

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"herald/providers"
)

// seenRequest is what the test server received.
type seenRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

// recordingServer answers every request with a submitted message and hands what it received to the test.
func recordingServer(t *testing.T) (*httptest.Server, <-chan seenRequest) {
	t.Helper()
	seen := make(chan seenRequest, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen <- seenRequest{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"message":"success","data":{"messageId":"ipw-0001"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

func TestSendRequestContract(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{
			name: "text header, three body parameters, URL button",
			msg: providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "c1-r42-a1",
				Header: textParams("Ann"),
				Body:   textParams("Ann", "SPRING10", "31 May"),
				Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL,
					Params: textParams("SPRING10")}}},
			want: `{"wabaId":"104857600000001","messageType":"template","uid":"c1-r42-a1",
				"sendNumber":"8613800138000","recipientNumber":"447911123456","language":"en_US",
				"templateName":"spring_sale","header":{"type":"text","paramValue":"Ann"},
				"bodyParams":["Ann","SPRING10","31 May"],
				"buttonParams":[{"index":0,"type":"url","paramValue":"SPRING10"}]}`,
		},
		{
			name: "image header and typed body parameters, sent as their text",
			msg: providers.Message{To: "8613912345678", Template: "promo", Language: "zh_CN", Ref: "r2",
				Header: []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example.com/b.png"}},
				Body: []providers.Param{{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500},
					{Kind: providers.ParamDateTime, Text: "30 April"}}},
			want: `{"wabaId":"104857600000001","messageType":"template","uid":"r2","sendNumber":"8613800138000",
				"recipientNumber":"8613912345678","language":"zh_CN","templateName":"promo",
				"header":{"type":"image","link":"https://cdn.example.com/b.png"},
				"bodyParams":["$12.50","30 April"]}`,
		},
		{
			name: "video header",
			msg: providers.Message{To: "5511987654321", Template: "clip", Language: "pt_BR", Ref: "r3",
				Header: []providers.Param{{Kind: providers.ParamVideo, Text: "https://cdn.example.com/v.mp4"}}},
			want: `{"wabaId":"104857600000001","messageType":"template","uid":"r3","sendNumber":"8613800138000",
				"recipientNumber":"5511987654321","language":"pt_BR","templateName":"clip",
				"header":{"type":"video","link":"https://cdn.example.com/v.mp4"}}`,
		},
		{
			name: "document header with a file name",
			msg: providers.Message{To: "447911123456", Template: "invoice", Language: "en_GB", Ref: "r4",
				Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example.com/i.pdf",
					Filename: "invoice-42.pdf"}},
				Body: textParams("42")},
			want: `{"wabaId":"104857600000001","messageType":"template","uid":"r4","sendNumber":"8613800138000",
				"recipientNumber":"447911123456","language":"en_GB","templateName":"invoice",
				"header":{"type":"document","link":"https://cdn.example.com/i.pdf","filename":"invoice-42.pdf"},
				"bodyParams":["42"]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, seen := recordingServer(t)
			a := newTestAdapter(t, srv)
			rc, err := a.Send(context.Background(), tc.msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if rc.MessageID != "ipw-0001" {
				t.Errorf("MessageID = %q, want ipw-0001", rc.MessageID)
			}
			got := <-seen
			if got.method != http.MethodPost || got.path != "/api/whatsapp/v3/msg/submit" {
				t.Errorf("request = %s %s, want POST /api/whatsapp/v3/msg/submit", got.method, got.path)
			}
			wantHeaders := map[string]string{"AppKey": testAppKey, "Authorization": testToken,
				"Content-Type": "application/json"}
			for k, want := range wantHeaders {
				if v := got.header.Values(k); len(v) != 1 || v[0] != want {
					t.Errorf("header %s = %q, want exactly %q", k, v, want)
				}
			}
			sameJSON(t, got.body, tc.want)
		})
	}
}

// TestSendRefusesWhatTheDocumentDoesNotList: a location header (the document defines no location in its header
// object) and a quick reply's payload (buttonParams are for dynamic links) are refused before anything leaves,
// as fatal: every row of the template would be refused alike. Preview refuses them first (campaign.Open).
func TestSendRefusesWhatTheDocumentDoesNotList(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		code string
		want string
	}{
		{"location header", providers.Message{Header: []providers.Param{{Kind: providers.ParamLocation,
			Latitude: "51.5074", Longitude: "-0.1278"}}}, "unsupported_header", "InnoPaaS cannot carry a location header"},
		{"quick reply payload", providers.Message{Buttons: []providers.ButtonParams{{Index: 1,
			Kind: providers.ButtonQuickReply, Params: textParams("STOP")}}}, "unsupported_button",
			"InnoPaaS cannot carry a quick_reply button with a parameter"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request left for a message the adapter should have refused")
	}))
	t.Cleanup(srv.Close)
	a := newTestAdapter(t, srv)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.msg.To, tc.msg.Template, tc.msg.Language, tc.msg.Ref = "447911123456", "t", "en", "r"
			_, err := a.Send(context.Background(), tc.msg)
			pe := asProviderError(t, err)
			if pe.Class != providers.ClassFatal || pe.Code != tc.code || !strings.HasPrefix(pe.Message, tc.want) {
				t.Errorf("got %s %s %q, want fatal %s %q", pe.Class, pe.Code, pe.Message, tc.code, tc.want)
			}
		})
	}
}

func TestSendRejectsMessagesInnoPaaSCannotCarry(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"unknown header kind", providers.Message{Header: []providers.Param{{Kind: "audio", Text: "x"}}},
			`the header parameter is of kind "audio"`},
		{"media body parameter", providers.Message{Body: []providers.Param{{Kind: providers.ParamImage, Text: "x"}}},
			`body parameter 1 is of kind "image"`},
		{"button without its value", providers.Message{Buttons: []providers.ButtonParams{{Index: 2, Kind: providers.ButtonURL}}},
			"button 2 has 0 parameters"},
		{"phone button", providers.Message{Buttons: []providers.ButtonParams{{Index: 0, Kind: "phone_number", Params: textParams("1")}}},
			`button 0 is of kind "phone_number"`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request left for a message the adapter should have refused")
	}))
	t.Cleanup(srv.Close)
	a := newTestAdapter(t, srv)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.msg.To, tc.msg.Template, tc.msg.Language, tc.msg.Ref = "447911123456", "t", "en", "r"
			_, err := a.Send(context.Background(), tc.msg)
			pe := asProviderError(t, err)
			if pe.Class != providers.ClassPermanent || pe.Code != "bad_message" {
				t.Errorf("got %s %s, want permanent bad_message", pe.Class, pe.Code)
			}
			if got := pe.Message; !strings.HasPrefix(got, tc.want) {
				t.Errorf("message %q does not start with %q", got, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	good := testProfile("")
	a, err := New(good, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.url != "https://api.innopaas.com/api/whatsapp/v3/msg/submit" {
		t.Errorf("url = %q, want the documented one", a.url)
	}
	withBase := testProfile("http://127.0.0.1:8080/")
	if a, err = New(withBase, nil); err != nil || a.url != "http://127.0.0.1:8080/api/whatsapp/v3/msg/submit" {
		t.Errorf("with base_url: url = %q, err = %v", a.url, err)
	}

	tests := []struct {
		name   string
		edit   func(*providers.Profile)
		inText string
	}{
		{"other provider", func(p *providers.Profile) { p.Provider = "meta" }, `provider "meta"`},
		{"no token", func(p *providers.Profile) { p.Token = "" }, "missing token"},
		{"no waba id and sender", func(p *providers.Profile) { p.WabaID, p.SendNumber = "", "" }, "missing waba_id, send_number"},
		{"base_url with a path", func(p *providers.Profile) { p.BaseURL = "https://api.innopaas.com/api" }, "scheme://host[:port] only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testProfile("")
			tc.edit(&p)
			_, err := New(p, nil)
			if err == nil || !strings.Contains(err.Error(), tc.inText) {
				t.Fatalf("New error = %v, want one mentioning %q", err, tc.inText)
			}
			if containsAny(err.Error(), testAppKey, testToken) {
				t.Errorf("New error leaks a secret: %v", err)
			}
		})
	}
}

// BenchmarkSend measures the adapter's own work per message (request body and answer), the server being a
// loopback httptest one answering a fixed body.
func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"message":"success","data":{"messageId":"ipw-0001"}}`)
	}))
	defer srv.Close()
	a, err := New(testProfile(srv.URL), providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64}))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	msg := providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "c1-r42-a1",
		Header: textParams("Ann"), Body: textParams("Ann", "SPRING10", "31 May"),
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: textParams("SPRING10")}}}
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Send(context.Background(), msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkEncodeAndParse measures the adapter's JSON work alone: building one body and reading one answer.
func BenchmarkEncodeAndParse(b *testing.B) {
	a, err := New(testProfile(""), nil)
	if err != nil {
		b.Fatal(err)
	}
	msg := providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "c1-r42-a1",
		Header: textParams("Ann"), Body: textParams("Ann", "SPRING10", "31 May"),
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: textParams("SPRING10")}}}
	ans := providers.Answer{Status: 200, Body: []byte(`{"code":0,"message":"success","data":{"messageId":"ipw-0001"}}`)}
	b.ReportAllocs()
	for b.Loop() {
		sr, err := a.buildRequest(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(sr); err != nil {
			b.Fatal(err)
		}
		if _, err := parseAnswer(ans); err != nil {
			b.Fatal(err)
		}
	}
}
