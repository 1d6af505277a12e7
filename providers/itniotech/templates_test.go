package itniotech

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/sandbox"
)

// springDefinition is the sample template as herald submits it.
func springDefinition() providers.TemplateDefinition {
	return providers.TemplateDefinition{Name: "spring_sale", Language: "en_US", Category: providers.CategoryMarketing,
		Header: &providers.TemplateHeader{Format: providers.ParamText,
			TemplateText: providers.TemplateText{Text: "Hi {{#}}", Examples: []string{"Olivia"}}},
		Body: providers.TemplateText{Text: "Hello {{#}}, use {{#}} for {{#}} off until {{#}}.",
			Examples: []string{"Olivia", "SPRING-OS21", "15%", "30 April"}},
		Footer: "Reply STOP to opt out",
		Buttons: []providers.TemplateButton{
			{Kind: providers.ButtonURL, Text: "Shop now", URL: "https://shop.example/c/{{#}}", Example: "https://shop.example/c/SPRING-OS21"},
			{Kind: providers.ButtonQuickReply, Text: "Stop promotions"}}}
}

// templateSandbox serves a sandbox whose template reviews take an hour on a clock the test steps, and
// returns an adapter signed for it and the step function. Every request body reaches seen, if not nil.
func templateSandbox(t *testing.T, opts sandbox.Options, seen chan<- []byte) (*Adapter, func(time.Duration)) {
	t.Helper()
	var clock atomic.Int64
	clock.Store(testClock.UnixNano())
	opts.TemplateReview = time.Hour
	opts.TemplateClock = func() time.Time { return time.Unix(0, clock.Load()) }
	sb := sandbox.New(opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			b, _ := io.ReadAll(r.Body)
			seen <- b
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	a, err := New(sb.Profile("itniotech", srv.URL), nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a, func(d time.Duration) { clock.Add(int64(d)) }
}

// TestTemplateRoundTrip creates a template at the sandbox, checks the body it received is the prepared one,
// and follows it from PENDING to APPROVED; a REJECTED one carries its reason.
func TestTemplateRoundTrip(t *testing.T) {
	seen := make(chan []byte, 16)
	a, step := templateSandbox(t, sandbox.Options{StrictTemplates: true}, seen)
	ctx := context.Background()
	def := springDefinition()
	prepared, err := a.PrepareTemplate(def)
	if err != nil {
		t.Fatalf("PrepareTemplate: %v", err)
	}
	if prepared.Method != http.MethodPost || !strings.HasSuffix(prepared.URL, "/wa/template/add") {
		t.Errorf("prepared %s %s, want POST .../wa/template/add", prepared.Method, prepared.URL)
	}
	info, err := a.CreateTemplate(ctx, def)
	if err != nil {
		t.Fatalf("CreateTemplate: %v", err)
	}
	if got := <-seen; string(got) != string(prepared.Body) {
		t.Errorf("submitted\n%s\nprepared\n%s", got, prepared.Body)
	}
	if info.Status != providers.TemplatePending || info.ID == "" || info.Name != "spring_sale" ||
		info.Language != "en_US" || info.Category != providers.CategoryMarketing {
		t.Errorf("created %+v, want spring_sale en_US marketing PENDING with an id", info)
	}
	status := func(name string) providers.TemplateInfo {
		t.Helper()
		infos, err := a.Templates(ctx, name, "en_US")
		if err != nil || len(infos) != 1 {
			t.Fatalf("Templates(%s) = %+v, %v; want one", name, infos, err)
		}
		<-seen
		return infos[0]
	}
	if got := status("spring_sale"); got.Status != providers.TemplatePending || got.ID != info.ID {
		t.Errorf("status before the review = %+v, want PENDING %s", got, info.ID)
	}
	rejected := def
	rejected.Name = sandbox.RejectedTemplatePrefix + "sale"
	if _, err := a.CreateTemplate(ctx, rejected); err != nil {
		t.Fatalf("CreateTemplate(%s): %v", rejected.Name, err)
	}
	<-seen
	step(time.Hour)
	if got := status("spring_sale"); got.Status != providers.TemplateApproved || got.Reason != "" {
		t.Errorf("status after the review = %+v, want APPROVED", got)
	}
	if got := status(rejected.Name); got.Status != providers.TemplateRejected || !strings.Contains(got.Reason, "INVALID_FORMAT") {
		t.Errorf("rejected template = %+v, want REJECTED with the reason", got)
	}
	all, err := a.Templates(ctx, "", "")
	if err != nil || len(all) != 2 || all[0].Name != "spring_sale" || all[1].Name != rejected.Name {
		t.Errorf("list = %+v, %v; want both templates", all, err)
	}
	_, err = a.Templates(ctx, "autumn_sale", "en_US")
	if !errors.Is(err, providers.ErrNoTemplate) || !strings.Contains(err.Error(), "create it with herald templates create") {
		t.Errorf("unknown template: %v, want ErrNoTemplate saying how to create it", err)
	}
}

// TestTemplateRequestBody checks the exact template/add body: components by key, {{#}} placeholders, one set
// of body examples, the URL's variable as {{1}} with its example.
func TestTemplateRequestBody(t *testing.T) {
	a := newTestAdapter(t, time.Second, func(http.ResponseWriter, *http.Request) {})
	got, err := a.PrepareTemplate(springDefinition())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"appId":"DGziZf5u","channelType":0,"templateName":"spring_sale","type":1,"language":"en_US","components":{
		"header":{"type":"HEADER","format":0,"text":"Hi {{#}}","example":{"header_text":["Olivia"]}},
		"body":{"type":"BODY","text":"Hello {{#}}, use {{#}} for {{#}} off until {{#}}.","example":{"body_text":[["Olivia","SPRING-OS21","15%","30 April"]]}},
		"footer":{"type":"FOOTER","text":"Reply STOP to opt out"},
		"button":{"type":"BUTTONS","buttons":[
			{"type":1,"text":"Shop now","url":"https://shop.example/c/{{1}}","example":["https://shop.example/c/SPRING-OS21"]},
			{"type":2,"text":"Stop promotions"}]}}}`
	if g, w := canonicalJSON(t, got.Body), canonicalJSON(t, []byte(want)); g != w {
		t.Errorf("body\n got %s\nwant %s", g, w)
	}
	if strings.Contains(string(got.Body), testAPIKey) || strings.Contains(string(got.Body), testAPISecret) {
		t.Errorf("the prepared request holds a secret: %s", got.Body)
	}
	location := providers.TemplateDefinition{Name: "t", Language: "en", Category: providers.CategoryUtility,
		Header: &providers.TemplateHeader{Format: providers.ParamLocation}, Body: providers.TemplateText{Text: "Find us"}}
	got, err = a.PrepareTemplate(location)
	if err != nil {
		t.Fatal(err)
	}
	want = `{"appId":"DGziZf5u","channelType":0,"templateName":"t","type":2,"language":"en","components":{
		"header":{"type":"HEADER","format":4},"body":{"type":"BODY","text":"Find us"}}}`
	if g, w := canonicalJSON(t, got.Body), canonicalJSON(t, []byte(want)); g != w {
		t.Errorf("location body\n got %s\nwant %s", g, w)
	}
}

// TestPrepareTemplateRefuses: what Itniotech's API cannot take is refused before any request, saying why.
func TestPrepareTemplateRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(*providers.TemplateDefinition)
		want string
	}{
		{"authentication", func(d *providers.TemplateDefinition) { d.Category = providers.CategoryAuthentication },
			"create this template in the Itniotech console"},
		{"unknown category", func(d *providers.TemplateDefinition) { d.Category = "promo" }, "marketing, utility or authentication"},
		{"image header", func(d *providers.TemplateDefinition) {
			d.Header = &providers.TemplateHeader{Format: providers.ParamImage}
		}, "a header of type image needs a sample"},
		{"consecutive body variables", func(d *providers.TemplateDefinition) {
			d.Body = providers.TemplateText{Text: "Hi {{#}} {{#}}", Examples: []string{"a", "b"}}
		}, "variables 1 and 2 next to each other"},
		{"missing example", func(d *providers.TemplateDefinition) { d.Body.Examples = d.Body.Examples[1:] },
			"4 variables but 3 examples"},
		{"url variable in the middle", func(d *providers.TemplateDefinition) { d.Buttons[0].URL = "https://x.example/{{#}}/y" },
			"at its end"},
		{"phone button", func(d *providers.TemplateDefinition) { d.Buttons[1].Kind = "phone_number" },
			`button 2 is a "phone_number" button`},
	}
	var requests atomic.Int32
	a := newTestAdapter(t, time.Second, func(http.ResponseWriter, *http.Request) { requests.Add(1) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := springDefinition()
			tt.edit(&def)
			_, err := a.CreateTemplate(context.Background(), def)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests left for refused templates", n)
	}
}

// TestTemplateAnswersTolerant reads the query answer in the shapes an undocumented API may take.
func TestTemplateAnswersTolerant(t *testing.T) {
	tests := []struct {
		name, body string
		want       []providers.TemplateInfo // nil: ErrNoTemplate
	}{
		{"documented object", `{"status":"0","data":{"templateId":"a1","templateName":"t","type":"2","languageCode":"en","status":"APPROVED"}}`,
			[]providers.TemplateInfo{{ID: "a1", Name: "t", Language: "en", Category: providers.CategoryUtility, Status: providers.TemplateApproved}}},
		{"numbers and lower case", `{"status":0,"data":{"templateId":7,"templateName":"t","type":1,"languageCode":"en","status":"pending"}}`,
			[]providers.TemplateInfo{{ID: "7", Name: "t", Language: "en", Category: providers.CategoryMarketing, Status: providers.TemplatePending}}},
		{"list", `{"status":"0","data":[{"templateName":"t","languageCode":"de","status":"PENDING"},{"templateName":"t","languageCode":"en","status":"REJECTED","rejectedReason":"TAG_CONTENT_MISMATCH"}]}`,
			[]providers.TemplateInfo{{Name: "t", Language: "en", Status: providers.TemplateRejected, Reason: "TAG_CONTENT_MISMATCH"}}},
		{"page around a list", `{"status":"0","data":{"total":1,"records":[{"name":"t","language":"en","templateStatus":"PAUSED","category":"MARKETING"}]}}`,
			[]providers.TemplateInfo{{Name: "t", Language: "en", Category: providers.CategoryMarketing, Status: "PAUSED"}}},
		{"no name or language in the answer", `{"status":"0","data":{"status":"APPROVED"}}`,
			[]providers.TemplateInfo{{Name: "t", Language: "en", Status: providers.TemplateApproved}}},
		{"not found code", `{"status":"-38","reason":"current template was not found."}`, nil},
		{"empty list", `{"status":"0","data":[]}`, nil},
		{"no data", `{"status":"0","reason":"success"}`, nil},
		{"another language only", `{"status":"0","data":[{"templateName":"t","languageCode":"de","status":"APPROVED"}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAdapter(t, time.Second, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tt.body) })
			got, err := a.Templates(context.Background(), "t", "en")
			if tt.want == nil {
				if !errors.Is(err, providers.ErrNoTemplate) {
					t.Errorf("got %+v, %v; want ErrNoTemplate", got, err)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("template %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
