package itniotech

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/sandbox"
)

// addBody is a valid template/add body as a tree the refusal cases edit.
func addBody() map[string]any {
	return map[string]any{"appId": "SANDBOXAPP", "channelType": 0, "templateName": "spring_sale", "type": 1, "language": "en_US",
		"components": map[string]any{
			"header": map[string]any{"type": "HEADER", "format": 0, "text": "Hi {{#}}",
				"example": map[string]any{"header_text": []string{"Olivia"}}},
			"body": map[string]any{"type": "BODY", "text": "Use {{#}} by {{#}}",
				"example": map[string]any{"body_text": [][]string{{"SPRING", "May"}}}},
			"footer": map[string]any{"type": "FOOTER", "text": "Reply STOP to opt out"},
			"button": map[string]any{"type": "BUTTONS", "buttons": []any{
				map[string]any{"type": 1, "text": "Shop", "url": "https://shop.example/{{1}}", "example": []string{"https://shop.example/x"}},
				map[string]any{"type": 2, "text": "Stop"}}}}}
}

// authBody is a valid authentication template/add body.
func authBody() map[string]any {
	return map[string]any{"appId": "SANDBOXAPP", "channelType": 0, "templateName": "login_code", "type": 0, "language": "en",
		"components": map[string]any{
			"body":   map[string]any{"type": "BODY", "add_security_recommendation": true},
			"footer": map[string]any{"type": "FOOTER", "code_expiration_minutes": 10},
			"button": map[string]any{"type": "BUTTONS", "buttons": []any{map[string]any{"otp_type": "COPY_CODE", "text": "Copy", "type": 3}}}}}
}

