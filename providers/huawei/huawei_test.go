package huawei

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// TestSendContract checks every request the adapter makes against the CEC's documents: method, path, headers
// and the exact body, for each kind of template.
func TestSendContract(t *testing.T) {
	location := testMessage()
	location.Header = []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5074", Longitude: "-0.1278",
		Name: "Head office", Address: "1 Main St"}}
	location.Buttons = nil
	image, video := location, location
	image.Header = []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example.com/p.jpg"}}
	image.Body = nil
	video.Header = []providers.Param{{Kind: providers.ParamVideo, Text: "https://cdn.example.com/v.mp4"}}
	bodyOnly := testMessage()
	bodyOnly.Header, bodyOnly.Buttons = nil, nil
	bare := bodyOnly
	bare.Body = nil
	buttons := bodyOnly
	buttons.Buttons = []providers.ButtonParams{
		{Index: 2, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: "STOP"}}},
		{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "a/1"}}}}

	const envelope = `{"bulkId":"row42-a1","destinations":[{"messageId":"row42-a1","to":{"phoneNumber":"447911123456"}}],
		"whatsApp":{"templateName":"order_update","language":"en_US",%s}}`
	tests := []struct {
		name     string
		msg      providers.Message
		whatsApp string
	}{
		{"text header, three body parameters, URL button", testMessage(), `"mediaTemplateData":{"header":{"textPlaceholder":"Ada"},
			"body":{"placeholders":["A-1001","3 items","Friday"]},"buttons":[{"urlPlaceholder":"track/A-1001"}]}`},
		{"image header and no body parameters", image, `"mediaTemplateData":{"header":{"imageUrl":"https://cdn.example.com/p.jpg"},"body":{"placeholders":[]}}`},
		{"video header", video, `"mediaTemplateData":{"header":{"videoUrl":"https://cdn.example.com/v.mp4"},
			"body":{"placeholders":["A-1001","3 items","Friday"]}}`},
		{"location header as numbers, name and address not sent", location, `"mediaTemplateData":{"header":{"latitude":51.5074,"longitude":-0.1278},
			"body":{"placeholders":["A-1001","3 items","Friday"]}}`},
		{"body only: templateData", bodyOnly, `"templateData":["A-1001","3 items","Friday"]`},
		{"no parameters: an empty templateData, as the document's example", bare, `"templateData":[]`},
		{"the buttons that take a parameter, in the template's order", buttons, `"mediaTemplateData":{"body":{"placeholders":["A-1001","3 items","Friday"]},
			"buttons":[{"urlPlaceholder":"a/1"},{"quickReplyPayload":"STOP"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := normJSON(t, []byte(strings.Replace(envelope, "%s", tc.whatsApp, 1)))
			f := newFakeCEC(t, nil)
			f.setSend(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != SendPath || r.URL.RawQuery != "" {
					t.Errorf("request %s %s, want POST %s", r.Method, r.URL, SendPath)
				}
				for h, v := range map[string]string{"Content-Type": "application/json", "Authorization": "Bearer TOKEN1", "X-App-Key": testAppKey} {
					if got := r.Header.Get(h); got != v {
						t.Errorf("header %s = %q, want %q", h, got, v)
					}
				}
				body, _ := io.ReadAll(r.Body)
				if got := normJSON(t, body); got != want {
					t.Errorf("body\n got %s\nwant %s", got, want)
				}
				f.sendOK(w, r)
			})
			r, err := f.adapter(5*time.Second).Send(context.Background(), tc.msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if r.MessageID != "10011" {
				t.Errorf("receipt %q, want the answer's messageId 10011", r.MessageID)
			}
			if n := f.sendCalls.Load(); n != 1 {
				t.Errorf("%d send requests, want 1", n)
			}
		})
	}
}

// TestSendRefusesWhatTheDocumentCannotCarry checks the messages that fail before anything is sent.
func TestSendRefusesWhatTheDocumentCannotCarry(t *testing.T) {
	withHeader := func(p providers.Param) providers.Message {
		m := testMessage()
		m.Header = []providers.Param{p}
		return m
	}
	withButton := func(b providers.ButtonParams) providers.Message {
		m := testMessage()
		m.Buttons = []providers.ButtonParams{b}
		return m
	}
	tests := []struct {
		name  string
		msg   providers.Message
		class providers.Class
		code  string
		text  string
	}{
		{"document header", withHeader(providers.Param{Kind: providers.ParamDocument, Text: "https://x/a.pdf", Filename: "a.pdf"}),
			providers.ClassFatal, "unsupported_header", "Huawei CEC cannot carry a document header"},
		{"latitude out of range", withHeader(providers.Param{Kind: providers.ParamLocation, Latitude: "91", Longitude: "0"}),
			providers.ClassPermanent, "bad_location", `latitude "91"`},
		{"longitude not a number", withHeader(providers.Param{Kind: providers.ParamLocation, Latitude: "1", Longitude: "east"}),
			providers.ClassPermanent, "bad_location", `longitude "east"`},
		{"two header parameters", func() providers.Message {
			m := testMessage()
			m.Header = append(m.Header, m.Header[0])
			return m
		}(), providers.ClassPermanent, "bad_header", "2 parameters"},
		{"button index out of range", withButton(providers.ButtonParams{Index: 10, Kind: providers.ButtonURL}),
			providers.ClassPermanent, "bad_button", "index 10"},
		{"unknown button kind", withButton(providers.ButtonParams{Index: 1, Kind: "call"}),
			providers.ClassPermanent, "bad_button", `kind "call"`},
		{"quick reply without a payload", withButton(providers.ButtonParams{Index: 1, Kind: providers.ButtonQuickReply}),
			providers.ClassPermanent, "missing_payload", "requires quickReplyPayload"},
		{"quick reply with an empty payload", withButton(providers.ButtonParams{Index: 1, Kind: providers.ButtonQuickReply,
			Params: []providers.Param{{Kind: providers.ParamText}}}), providers.ClassPermanent, "missing_payload", "button 1"},
		{"a button given twice", func() providers.Message {
			m := testMessage()
			m.Buttons = append(m.Buttons, m.Buttons[0])
			return m
		}(), providers.ClassPermanent, "bad_button", "given twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a request was sent") })
			_, err := f.adapter(5*time.Second).Send(context.Background(), tc.msg)
			pe := providers.AsError(err)
			if pe.Class != tc.class || pe.Code != tc.code || !strings.Contains(pe.Message, tc.text) {
				t.Errorf("got %v (class %v, code %s), want class %v, code %s, text %q", err, pe.Class, pe.Code, tc.class, tc.code, tc.text)
			}
			if n := f.tokenCalls.Load() + f.sendCalls.Load(); n != 0 {
				t.Errorf("%d requests made, want none", n)
			}
		})
	}
}

// TestNewChecksTheProfile checks that New refuses a profile it cannot send with, naming the profile.
func TestNewChecksTheProfile(t *testing.T) {
	good := providers.Profile{Name: "cec", Provider: "huawei", BaseURL: "https://cec.example.com:28070", AppKey: testAppKey, AppSecret: testAppSecret}
	tests := []struct {
		name string
		edit func(p *providers.Profile)
		want string
	}{
		{"other provider", func(p *providers.Profile) { p.Provider = "meta" }, `profile "cec" is for provider "meta"`},
		{"no base_url", func(p *providers.Profile) { p.BaseURL = "" }, "missing base_url"},
		{"no app_secret", func(p *providers.Profile) { p.AppSecret = "" }, "missing app_secret"},
		{"base_url with a path", func(p *providers.Profile) { p.BaseURL = "https://cec.example.com/apiaccess" }, "scheme://host[:port] only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			tc.edit(&p)
			if _, err := New(p, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	a, err := New(good, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.sendURL != "https://cec.example.com:28070"+SendPath || a.tokenURL != "https://cec.example.com:28070"+TokenPath {
		t.Errorf("URLs %s and %s, want the base_url with the documented paths", a.sendURL, a.tokenURL)
	}
}

// TestSendAtSchedules checks that SendAt puts sendAt in the body, in the OMNI API's format and in UTC, whatever
// zone the time comes in; that Send leaves it out; and that SendAt without a time sends nothing.
func TestSendAtSchedules(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2025, 1, 16, 9, 0, 0, 0, tokyo)
	for _, tc := range []struct {
		name string
		send func(*Adapter) (providers.Receipt, error)
		want string
	}{
		{"SendAt", func(a *Adapter) (providers.Receipt, error) { return a.SendAt(context.Background(), testMessage(), at) },
			`"2025-01-16T00:00:00.000+0000"`},
		{"Send", func(a *Adapter) (providers.Receipt, error) { return a.Send(context.Background(), testMessage()) }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCEC(t, nil)
			f.setSend(func(w http.ResponseWriter, r *http.Request) {
				var body map[string]json.RawMessage
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					t.Fatal(err)
				}
				if got := string(body["sendAt"]); got != tc.want {
					t.Errorf("sendAt %s, want %s", got, tc.want)
				}
				f.sendOK(w, r)
			})
			if _, err := tc.send(f.adapter(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
		})
	}
	f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a request was sent") })
	if _, err := f.adapter(5*time.Second).SendAt(context.Background(), testMessage(), time.Time{}); providers.Classify(err) != providers.ClassPermanent {
		t.Errorf("SendAt without a time: %v, want a permanent error", err)
	}
}
