package template

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"herald/campaign/status"
	"herald/providers"
)

// FuzzParseTemplate feeds arbitrary YAML to the parser. It must never panic; every error is a *Error
// naming the file; a parsed template binds to a header of its own columns or fails with TemplateErrors; and
// rendering a row built from cells either reports a known problem or yields parameters WhatsApp accepts.
func FuzzParseTemplate(f *testing.F) {
	files, err := filepath.Glob("testdata/templates/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range append(files, sampleTemplate) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "Ann,SPRING10,,31 May")
		f.Add(data, " a\tb ,https://x.example/y,51.5,\n\n")
	}
	for _, tc := range parseErrorTests {
		f.Add([]byte(tc.src), "x")
	}
	f.Fuzz(func(t *testing.T, data []byte, cells string) {
		tpl, err := Parse(data, "fuzz.yaml")
		if err != nil {
			checkTemplateErrors(t, err)
			return
		}
		var header []string
		for _, v := range tpl.Variables() {
			if !slices.Contains(header, v.Column) {
				header = append(header, v.Column)
			}
		}
		b, err := tpl.Bind(header)
		if err != nil {
			checkTemplateErrors(t, err)
			return
		}
		parts := strings.Split(cells, ",")
		row := make([]string, len(header))
		for i := range row {
			row[i] = parts[i%len(parts)]
		}
		r, p := b.Render(row)
		if p != nil {
			known := []string{status.CodeMissingValue, status.CodeBadParameter, status.CodeBodyTooLong, status.CodeHeaderTooLong}
			if !slices.Contains(known, p.Code) || p.Reason == "" {
				t.Fatalf("unexpected problem %q: %q", p.Code, p.Reason)
			}
			return
		}
		checkRendered(t, tpl, r)
	})
}

// checkTemplateErrors fails unless err is one *Error, or several joined, each naming the fuzz file.
func checkTemplateErrors(t *testing.T, err error) {
	t.Helper()
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		var te *Error
		if !errors.As(e, &te) || te.File != "fuzz.yaml" || te.Msg == "" || te.Fix == "" {
			t.Fatalf("error is not a complete *Error: %T %v", e, e)
		}
	}
}

// checkRendered fails unless r respects WhatsApp's rules for tpl.
func checkRendered(t *testing.T, tpl *Template, r Rendered) {
	t.Helper()
	if tpl.IsSession() {
		checkSessionRendered(t, tpl, r)
		return
	}
	m := r.Message
	if m.Template != tpl.Name || m.Language != tpl.Language || m.To != "" || m.Ref != "" {
		t.Fatalf("message identity %q %q to %q ref %q", m.Template, m.Language, m.To, m.Ref)
	}
	if n := utf8.RuneCountInString(r.Body); n > maxBodyRunes {
		t.Fatalf("body of %d characters rendered", n)
	}
	if r.Header.Kind == providers.ParamText && utf8.RuneCountInString(r.Header.Text) > maxHeaderRunes {
		t.Fatalf("header of %d characters rendered", utf8.RuneCountInString(r.Header.Text))
	}
	bodyVars := 0
	for _, v := range tpl.Variables() {
		if v.Part == "body" {
			bodyVars++
		}
	}
	if len(m.Body) != bodyVars || len(r.Buttons) != len(tpl.buttons) {
		t.Fatalf("%d body parameters for %d variables, %d buttons for %d", len(m.Body), bodyVars, len(r.Buttons), len(tpl.buttons))
	}
	params := slices.Clone(m.Body)
	for _, bp := range m.Buttons {
		if len(bp.Params) != 1 || r.Buttons[bp.Index].Kind != bp.Kind ||
			(bp.Kind == providers.ButtonQuickReply && bp.Params[0].Text != r.Buttons[bp.Index].Payload) {
			t.Fatalf("button parameters %+v do not match button %+v", bp, r.Buttons)
		}
		params = append(params, bp.Params...)
	}
	if r.Header.Kind == providers.ParamText {
		params = append(params, m.Header...)
	}
	for _, p := range params {
		if cleaned, bad := cleanParam(p.Text, false); p.Text == "" || bad != paramOK || cleaned != p.Text {
			t.Fatalf("parameter %q is empty or not one WhatsApp accepts", p.Text)
		}
	}
}

// checkSessionRendered fails unless r is a session message within WhatsApp's bounds.
func checkSessionRendered(t *testing.T, tpl *Template, r Rendered) {
	t.Helper()
	m, s := r.Message, r.Message.Session
	if s == nil || m.Template != "" || len(m.Body) > 0 || s.Kind != tpl.SessionKind() || r.Session != s.Kind {
		t.Fatalf("session message %+v", m)
	}
	over := func(v string, limit int) bool { return utf8.RuneCountInString(v) > limit }
	if over(s.Text, maxSessionText) || over(s.Caption, maxCaption) {
		t.Fatalf("text of %d, caption of %d characters rendered", utf8.RuneCountInString(s.Text), utf8.RuneCountInString(s.Caption))
	}
	in := s.Interactive
	if (in == nil) != (s.Kind != providers.SessionInteractive) {
		t.Fatalf("interactive part %+v for a %s message", in, s.Kind)
	}
	if in == nil {
		return
	}
	rows := 0
	for _, sec := range in.Sections {
		rows += len(sec.Rows)
	}
	if over(s.Text, maxInteractiveBody) || over(in.Footer, maxFooterRunes) || len(in.Buttons) > maxReplyButtons ||
		rows > maxListRows || (in.Kind == providers.InteractiveButtons) == (len(in.Buttons) == 0) {
		t.Fatalf("interactive message %+v", in)
	}
	for _, b := range in.Buttons {
		if b.Title == "" || over(b.Title, maxButtonTitle) || b.ID == "" {
			t.Fatalf("button %+v", b)
		}
	}
}
