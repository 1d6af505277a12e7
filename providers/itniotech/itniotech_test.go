package itniotech

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
)

// TestSendContract checks method, path, headers (signature recomputed here) and the exact body for a template
// with a text header, three body parameters and a dynamic URL button, and that the receipt carries the id.
func TestSendContract(t *testing.T) {
	handler, seen := recordingHandler(t, http.StatusOK, successBody)
	a := newTestAdapter(t, 5*time.Second, handler)
	msg := providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "row7-a1",
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Alice"}},
		Body: []providers.Param{{Kind: providers.ParamText, Text: "Alice"}, {Kind: providers.ParamText, Text: "SPRING10"},
			{Kind: providers.ParamText, Text: "31 May"}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL,
			Params: []providers.Param{{Kind: providers.ParamText, Text: "SPRING10"}}}}}

	rec, err := a.Send(context.Background(), msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if rec.MessageID != "10415ecbd0c848ebb7d5a3fe53269df6" {
		t.Errorf("MessageID = %q", rec.MessageID)
	}
	got := <-seen
	if got.method != http.MethodPost || got.path != "/wa/template/sendMsg" {
		t.Errorf("request = %s %s, want POST /wa/template/sendMsg", got.method, got.path)
	}
	wantHeaders := map[string]string{
		"Content-Type": "application/json;charset=UTF-8",
		"Api-Key":      testAPIKey,
		"Timestamp":    "1630468800",
		"Sign":         wantSign(testAPIKey, testAPISecret, "1630468800"),
	}
	for k, v := range wantHeaders {
		if g := got.header.Values(k); len(g) != 1 || g[0] != v {
			t.Errorf("header %s = %q, want [%q]", k, g, v)
		}
	}
	want := `{"appId":"DGziZf5u","businessPhone":"91856321412","recipient":"447911123456","channelType":0,
		"template":{"name":"spring_sale","language":{"code":"en_US"},"components":[
			{"type":"header","parameters":[{"type":"text","text":"Alice"}]},
			{"type":"body","parameters":[{"type":"text","text":"Alice"},{"type":"text","text":"SPRING10"},{"type":"text","text":"31 May"}]},
			{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"SPRING10"}]}]}}`
	if g, w := canonicalJSON(t, got.body), canonicalJSON(t, []byte(want)); g != w {
		t.Errorf("body\n got %s\nwant %s", g, w)
	}
	if strings.Contains(string(got.body), "row7-a1") {
		t.Errorf("body carries the Ref, which Itniotech has no field for: %s", got.body)
	}
}

// TestSendBodies checks the exact template object for media and location headers, quick replies and no
// parameters at all.
func TestSendBodies(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string // the template object
	}{
		{"image header", providers.Message{Template: "t", Language: "en",
			Header: []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example/b.png"}}},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example/b.png"}}]}]}`},
		{"video header", providers.Message{Template: "t", Language: "en",
			Header: []providers.Param{{Kind: providers.ParamVideo, Text: "https://cdn.example/v.mp4"}}},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example/v.mp4"}}]}]}`},
		{"document header with filename", providers.Message{Template: "t", Language: "en",
			Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://cdn.example/o.pdf", Filename: "offer.pdf"}}},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.example/o.pdf","filename":"offer.pdf"}}]}]}`},
		{"location header", providers.Message{Template: "t", Language: "en",
			Header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5", Longitude: "-0.12", Name: "Shop", Address: "1 High St"}}},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"header","parameters":[{"type":"location","location":{"latitude":"51.5","longitude":"-0.12","name":"Shop","address":"1 High St"}}]}]}`},
		{"quick reply and url buttons", providers.Message{Template: "t", Language: "en",
			Buttons: []providers.ButtonParams{
				{Index: 1, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: "STOP"}}},
				{Index: 2, Kind: providers.ButtonURL, Params: []providers.Param{{Kind: providers.ParamText, Text: "x/y"}}}}},
			`{"name":"t","language":{"code":"en"},"components":[{"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"STOP"}]},{"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"x/y"}]}]}`},
		{"no parameters, no language", providers.Message{Template: "hello"},
			`{"name":"hello"}`},
	}
	handler, seen := recordingHandler(t, http.StatusOK, successBody)
	a := newTestAdapter(t, 5*time.Second, handler)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.msg.To = "15551234567"
			if _, err := a.Send(context.Background(), tt.msg); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := <-seen
			want := `{"appId":"DGziZf5u","businessPhone":"91856321412","recipient":"15551234567","channelType":0,"template":` + tt.want + `}`
			if g, w := canonicalJSON(t, got.body), canonicalJSON(t, []byte(want)); g != w {
				t.Errorf("body\n got %s\nwant %s", g, w)
			}
		})
	}
}

