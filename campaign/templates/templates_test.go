package templates_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/campaign/template"
	"herald/campaign/templates"
	"herald/providers"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// stage is a sandbox whose template reviews take an hour on a clock the test steps, with the bodies it
// received.
type stage struct {
	srv    *sandbox.Server
	url    string
	clock  atomic.Int64
	bodies chan []byte
	// fail, when set, answers template queries with HTTP 503.
	fail atomic.Bool
}

func newStage(t *testing.T, strict bool) *stage {
	t.Helper()
	s := &stage{bodies: make(chan []byte, 64)}
	s.clock.Store(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	s.srv = sandbox.New(sandbox.Options{TemplateReview: time.Hour, StrictTemplates: strict,
		TemplateClock: func() time.Time { return time.Unix(0, s.clock.Load()) }})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.fail.Load() && strings.HasSuffix(r.URL.Path, "/template/query") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		b, _ := io.ReadAll(r.Body)
		s.bodies <- b
		r.Body = io.NopCloser(bytes.NewReader(b))
		s.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s
}

func (s *stage) profile() providers.Profile { return s.srv.Profile("itniotech", s.url) }

func (s *stage) step(d time.Duration) { s.clock.Add(int64(d)) }

// write writes a file in a temporary folder and returns its path.
func write(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCreateSubmitsWhatItShows: examples come from example:, else the CSV's first ready row, else the
// fallback; the body the provider receives is the document shown; the template starts PENDING.
func TestCreateSubmitsWhatItShows(t *testing.T) {
	st := newStage(t, true)
	tpl := write(t, "sale.yaml", `name: sale
language: en_US
category: utility
header:
  text: "Hi {{first_name}}"
body: "Use {{code}} for {{discount|10%}} off."
buttons:
  - url: "https://shop.example/c/{{code}}"
    text: Shop now
example: {first_name: Olivia}
`)
	csv := write(t, "r.csv", "first_name,phone,code,discount\nAnn,not a number,X1,5%\nLukas,+49 151 23456926,SPRING-LM07,\n")
	ctx := context.Background()
	d, err := templates.Create(ctx, templates.CreateRequest{Profile: st.profile(), TemplatePath: tpl, CSVPath: csv})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	wantSources := []string{"example:", "row 3 of " + csv, "fallback", "row 3 of " + csv}
	wantValues := []string{"Olivia", "SPRING-LM07", "10%", "SPRING-LM07"}
	for i := range wantValues {
		if d.Examples.Values[i] != wantValues[i] || d.Examples.Sources[i] != wantSources[i] {
			t.Errorf("example %d = %q from %q, want %q from %q", i, d.Examples.Values[i], d.Examples.Sources[i], wantValues[i], wantSources[i])
		}
	}
	want := providers.TemplateDefinition{Name: "sale", Language: "en_US", Category: providers.CategoryUtility,
		Header: &providers.TemplateHeader{Format: providers.ParamText,
			TemplateText: providers.TemplateText{Text: "Hi {{#}}", Examples: []string{"Olivia"}}},
		Body: providers.TemplateText{Text: "Use {{#}} for {{#}} off.", Examples: []string{"SPRING-LM07", "10%"}},
		Buttons: []providers.TemplateButton{{Kind: providers.ButtonURL, Text: "Shop now",
			URL: "https://shop.example/c/{{#}}", Example: "https://shop.example/c/SPRING-LM07"}}}
	if g, w := mustJSON(t, d.Definition), mustJSON(t, want); g != w {
		t.Errorf("definition\n got %s\nwant %s", g, w)
	}
	info, err := d.Submit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var shown, sent bytes.Buffer
	if err := json.Compact(&shown, d.Request.Body); err != nil {
		t.Fatalf("the request shown is not JSON: %v", err)
	}
	if err := json.Compact(&sent, <-st.bodies); err != nil {
		t.Fatal(err)
	}
	if shown.String() != sent.String() {
		t.Errorf("shown\n%s\nsent\n%s", shown.String(), sent.String())
	}
	if info.Status != providers.TemplatePending || info.Name != "sale" {
		t.Errorf("created %+v, want sale PENDING", info)
	}
}

// TestDefinitionRefuses: what a definition cannot say is refused with the template line and the fix.
func TestDefinitionRefuses(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no examples", "name: t\nlanguage: en\nbody: \"Hi {{first_name}}, use {{code}}\"\n",
			"t.yaml line 3: the provider's reviewers need an example of each variable, and there is none for {{first_name}} in the body, {{code}} in the body - add them to the template file, as in example: {first_name: a realistic value}, or pass --csv FILE"},
		{"positional out of order", "name: t\nlanguage: en\nbody: \"{{2}} then {{1}}\"\nparams: {body: [a, b]}\nexample: {a: x, b: y}\n",
			"t.yaml line 4: the body uses {{2}} out of order or more than once - a template created at the provider numbers its variables in order of appearance"},
		{"positional twice", "name: t\nlanguage: en\nbody: \"Hi {{1}}, bye {{1}}\"\nparams: {body: [a]}\nexample: {a: x}\n",
			"the body uses {{1}} out of order or more than once"},
		{"footer too long", "name: t\nlanguage: en\nbody: hi\nfooter: \"" + strings.Repeat("x", 61) + "\"\n",
			"the footer is 61 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := template.Parse([]byte(tt.src), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			vals := make([]string, len(tpl.Variables()))
			for i, v := range tpl.Variables() {
				vals[i], _ = tpl.Example(v.Column)
			}
			_, err = templates.Definition(tpl, templates.Examples{Values: vals})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestApproveAndGate follows what the gate says of a template through its review, of a missing one, of a
// provider without a template API, of one that cannot answer now, and of refused credentials.
func TestApproveAndGate(t *testing.T) {
	st := newStage(t, true)
	ctx := context.Background()
	for _, name := range []string{"spring_sale", sandbox.RejectedTemplatePrefix + "sale"} {
		tpl := write(t, name+".yaml", "name: "+name+"\nlanguage: en_US\nbody: \"Hi {{first_name}}\"\nexample: {first_name: Olivia}\n")
		d, err := templates.Create(ctx, templates.CreateRequest{Profile: st.profile(), TemplatePath: tpl})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Submit(ctx); err != nil {
			t.Fatal(err)
		}
		d.Close()
	}
	gate := func(p providers.Profile, name string) (templates.Approval, error) {
		t.Helper()
		prov, err := open.Provider(p, providers.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer prov.Close()
		a, err := templates.Approve(ctx, p, prov, name, "en_US")
		if err != nil {
			return a, err
		}
		if gerr := templates.Gate(ctx, p, prov, name, "en_US"); (gerr == nil) != a.Sendable() || (gerr != nil && gerr.Error() != a.Refusal().Error()) {
			t.Errorf("Gate = %v, but Approve says sendable %v", gerr, a.Sendable())
		}
		return a, nil
	}
	check := func(name, wantLine, wantRefusal string) {
		t.Helper()
		a, err := gate(st.profile(), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.Line() != wantLine {
			t.Errorf("%s: Line = %q, want %q", name, a.Line(), wantLine)
		}
		refusal := a.Refusal()
		switch {
		case wantRefusal == "" && refusal != nil:
			t.Errorf("%s: refused: %v", name, refusal)
		case wantRefusal != "" && (refusal == nil || !strings.Contains(refusal.Error(), wantRefusal)):
			t.Errorf("%s: refusal %v, want %q", name, refusal, wantRefusal)
		}
	}
	check("spring_sale", "template spring_sale (en_US) at Itniotech: PENDING",
		"is PENDING at Itniotech (its review is not over): nothing was sent. Run herald templates status spring_sale --language en_US --profile sandbox-itniotech until it says APPROVED")
	check("autumn_sale", "template autumn_sale (en_US) at Itniotech: not found",
		"does not exist at Itniotech: nothing was sent. Create it with herald templates create FILE --profile sandbox-itniotech")
	st.step(time.Hour)
	check("spring_sale", "template spring_sale (en_US) at Itniotech: APPROVED", "")
	check(sandbox.RejectedTemplatePrefix+"sale", "template rejected_sale (en_US) at Itniotech: REJECTED (INVALID_FORMAT: the sandbox rejects every template whose name starts with rejected_)",
		"is REJECTED at Itniotech (INVALID_FORMAT")

	st.fail.Store(true)
	a, err := gate(st.profile(), "spring_sale")
	if err != nil || a.Known || !a.Sendable() || !strings.Contains(a.Unknown, "could not say") {
		t.Errorf("query failing: %+v, %v; want not known, not held back", a, err)
	}
	st.fail.Store(false)

	a, err = gate(st.srv.Profile("meta", st.url), "spring_sale")
	if err != nil || a.Known || !a.Sendable() || !strings.Contains(a.Unknown, "WhatsApp Manager") {
		t.Errorf("meta: %+v, %v; want not known, naming WhatsApp Manager", a, err)
	}
	wrong := st.profile()
	wrong.APISecret = "wrong"
	if _, err := gate(wrong, "spring_sale"); err == nil || !strings.Contains(err.Error(), "check api_key and api_secret") {
		t.Errorf("wrong secret: %v, want the authentication error", err)
	}
}

// TestOpenWithoutTemplateAPI names the console of a provider herald cannot manage templates with.
func TestOpenWithoutTemplateAPI(t *testing.T) {
	st := newStage(t, false)
	_, err := templates.Open(st.srv.Profile("engagelab", st.url))
	if !errors.Is(err, templates.ErrNoAPI) || !strings.Contains(err.Error(), "the EngageLab console") {
		t.Errorf("Open(engagelab) = %v, want ErrNoAPI naming the EngageLab console", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