// part returns the component or object at a path of keys in a body tree.
func part(body map[string]any, keys ...string) map[string]any {
	m := body
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

// button returns button i of a body tree.
func button(body map[string]any, i int) map[string]any {
	return part(body, "components", "button")["buttons"].([]any)[i].(map[string]any)
}

// TestEveryTemplateRefusalHasASentence provokes, at the sandbox, every status code its template endpoints can
// answer, and checks that herald reads each as its code with a clear sentence saying what to change, not the
// fallback for unknown codes.
func TestEveryTemplateRefusalHasASentence(t *testing.T) {
	type refusal struct {
		// body edits a valid template/add body (nil: the case does its own request, in do).
		edit func(map[string]any)
		base func() map[string]any
		do   func(t *testing.T, a *Adapter) error
		want string // words the sentence must hold
	}
	raw := func(body string) func(*testing.T, *Adapter) error {
		return func(t *testing.T, a *Adapter) error { return postTemplate(t, a, []byte(body)) }
	}
	cases := map[string]refusal{
		"-1": {do: func(t *testing.T, a *Adapter) error {
			a.keys = &keyPair{apiKey: "wrong", apiSecret: "wrong"}
			_, err := a.CreateTemplate(context.Background(), springDefinition())
			return err
		}, want: "check api_key and api_secret"},
		"-4": {do: func(t *testing.T, a *Adapter) error {
			a.now = func() time.Time { return time.Now().Add(-time.Hour) }
			_, err := a.CreateTemplate(context.Background(), springDefinition())
			return err
		}, want: "clock"},
		"-7":  {do: raw(`{"appId":`), want: "could not parse"},
		"-8":  {edit: func(b map[string]any) { delete(b, "templateName") }, want: "within 1024 characters"},
		"-10": {edit: func(b map[string]any) { b["appId"] = "OTHER" }, want: "check app_id"},
		"-18": {edit: func(b map[string]any) { part(b, "components", "header")["format"] = 1 }, want: "Itniotech console"},
		"-21": {edit: func(b map[string]any) { part(b, "components", "header")["text"] = strings.Repeat("x", 61) }, want: "60 characters"},
		"-23": {edit: func(b map[string]any) { delete(button(b, 1), "type") }, want: "herald's maintainers"},
		"-24": {edit: func(b map[string]any) { part(b, "components", "button")["buttons"] = manyButtons(11) }, want: "at most 10 buttons"},
		"-32": {do: createTwice(addBody, addBody), want: "already has a template with this name and language"},
		"-33": {edit: func(b map[string]any) { b["templateName"] = "Spring Sale" }, want: "lower-case letters"},
		"-34": {edit: func(b map[string]any) { part(b, "components", "body")["text"] = "Use {{#}} {{#}}" }, want: "put words between them"},
		"-38": {do: queryMissing, want: "create it with herald templates create"},
		"-74": {edit: func(b map[string]any) { b["language"] = "en-us" }, want: "such as en or en_US"},
		"-75": {do: createTwice(addBody, func() map[string]any { b := addBody(); b["type"] = 2; b["language"] = "de"; return b }), want: "another category"},
		"-76": {edit: func(b map[string]any) { b["type"] = 7 }, want: "category: marketing, utility or authentication"},
		"-77": {edit: func(b map[string]any) { button(b, 1)["type"] = 4; button(b, 1)["phone_number"] = "+44 20" }, want: "country code"},
		"-78": {edit: func(b map[string]any) { b["language"] = "xx_XX" }, want: "WhatsApp's template languages"},
		"-82": {edit: func(b map[string]any) {
			part(b, "components", "body", "example")["body_text"] = [][]string{{strings.Repeat("x", 1020), "May"}}
		}, want: "within 1024 characters once filled"},
		"-83":  {edit: func(b map[string]any) { part(b, "components", "body", "example")["body_text"] = [][]string{{"SPRING"}} }, want: "one example per variable"},
		"-84":  {edit: func(b map[string]any) { part(b, "components", "footer")["text"] = "" }, want: "every variable's example"},
		"-86":  {edit: func(b map[string]any) { delete(part(b, "components", "body"), "type") }, want: "herald's maintainers"},
		"-87":  {edit: func(b map[string]any) { part(b, "components", "footer")["type"] = "" }, want: "herald's maintainers"},
		"-89":  {edit: func(b map[string]any) { delete(b, "components") }, want: "give it a body"},
		"-90":  {edit: func(b map[string]any) { part(b, "components", "header")["text"] = "Hi {{#}}{{#}}" }, want: "keep one variable"},
		"-91":  {edit: func(b map[string]any) { delete(part(b, "components", "header"), "example") }, want: "at most one variable in the header"},
		"-92":  {edit: func(b map[string]any) { button(b, 1)["text"] = strings.Repeat("x", 26) }, want: "25 characters"},
		"-99":  {edit: func(b map[string]any) { b["channelType"] = 1 }, want: "herald's maintainers"},
		"-100": {edit: func(b map[string]any) { delete(part(b, "components", "header"), "format") }, want: "herald's maintainers"},
		"-101": {edit: func(b map[string]any) { part(b, "components", "header")["format"] = 9 }, want: "herald's maintainers"},
		"-102": {base: authBody, edit: func(b map[string]any) { button(b, 0)["type"] = 2 }, want: "Itniotech console"},
		"-103": {edit: func(b map[string]any) { part(b, "components", "body")["text"] = " " }, want: "needs body: text"},
		"-104": {base: authBody, edit: func(b map[string]any) { delete(part(b, "components", "body"), "add_security_recommendation") }, want: "Itniotech console"},
		"-105": {edit: func(b map[string]any) { part(b, "components", "footer")["text"] = strings.Repeat("x", 61) }, want: "shorten footer:"},
		"-106": {base: authBody, edit: func(b map[string]any) { part(b, "components", "footer")["code_expiration_minutes"] = 91 }, want: "Itniotech console"},
		"-108": {base: authBody, edit: func(b map[string]any) { delete(button(b, 0), "otp_type") }, want: "Itniotech console"},
		"-109": {base: authBody, edit: func(b map[string]any) { delete(part(b, "components"), "button") }, want: "Itniotech console"},
		"-2":   {do: sendPending, want: "not approved"},
	}
	for _, code := range sandbox.ItniotechTemplateCodes() {
		c, ok := cases[code]
		if !ok {
			t.Errorf("the sandbox can answer %s, but no case here provokes it", code)
			continue
		}
		t.Run(code, func(t *testing.T) {
			a, _ := templateSandbox(t, sandbox.Options{StrictTemplates: true}, nil)
			var err error
			if c.do != nil {
				err = c.do(t, a)
			} else {
				base := addBody
				if c.base != nil {
					base = c.base
				}
				body := base()
				c.edit(body)
				err = postTemplate(t, a, mustJSON(t, body))
			}
			pe, ok := err.(*providers.Error)
			if !ok {
				t.Fatalf("got %T %v, want the sandbox's refusal %s", err, err, code)
			}
			if pe.Code != code {
				t.Fatalf("got code %s (%v), want %s", pe.Code, pe, code)
			}
			if strings.Contains(pe.Message, "refused the template with status") || !strings.Contains(pe.Message, ":") {
				t.Errorf("code %s has no sentence with a fix: %q", code, pe.Message)
			}
			if !strings.Contains(pe.Message, c.want) {
				t.Errorf("code %s: %q lacks %q", code, pe.Message, c.want)
			}
		})
	}
}

// postTemplate posts body to the sandbox's template/add as the adapter signs it and reads the answer.
func postTemplate(t *testing.T, a *Adapter, body []byte) error {
	t.Helper()
	answer, err := a.post(context.Background(), a.endpoint(TemplateAddPath), body)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	_, err = parseTemplateAnswer(answer)
	return err
}

// createTwice creates first, then second, and returns the second's refusal.
func createTwice(first, second func() map[string]any) func(*testing.T, *Adapter) error {
	return func(t *testing.T, a *Adapter) error {
		if err := postTemplate(t, a, mustJSON(t, first())); err != nil {
			t.Fatalf("first create: %v", err)
		}
		return postTemplate(t, a, mustJSON(t, second()))
	}
}

// queryMissing asks for a template the sandbox does not have.
func queryMissing(t *testing.T, a *Adapter) error {
	_, err := a.Templates(context.Background(), "autumn_sale", "en_US")
	return err
}

// sendPending creates a template and sends on it while its review runs.
func sendPending(t *testing.T, a *Adapter) error {
	if _, err := a.CreateTemplate(context.Background(), springDefinition()); err != nil {
		t.Fatalf("create: %v", err)
	}
	_, err := a.Send(context.Background(), providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US"})
	return err
}

// manyButtons is n quick replies.
func manyButtons(n int) []any {
	list := make([]any, n)
	for i := range list {
		list[i] = map[string]any{"type": 2, "text": "Reply"}
	}
	return list
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