// TestSendRejectsUnsendableParameters: a parameter Itniotech cannot carry fails the row before any request.
func TestSendRejectsUnsendableParameters(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"audio header", providers.Message{Template: "t", Header: []providers.Param{{Kind: "audio", Text: "https://a"}}},
			`header parameter 1: kind "audio"`},
		{"phone button", providers.Message{Template: "t", Buttons: []providers.ButtonParams{{Index: 3, Kind: "phone_number"}}},
			`button 3 has kind "phone_number"`},
	}
	var requests atomic.Int32
	a := newTestAdapter(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Send(context.Background(), tt.msg)
			pe := asProviderError(t, err)
			if pe.Class != providers.ClassPermanent || pe.Code != "bad_message" || !strings.Contains(pe.Message, tt.want) {
				t.Errorf("got %v (class %v, code %q), want permanent bad_message naming %s", pe, pe.Class, pe.Code, tt.want)
			}
		})
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests left for unsendable messages", n)
	}
}

// TestTimestampExpiredResigns: -4 is retryable and the retry, a second later, carries a fresh timestamp and
// the signature over it.
func TestTimestampExpiredResigns(t *testing.T) {
	seen := make(chan captured, 2)
	var calls atomic.Int32
	a := newTestAdapter(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		seen <- captured{header: r.Header.Clone()}
		if calls.Add(1) == 1 {
			fmt.Fprint(w, `{"status":"-4","reason":"Timestamp expires"}`)
			return
		}
		fmt.Fprint(w, successBody)
	})
	_, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"})
	if pe := asProviderError(t, err); pe.Class != providers.ClassRetryable || pe.Code != "-4" {
		t.Fatalf("first send: %v, want retryable -4", err)
	}
	a.now = func() time.Time { return testClock.Add(2 * time.Second) }
	if _, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "t"}); err != nil {
		t.Fatalf("retry: %v", err)
	}
	for i, ts := range []string{"1630468800", "1630468802"} {
		h := (<-seen).header
		if h.Get("Timestamp") != ts || h.Get("Sign") != wantSign(testAPIKey, testAPISecret, ts) {
			t.Errorf("request %d: Timestamp %q Sign %q, want %q signed", i+1, h.Get("Timestamp"), h.Get("Sign"), ts)
		}
	}
}

// TestConcurrentSends runs many workers on one adapter under -race; every send gets its own id and every
// request is signed right.
func TestConcurrentSends(t *testing.T) {
	var n atomic.Int64
	a := newTestAdapter(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Sign") != wantSign(testAPIKey, testAPISecret, r.Header.Get("Timestamp")) {
			fmt.Fprint(w, `{"status":"-1","reason":"Authentication error"}`)
			return
		}
		fmt.Fprintf(w, `{"status":"0","reason":"success","data":{"messageId":"m%d"}}`, n.Add(1))
	})
	const workers, each = 64, 20
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = make(map[string]bool)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				rec, err := a.Send(context.Background(), providers.Message{To: fmt.Sprintf("1555%03d%04d", w, i), Template: "t"})
				if err != nil {
					t.Errorf("Send: %v", err)
					return
				}
				mu.Lock()
				seen[rec.MessageID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != workers*each {
		t.Errorf("%d distinct message ids, want %d", len(seen), workers*each)
	}
}

// TestNew checks profile validation and the URL the adapter posts to.
func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*providers.Profile)
		wantURL string
		wantErr string
	}{
		{"documented host", func(p *providers.Profile) { p.BaseURL = "" }, "https://api.itniotech.com/wa/template/sendMsg", ""},
		{"base_url with port", func(p *providers.Profile) { p.BaseURL = "http://127.0.0.1:8080/" }, "http://127.0.0.1:8080/wa/template/sendMsg", ""},
		{"missing business_phone", func(p *providers.Profile) { p.BusinessPhone = "" }, "", "missing business_phone"},
		{"missing secrets", func(p *providers.Profile) { p.APIKey, p.APISecret = "", "" }, "", "missing api_key, api_secret"},
		{"other provider", func(p *providers.Profile) { p.Provider = "meta" }, "", `is for provider "meta"`},
		{"base_url with a path", func(p *providers.Profile) { p.BaseURL = "https://api.itniotech.com/wa" }, "", "documented path is added"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile("https://api.itniotech.com")
			tt.edit(&p)
			a, err := New(p, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer a.Close()
			if a.url != tt.wantURL {
				t.Errorf("url = %q, want %q", a.url, tt.wantURL)
			}
		})
	}
}
