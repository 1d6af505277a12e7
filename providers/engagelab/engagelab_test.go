package engagelab

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"herald/providers"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testProfile is an EngageLab profile whose secrets are easy to spot in any text.
func testProfile(baseURL string) providers.Profile {
	return providers.Profile{Name: "el-test", Provider: "engagelab", BaseURL: baseURL,
		DevKey: "devkey-SECRET-7d1f", DevSecret: "devsecret-SECRET-93ab", From: "15550001111"}
}

// captured is what the test server saw of one request.
type captured struct {
	method, path string
	header       http.Header
	body         []byte
}

// newTestAdapter serves handler on loopback and returns an adapter pointed at it; both close with the test.
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

// recordingAdapter returns an adapter whose server passes every request on seen and answers a success.
func recordingAdapter(t *testing.T) (*Adapter, <-chan captured) {
	seen := make(chan captured, 1)
	a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen <- captured{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"message_id":"cbggf4if6o9ukqaalfug","request_id":"ref-1"}`)
	})
	return a, seen
}

func text(s string) providers.Param { return providers.Param{Kind: providers.ParamText, Text: s} }

func TestSendContract(t *testing.T) {
	body := []providers.Param{text("Ada"), text("SPRING10"), text("10%")}
	cases := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"text header, three body parameters, URL button",
			providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "ref-1",
				Header:  []providers.Param{text("Ada")},
				Body:    body,
				Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{text("c/SPRING10")}}}},
			`{"from":"15550001111","to":["447911123456"],"request_id":"ref-1","body":{"type":"template","template":{
			  "name":"spring_sale","language":"en_US","components":[
			  {"type":"header","parameters":[{"type":"text","text":"Ada"}]},
			  {"type":"body","parameters":[{"type":"text","text":"Ada"},{"type":"text","text":"SPRING10"},{"type":"text","text":"10%"}]},
			  {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"c/SPRING10"}]}]}}}`},
		{"image header",
			providers.Message{To: "8613800138000", Template: "promo", Language: "zh_CN", Ref: "ref-2",
				Header: []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example.com/a.png"}}},
			`{"from":"15550001111","to":["8613800138000"],"request_id":"ref-2","body":{"type":"template","template":{
			  "name":"promo","language":"zh_CN","components":[
			  {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/a.png"}}]}]}}}`},
		{"video header",
			providers.Message{To: "8613800138000", Template: "promo", Language: "en", Ref: "ref-3",
				Header: []providers.Param{{Kind: providers.ParamVideo, Text: "https://cdn.example.com/v.mp4"}}},
			`{"from":"15550001111","to":["8613800138000"],"request_id":"ref-3","body":{"type":"template","template":{
			  "name":"promo","language":"en","components":[
			  {"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example.com/v.mp4"}}]}]}}}`},
		{"document header with filename and a body",
			providers.Message{To: "447911123456", Template: "invoice", Language: "en_GB", Ref: "ref-4",
				Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example.com/i.pdf", Filename: "invoice.pdf"}},
				Body:   []providers.Param{text("42")}},
			`{"from":"15550001111","to":["447911123456"],"request_id":"ref-4","body":{"type":"template","template":{
			  "name":"invoice","language":"en_GB","components":[
			  {"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.example.com/i.pdf","filename":"invoice.pdf"}}]},
			  {"type":"body","parameters":[{"type":"text","text":"42"}]}]}}}`},
		{"typed body parameters",
			providers.Message{To: "447911123456", Template: "price_drop", Language: "en_US", Ref: "ref-5",
				Body: []providers.Param{text("Ada"), {Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500},
					{Kind: providers.ParamDateTime, Text: "30 April"}}},
			`{"from":"15550001111","to":["447911123456"],"request_id":"ref-5","body":{"type":"template","template":{
			  "name":"price_drop","language":"en_US","components":[
			  {"type":"body","parameters":[{"type":"text","text":"Ada"},
			  {"type":"currency","currency":{"fallback_value":"$12.50","code":"USD","amount_1000":12500}},
			  {"type":"date_time","date_time":{"fallback_value":"30 April"}}]}]}}}`},
		{"template without parameters",
			providers.Message{To: "447911123456", Template: "hello_world", Language: "en_US", Ref: "ref-7"},
			`{"from":"15550001111","to":["447911123456"],"request_id":"ref-7","body":{"type":"template","template":{
			  "name":"hello_world","language":"en_US"}}}`},
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("devkey-SECRET-7d1f:devsecret-SECRET-93ab"))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, seen := recordingAdapter(t)
			rec, err := a.Send(context.Background(), tc.msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if want := "cbggf4if6o9ukqaalfug:" + tc.msg.To; rec.MessageID != want {
				t.Errorf("MessageID = %q, want %s (message_id:to)", rec.MessageID, want)
			}
			got := <-seen
			if got.method != http.MethodPost || got.path != "/v1/messages" {
				t.Errorf("request = %s %s, want POST /v1/messages", got.method, got.path)
			}
			if h := got.header.Get("Authorization"); h != wantAuth {
				t.Errorf("Authorization = %q, want %q", h, wantAuth)
			}
			if h := got.header.Get("Content-Type"); h != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", h)
			}
			assertSameJSON(t, got.body, tc.want)
		})
	}
}

// assertSameJSON fails unless got and want are the same JSON document (key order and spacing aside).
func assertSameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		norm, _ := json.Marshal(w)
		t.Errorf("body mismatch\n got: %s\nwant: %s", got, norm)
	}
}

// TestSendRefusesWhatTheDocumentDoesNotList: a location header and a quick reply's payload (the document's
// parameter types are text, currency, date_time, image, video and document, the media in the header only) are
// refused before anything leaves, as fatal: every row of the template would be refused alike. Preview refuses
// them first (campaign.Open).
func TestSendRefusesWhatTheDocumentDoesNotList(t *testing.T) {
	cases := []struct {
		name, code, want string
		msg              providers.Message
	}{
		{"location header", "unsupported_header", "EngageLab cannot carry a location header",
			providers.Message{Header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5", Longitude: "-0.12"}}}},
		{"quick reply payload", "unsupported_button", "EngageLab cannot carry a quick_reply button with a parameter",
			providers.Message{Buttons: []providers.ButtonParams{{Index: 2, Kind: providers.ButtonQuickReply,
				Params: []providers.Param{text("STOP_PROMOS")}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
				t.Error("a message EngageLab cannot carry reached the provider")
			})
			tc.msg.To, tc.msg.Template, tc.msg.Language = "447911123456", "t", "en"
			_, err := a.Send(context.Background(), tc.msg)
			e := providers.AsError(err)
			if e.Class != providers.ClassFatal || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.want) {
				t.Errorf("error = %v (class %v, code %s), want fatal %s starting %q", err, e.Class, e.Code, tc.code, tc.want)
			}
		})
	}
}

func TestSendRejectsParametersEngageLabCannotTake(t *testing.T) {
	cases := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"body image", providers.Message{Body: []providers.Param{text("a"), {Kind: providers.ParamImage, Text: "https://x/y.png"}}},
			`body parameter 2: kind "image" is not allowed here`},
		{"header of unknown kind", providers.Message{Header: []providers.Param{{Kind: "audio", Text: "https://x/y.mp3"}}},
			`header parameter 1: kind "audio" is not a header parameter`},
		{"URL button with a location", providers.Message{Buttons: []providers.ButtonParams{{Index: 1, Kind: providers.ButtonURL,
			Params: []providers.Param{{Kind: providers.ParamLocation}}}}}, `button 1 parameter 1: kind "location"`},
		{"phone button", providers.Message{Buttons: []providers.ButtonParams{{Index: 3, Kind: "phone_number",
			Params: []providers.Param{text("1")}}}}, `button 3 has kind "phone_number"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
				t.Error("a message with a bad parameter reached the provider")
			})
			tc.msg.To, tc.msg.Template, tc.msg.Language = "447911123456", "t", "en"
			_, err := a.Send(context.Background(), tc.msg)
			e := providers.AsError(err)
			if e.Class != providers.ClassPermanent || e.Code != "unsupported_parameter" || !strings.Contains(e.Message, tc.want) {
				t.Errorf("error = %v (class %v, code %s), want permanent unsupported_parameter containing %q", err, e.Class, e.Code, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	good := testProfile("")
	cases := []struct {
		name    string
		edit    func(*providers.Profile)
		wantErr string
		wantURL string
	}{
		{"documented host", func(*providers.Profile) {}, "", "https://wa.api.engagelab.cc/v1/messages"},
		{"base_url keeps the documented path", func(p *providers.Profile) { p.BaseURL = "http://127.0.0.1:8080" }, "",
			"http://127.0.0.1:8080/v1/messages"},
		{"missing secret", func(p *providers.Profile) { p.DevSecret = "" }, "is missing dev_secret", ""},
		{"missing from", func(p *providers.Profile) { p.From = "" }, "is missing from", ""},
		{"other provider", func(p *providers.Profile) { p.Provider = "meta" }, `is for provider "meta"`, ""},
		{"base_url with a path", func(p *providers.Profile) { p.BaseURL = "https://wa.api.engagelab.cc/v1" }, "scheme://host[:port] only", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			tc.edit(&p)
			a, err := New(p, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer a.Close()
			if a.url != tc.wantURL {
				t.Errorf("url = %q, want %q", a.url, tc.wantURL)
			}
		})
	}
}

func TestSendConcurrently(t *testing.T) {
	const workers, each = 32, 20
	a := newTestAdapter(t, func(w http.ResponseWriter, r *http.Request) {
		var req sendRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decoding request: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"message_id": "id-" + req.RequestID, "request_id": req.RequestID})
	})
	errs := make(chan error, workers*each)
	for g := range workers {
		go func() {
			for i := range each {
				ref := "w" + strconv.Itoa(g) + "-" + strconv.Itoa(i)
				rec, err := a.Send(context.Background(), providers.Message{To: "447911123456", Template: "t", Language: "en", Ref: ref})
				if err == nil && rec.MessageID != "id-"+ref+":447911123456" {
					err = &providers.Error{Message: "receipt " + rec.MessageID + " for ref " + ref}
				}
				errs <- err
			}
		}()
	}
	for range workers * each {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
