package template

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

// parseErrorTests are templates that do not parse, with the exact error; the fuzz test starts from them too.
var parseErrorTests = []struct{ name, src, want string }{
	{"syntax unclosed quote",
		`name: spring_sale
language: en_US
body: "Hello`,
		"spring_sale.yaml line 3: the file is not valid YAML (found unexpected end of stream) - check the indentation (spaces, not tabs) and put quotes around texts that contain a colon or start with {{"},
	{"syntax tab",
		`name: spring_sale
language: en_US
header:
	text: Hi
body: Hello`,
		"spring_sale.yaml line 4: the file is not valid YAML (found character that cannot start any token) - check the indentation (spaces, not tabs) and put quotes around texts that contain a colon or start with {{"},
	{"syntax bad mapping",
		`name: spring_sale
language: en_US
body: Hello: {{a}}: b`,
		"spring_sale.yaml line 3: the file is not valid YAML (mapping values are not allowed in this context) - check the indentation (spaces, not tabs) and put quotes around texts that contain a colon or start with {{"},
	{"empty file",
		``,
		"spring_sale.yaml: the template file is empty - start from templates/spring_sale.yaml"},
	{"only comment",
		`# nothing here`,
		"spring_sale.yaml: the template file is empty - start from templates/spring_sale.yaml"},
	{"not a mapping",
		`- name
- body`,
		"spring_sale.yaml line 1: the template must be a set of keys (name, language, category, header, body, footer, buttons, params, types, example, kind) - write each key on its own line, indented under its parent, as in templates/spring_sale.yaml"},
	{"unknown category",
		`name: spring_sale
language: en_US
category: promo
body: Hello`,
		"spring_sale.yaml line 3: category \"promo\" is not a WhatsApp template category - write the category the provider approved it in: marketing, utility, authentication"},
	{"category as a list",
		`name: spring_sale
language: en_US
category: [marketing]
body: Hello`,
		"spring_sale.yaml line 3: category must be a text, not a list or a set of keys - write the text on the same line, after category:"},
	{"missing name",
		`language: en_US
body: Hello`,
		"spring_sale.yaml: the template has no name - add name: followed by the approved template's name at the provider"},
	{"missing language",
		`name: spring_sale
body: Hello`,
		"spring_sale.yaml: the template has no language - add language: followed by the template's language code, such as en_US"},
	{"missing body",
		`name: spring_sale
language: en_US`,
		"spring_sale.yaml: the template has no body - add body: followed by the message text, as approved at the provider"},
	{"empty body",
		`name: spring_sale
language: en_US
body: "  "`,
		"spring_sale.yaml line 3: body is empty - write body: followed by the message text, as approved at the provider"},
	{"null name",
		`name:
language: en_US
body: Hello`,
		"spring_sale.yaml line 1: name is empty - write name: followed by the approved template's name at the provider"},
	{"name list",
		`name: [a, b]
language: en_US
body: Hello`,
		"spring_sale.yaml line 1: name must be a text, not a list or a set of keys - write the text on the same line, after name:"},
	{"bad name",
		`name: Spring Sale
language: en_US
body: Hello`,
		"spring_sale.yaml line 1: name \"Spring Sale\" is not a WhatsApp template name - write it as the provider shows it: lower-case letters, digits and _ (spring_sale)"},
	{"bad language",
		`name: spring_sale
language: en-US
body: Hello`,
		"spring_sale.yaml line 2: language \"en-US\" is not a language code - write the code the provider shows, such as en or en_US (with _ not -)"},
	{"unknown key typo",
		`name: spring_sale
language: en_US
bodyy: Hello`,
		"spring_sale.yaml line 3: \"bodyy\" is not a key of the template - did you mean body? The keys are name, language, category, header, body, footer, buttons, params, types, example, kind"},
	{"unknown key far",
		`name: spring_sale
language: en_US
body: Hello
colour: red`,
		"spring_sale.yaml line 4: \"colour\" is not a key of the template - the keys are name, language, category, header, body, footer, buttons, params, types, example, kind"},
	{"duplicate key",
		`name: spring_sale
language: en_US
body: Hello
body: Bye`,
		"spring_sale.yaml line 4: body is written twice in the template (also on line 3) - keep one of them"},
	{"header two kinds",
		`name: spring_sale
language: en_US
header:
  text: Hi
  image: https://cdn.example.com/a.jpg
body: Hello`,
		"spring_sale.yaml line 5: the header has both text and image - a template has one header: keep the one approved at the provider"},
	{"header empty",
		`name: spring_sale
language: en_US
header: {}
body: Hello`,
		"spring_sale.yaml line 3: the header is empty - give it one of text, image, video, document or location, or remove header:"},
	{"header string",
		`name: spring_sale
language: en_US
header: Hi there
body: Hello`,
		"spring_sale.yaml line 3: the header must be a set of keys (text, image, video, document, location) - write each key on its own line, indented under its parent, as in templates/spring_sale.yaml"},
	{"header typo",
		`name: spring_sale
language: en_US
header:
  txt: Hi
body: Hello`,
		"spring_sale.yaml line 4: \"txt\" is not a key of the header - did you mean text? The keys are text, image, video, document, location"},
	{"header text empty",
		`name: spring_sale
language: en_US
header:
  text: ""
body: Hello`,
		"spring_sale.yaml line 4: the header text is empty - write it after text:, or remove text:"},
	{"unclosed one brace",
		`name: spring_sale
language: en_US
body: |
  Hello
  Dear {{first_name}, welcome`,
		"spring_sale.yaml line 5: {{first_name} is not closed - end each variable with }}, as in {{first_name}}"},
	{"unclosed no brace",
		`name: spring_sale
language: en_US
body: "Hello {{first_name and welcome"`,
		"spring_sale.yaml line 3: {{first_name and welcome is not closed - end each variable with }}, as in {{first_name}}"},
	{"unclosed nested",
		`name: spring_sale
language: en_US
body: "Hello {{first_name {{code}}"`,
		"spring_sale.yaml line 3: {{first_name is not closed - end each variable with }}, as in {{first_name}}"},
	{"empty var",
		`name: spring_sale
language: en_US
body: "Hello {{ }}"`,
		"spring_sale.yaml line 3: {{ }} is an empty variable - put a column name between the braces, as in {{first_name}}, or remove it"},
	{"no column before pipe",
		`name: spring_sale
language: en_US
body: "Hello {{|friend}}"`,
		"spring_sale.yaml line 3: {{|friend}} has no column name before | - write the column first, as in {{discount|10%}}"},
	{"empty fallback",
		`name: spring_sale
language: en_US
body: "Hello {{first_name|}}"`,
		"spring_sale.yaml line 3: {{first_name|}} has an empty fallback - write the text to use for an empty cell after |, as in {{discount|10%}}, or remove the |"},
	{"zero position",
		`name: spring_sale
language: en_US
body: "Hello {{0}}"
params: {body: [first_name]}`,
		"spring_sale.yaml line 3: {{0}} is not a valid position - number positional variables from {{1}}, without leading zeros"},
	{"leading zero position",
		`name: spring_sale
language: en_US
body: "Hello {{01}}"
params: {body: [first_name]}`,
		"spring_sale.yaml line 3: {{01}} is not a valid position - number positional variables from {{1}}, without leading zeros"},
	{"huge position",
		`name: spring_sale
language: en_US
body: "Hello {{99999999999999999999999}}"`,
		"spring_sale.yaml line 3: {{99999999999999999999999}} is not a valid position - number positional variables from {{1}}, without leading zeros"},
	{"footer variable",
		`name: spring_sale
language: en_US
body: Hello
footer: "Bye {{first_name}}"`,
		"spring_sale.yaml line 4: the footer has a variable - WhatsApp footers are fixed text: move the variable into the body"},
	{"footer list",
		`name: spring_sale
language: en_US
body: Hello
footer: [a]`,
		"spring_sale.yaml line 4: footer must be a text, not a list or a set of keys - write the text on the same line, after footer:"},
	{"url var not at end",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/{{code}}/go"
    text: Shop now`,
		"spring_sale.yaml line 5: the URL of button 1 must have one variable, at its end - WhatsApp only fills the end of a link: write it as https://shop.example/c/{{code}}"},
	{"url two vars",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/{{a}}{{b}}"
    text: Shop now`,
		"spring_sale.yaml line 5: the URL of button 1 must have one variable, at its end - WhatsApp only fills the end of a link: write it as https://shop.example/c/{{code}}"},
	{"url not http",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "shop.example/c/{{code}}"
    text: Shop now`,
		"spring_sale.yaml line 5: the URL of button 1 does not start with an http(s) address - write the fixed start of the link, such as https://shop.example/c/{{code}}"},
	{"url only var",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "{{link}}"
    text: Shop now`,
		"spring_sale.yaml line 5: the URL of button 1 does not start with an http(s) address - write the fixed start of the link, such as https://shop.example/c/{{code}}"},
	{"url static not http",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "ftp://shop.example"
    text: Shop now`,
		"spring_sale.yaml line 5: the URL of button 1 does not start with an http(s) address - write the fixed start of the link, such as https://shop.example/c/{{code}}"},
	{"url no text",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/c/{{code}}"`,
		"spring_sale.yaml line 5: button 1 has a url but no text - add text: with the label people tap, such as Shop now"},
	{"url and quick reply",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/c/{{code}}"
    quick_reply: Stop`,
		"spring_sale.yaml line 5: button 1 has both url and quick_reply - a button is one or the other: make them two buttons"},
	{"button neither",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - text: Shop now`,
		"spring_sale.yaml line 5: button 1 has neither url nor quick_reply - write - url: https://... with text: Shop now, or - quick_reply: Stop promotions"},
	{"button typo key",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_replies: Stop`,
		"spring_sale.yaml line 5: \"quick_replies\" is not a key of button 1 - did you mean quick_reply? The keys are url, text, quick_reply, payload, opt_out"},
	{"opt_out on a link button",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: https://shop.example
    text: Shop
    opt_out: true`,
		"spring_sale.yaml line 7: button 1 is a link button, which takes no opt_out - only quick_reply buttons have a payload and opt_out: remove opt_out:"},
	{"opt_out not a yes or no",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_reply: Stop
    opt_out: maybe`,
		"spring_sale.yaml line 6: opt_out of button 1 must be true or false - write opt_out: true on the button that stops promotions, or remove opt_out:"},
	{"empty payload",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_reply: Stop
    payload: ""`,
		"spring_sale.yaml line 6: the payload of button 1 is empty - write it after payload:, or remove payload:"},
	{"quick reply with text",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_reply: Stop
    text: Stop`,
		"spring_sale.yaml line 6: button 1 is a quick reply, whose label is its quick_reply text - remove text:"},
	{"quick reply variable",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_reply: "Stop {{first_name}}"`,
		"spring_sale.yaml line 5: the label of button 1 has a variable - button labels are fixed text: remove the variable"},
	{"label too long",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - quick_reply: "Stop sending me these promotions"`,
		"spring_sale.yaml line 5: the label of button 1 is 32 characters (WhatsApp allows at most 25) - shorten it"},
	{"label empty",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/"
    text: " "`,
		"spring_sale.yaml line 6: the label of button 1 is empty - write the text people tap, such as Shop now"},
	{"eleven buttons",
		`name: spring_sale
language: en_US
body: Hello
buttons: [{quick_reply: a}, {quick_reply: b}, {quick_reply: c}, {quick_reply: d}, {quick_reply: e}, {quick_reply: f}, {quick_reply: g}, {quick_reply: h}, {quick_reply: i}, {quick_reply: j}, {quick_reply: k}]`,
		"spring_sale.yaml line 4: the template has 11 buttons (WhatsApp allows at most 10) - remove buttons so the file matches the approved template"},
	{"three url buttons",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - {url: "https://a.example/", text: A}
  - {url: "https://b.example/", text: B}
  - {url: "https://c.example/", text: C}`,
		"spring_sale.yaml line 7: the template has more than 2 URL buttons - WhatsApp allows at most 2: remove one"},
	{"buttons not list",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  quick_reply: Stop`,
		"spring_sale.yaml line 5: buttons must be a list - start each button with - on its own line, as in templates/spring_sale.yaml"},
	{"mixed positional named",
		`name: spring_sale
language: en_US
body: "Hello {{1}}, use {{code}}"
params: {body: [first_name]}`,
		"spring_sale.yaml line 3: the body mixes {{1}} with {{code}} - use column names or numbers in one part, not both"},
	{"positional without params",
		`name: spring_sale
language: en_US
body: "Hello {{1}}, use {{2}}"`,
		"spring_sale.yaml line 3: {{1}} in the body has no column - list one CSV column per number under params.body, in order, such as [first_name, code]"},
	{"positional short params",
		`name: spring_sale
language: en_US
body: "Hello {{1}}, use {{2}}"
params:
  body: [first_name]`,
		"spring_sale.yaml line 3: {{2}} in the body has no column - list one CSV column per number under params.body, in order, such as [first_name, code]"},
	{"positional gap",
		`name: spring_sale
language: en_US
body: "Hello {{1}}, use {{3}}"
params:
  body: [first_name, code, expires]`,
		"spring_sale.yaml line 3: the body uses {{3}} but not {{2}} - number the variables {{1}}, {{2}}, ... without gaps"},
	{"params extra",
		`name: spring_sale
language: en_US
body: "Hello {{1}}"
params:
  body: [first_name, code]`,
		"spring_sale.yaml line 5: params.body lists 2 columns but the body only uses 1 variable - remove the extra columns"},
	{"params for named part",
		`name: spring_sale
language: en_US
body: "Hello {{first_name}}"
params:
  body: [first_name]`,
		"spring_sale.yaml line 5: params.body lists columns but the body has no {{1}} variable - remove params.body, or write {{1}} in the text where its column goes"},
	{"params buttons too many",
		`name: spring_sale
language: en_US
body: "Hello"
buttons:
  - url: "https://shop.example/c/{{1}}"
    text: Shop
params:
  buttons: [[code], [other]]`,
		"spring_sale.yaml line 8: params.buttons has 2 lists but the template has 1 button - give one list per button, in the buttons' order"},
	{"params entry braces",
		`name: spring_sale
language: en_US
body: "Hello {{1}}"
params:
  body: ["{{first_name}}"]`,
		"spring_sale.yaml line 5: params.body entry \"{{first_name}}\" is not a plain column name - write the column name alone, without braces; put a fallback in the text, as in {{1|10%}}"},
	{"params body not list",
		`name: spring_sale
language: en_US
body: "Hello {{1}}"
params:
  body: first_name`,
		"spring_sale.yaml line 5: params.body must be a list of column names - write it as [first_name, code]"},
	{"params typo",
		`name: spring_sale
language: en_US
body: "Hello {{1}}"
params:
  bdy: [first_name]`,
		"spring_sale.yaml line 5: \"bdy\" is not a key of params - did you mean body? The keys are header, body, buttons"},
	{"params quick reply",
		`name: spring_sale
language: en_US
body: "Hello"
buttons:
  - quick_reply: Stop
params:
  buttons: [[code]]`,
		"spring_sale.yaml line 7: params.buttons list 1 lists columns but button 1 has no {{1}} variable - remove params.buttons list 1, or write {{1}} in the text where its column goes"},
	{"image not http",
		`name: spring_sale
language: en_US
header:
  image: cdn.example.com/a.jpg
body: Hello`,
		"spring_sale.yaml line 4: the image link is not an http(s) link - write the full link, such as https://cdn.example.com/offer.jpg"},
	{"document no link",
		`name: spring_sale
language: en_US
header:
  document: {filename: offer.pdf}
body: Hello`,
		"spring_sale.yaml line 4: the document header has no link - add link: under document:"},
	{"location no longitude",
		`name: spring_sale
language: en_US
header:
  location: {latitude: "51.5"}
body: Hello`,
		"spring_sale.yaml line 4: the location header has no longitude - add longitude: under location:"},
	{"location bad latitude",
		`name: spring_sale
language: en_US
header:
  location: {latitude: "95", longitude: "0"}
body: Hello`,
		"spring_sale.yaml line 4: the latitude \"95\" is not a number from -90 to 90 - write it as a decimal number, such as 51.5074"},
	{"two fallbacks",
		`name: spring_sale
language: en_US
body: "Hello {{1|friend}}, yes {{1|pal}}"
params: {body: [first_name]}`,
		"spring_sale.yaml line 3: {{1}} has two different fallbacks in the body - give it the same fallback each time, or write it once"},
	{"fallback space in url",
		`name: spring_sale
language: en_US
body: Hello
buttons:
  - url: "https://shop.example/c/{{code|SPRING 10}}"
    text: Shop`,
		"spring_sale.yaml line 5: the fallback of {{code}} has a space, which the URL of button 1 cannot hold - remove the space from the fallback"},
	{"fallback blank line",
		`name: spring_sale
language: en_US
body: |
  Hello {{first_name|dear

  friend}}`,
		"spring_sale.yaml line 4: the fallback of {{first_name}} has a blank line - write the fallback as one paragraph"},
}

func TestParseTemplateErrors(t *testing.T) {
	for _, tc := range parseErrorTests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse([]byte(tc.src), "spring_sale.yaml")
			if err == nil {
				t.Fatalf("parsed %+v, want error %q", tpl, tc.want)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error is a %T, not a *Error: %v", err, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestParseCategory(t *testing.T) {
	for src, want := range map[string]string{
		"":                            "marketing",
		"category: utility\n":         "utility",
		"category: Authentication\n":  "authentication",
		"category: \" MARKETING \"\n": "marketing",
	} {
		tpl, err := Parse([]byte("name: spring_sale\nlanguage: en_US\n"+src+"body: Hello\n"), "t.yaml")
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if tpl.Category != want {
			t.Errorf("%q: category %q, want %q", src, tpl.Category, want)
		}
	}
}

func TestTemplateErrorFormat(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "t/spring_sale.yaml", Line: 7, Msg: "what", Fix: "fix"}, "t/spring_sale.yaml line 7: what - fix"},
		{Error{File: "spring_sale.yaml", Msg: "the template has no name", Fix: "add name:"}, "spring_sale.yaml: the template has no name - add name:"},
		{Error{File: "a.yaml", Line: 2, Msg: "no fix"}, "a.yaml line 2: no fix"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestLoadTemplateSample(t *testing.T) {
	tpl, err := Load("../../templates/spring_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Path != "../../templates/spring_sale.yaml" || tpl.Name != "spring_sale" || tpl.Language != "en_US" ||
		tpl.HeaderKind != "text" || tpl.Footer != "Reply STOP to opt out" {
		t.Errorf("template = %q %q %q header %q footer %q", tpl.Path, tpl.Name, tpl.Language, tpl.HeaderKind, tpl.Footer)
	}
	// The lines are those of the sample file: the header text, then the two lines of the body block, then the
	// URL button.
	want := []Variable{
		{Ref: "first_name", Column: "first_name", Part: "header", Line: 19},
		{Ref: "first_name", Column: "first_name", Part: "body", Line: 24},
		{Ref: "code", Column: "code", Part: "body", Line: 25},
		{Ref: "discount", Column: "discount", Fallback: "10%", HasFallback: true, Part: "body", Line: 25},
		{Ref: "expires", Column: "expires", Part: "body", Line: 25},
		{Ref: "code", Column: "code", Part: "button 1", Line: 33},
	}
	if got := tpl.Variables(); !reflect.DeepEqual(got, want) {
		t.Errorf("Variables()\n got %+v\nwant %+v", got, want)
	}
}

func TestLoadTemplateMissingFile(t *testing.T) {
	_, err := Load("testdata/templates/no_such.yaml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %v does not wrap fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), "testdata/templates/no_such.yaml") || !strings.Contains(err.Error(), "--template") {
		t.Errorf("error %q does not name the file and the flag", err)
	}
}

func TestVariables(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Variable
	}{
		{"spaces inside braces and around the fallback", `name: spring_sale
language: en_US
body: "Hi {{ first_name | there }} and {{ Last Name }}"`,
			[]Variable{
				{Ref: "first_name", Column: "first_name", Fallback: "there", HasFallback: true, Part: "body", Line: 3},
				{Ref: "Last Name", Column: "Last Name", Part: "body", Line: 3},
			}},
		{"positional: one per number, lines of the params entries", `name: order_update
language: en
body: "{{2}} for {{1}}, {{1|friend}}"
params:
  body:
    - name
    - order`,
			[]Variable{
				{Ref: "1", Column: "name", Fallback: "friend", HasFallback: true, Part: "body", Line: 6},
				{Ref: "2", Column: "order", Part: "body", Line: 7},
			}},
		{"header, body and buttons in order; a literal block counts its lines", `name: spring_sale
language: en_US
buttons:
  - quick_reply: Stop
  - url: "https://shop.example/{{code}}"
    text: Shop
body: |
  Hello {{first_name}},

  use {{code}}.
header:
  image: "{{banner}}"`,
			[]Variable{
				{Ref: "banner", Column: "banner", Part: "header", Line: 12},
				{Ref: "first_name", Column: "first_name", Part: "body", Line: 8},
				{Ref: "code", Column: "code", Part: "body", Line: 10},
				{Ref: "code", Column: "code", Part: "button 2", Line: 5},
			}},
		{"a fallback is cleaned like a cell", "name: a\nlanguage: en\nbody: \"{{x|a\tb      c}}\"",
			[]Variable{{Ref: "x", Column: "x", Fallback: "a b c", HasFallback: true, Part: "body", Line: 3}}},
		{"YAML aliases are followed", `name: &n spring_sale
language: en_US
body: *n`, []Variable{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse([]byte(tc.src), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if got := tpl.Variables(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Variables()\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestBindErrors(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // two bytes each: limits count characters
	tests := []struct {
		name, src string
		header    []string
		want      string
	}{
		{"unknown column suggests the closest", "name: a\nlanguage: en\nbody: \"Hello {{first_nme}}\"", []string{"phone", "first_name"},
			"spring_sale.yaml line 3: the CSV has no column first_nme, used by {{first_nme}} in the body - did you mean first_name?"},
		{"a swapped pair of letters is one typo", "name: a\nlanguage: en\nbody: \"Hello {{1}}\"\nparams:\n  body: [frist]", []string{"phone", "first"},
			"spring_sale.yaml line 5: the CSV has no column frist, used by {{1}} in the body - did you mean first?"},
		{"unknown column lists the columns", "name: a\nlanguage: en\nbody: \"Hello {{surname}}\"", []string{"phone", "first_name", "code"},
			"spring_sale.yaml line 3: the CSV has no column surname, used by {{surname}} in the body - use one of the CSV's columns (phone, first_name, code) or add the column to the CSV"},
		{"a long column list is cut", "name: a\nlanguage: en\nbody: \"Hello {{zzz}}\"", strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m,n", ","),
			"spring_sale.yaml line 3: the CSV has no column zzz, used by {{zzz}} in the body - use one of the CSV's columns (a, b, c, d, e, f, g, h, i, j, k, l, ...) or add the column to the CSV"},
		{"unknown column of a button", "name: a\nlanguage: en\nbody: Hi\nbuttons:\n  - url: \"https://x.example/{{cod}}\"\n    text: Go", []string{"code"},
			"spring_sale.yaml line 5: the CSV has no column cod, used by {{cod}} in button 1 - did you mean code?"},
		{"two columns match ignoring case", "name: a\nlanguage: en\nbody: \"Hello {{name}}\"", []string{"Name", "NAME"},
			"spring_sale.yaml line 3: the CSV has both Name and NAME, which match name apart from upper and lower case - rename one of the CSV columns, or write the variable exactly as its column"},
		{"static header text over 60", "name: a\nlanguage: en\nheader:\n  text: \"" + long(61) + "\"\nbody: Hi", nil,
			"spring_sale.yaml line 4: the header text is 61 characters before filling (WhatsApp allows at most 60) - shorten it"},
		{"header text over 60 besides its variable", "name: a\nlanguage: en\nheader:\n  text: \"" + long(61) + "{{x}}\"\nbody: Hi", []string{"x"},
			"spring_sale.yaml line 4: the header text is 61 characters before filling (WhatsApp allows at most 60) - shorten it"},
		{"header with two variables", "name: a\nlanguage: en\nheader:\n  text: \"{{x}} {{y}}\"\nbody: Hi", []string{"x", "y"},
			"spring_sale.yaml line 4: the header text has 2 variables (WhatsApp allows 1) - keep one and move the others into the body"},
		{"footer over 60", "name: a\nlanguage: en\nbody: Hi\nfooter: \"" + long(61) + "\"", nil,
			"spring_sale.yaml line 4: the footer is 61 characters (WhatsApp allows at most 60) - shorten it"},
		{"static body over 1024", "name: a\nlanguage: en\nbody: \"" + long(1025) + "\"", nil,
			"spring_sale.yaml line 3: the body is 1025 characters before filling (WhatsApp allows at most 1024) - shorten it"},
		{"more than 20 body variables", "name: a\nlanguage: en\nbody: \"" + strings.Repeat("{{x}} ", 21) + "\"", []string{"x"},
			"spring_sale.yaml line 3: the body has 21 variables (WhatsApp allows at most 20) - write some of them as fixed text"},
		{"every problem at once", "name: a\nlanguage: en\nbody: \"{{a}} {{b}}\"\nfooter: \"" + long(61) + "\"", []string{"a"},
			"spring_sale.yaml line 3: the CSV has no column b, used by {{b}} in the body - use one of the CSV's columns (a) or add the column to the CSV\n" +
				"spring_sale.yaml line 4: the footer is 61 characters (WhatsApp allows at most 60) - shorten it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse([]byte(tc.src), "spring_sale.yaml")
			if err != nil {
				t.Fatal(err)
			}
			b, err := tpl.Bind(tc.header)
			if err == nil {
				t.Fatalf("bound %+v, want error %q", b, tc.want)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error is a %T, not a *Error: %v", err, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestBindLimitsAreInclusive(t *testing.T) {
	src := "name: a\nlanguage: en\nheader:\n  text: \"" + strings.Repeat("h", 60) + "\"\nbody: \"" +
		strings.Repeat("{{x}}", 20) + strings.Repeat("b", 1024) + "\"\nfooter: \"" + strings.Repeat("f", 60) + "\""
	tpl, err := Parse([]byte(src), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Bind([]string{"x"}); err != nil {
		t.Errorf("a template exactly at WhatsApp's limits does not bind: %v", err)
	}
}

func TestBindMatchesColumns(t *testing.T) {
	tpl, err := Load("../../templates/spring_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// An exact match wins over a case-insensitive one; header cells are trimmed.
	header := []string{"Phone", "EXPIRES", " Code ", "first_name", "First_Name", "Discount"}
	b, err := tpl.Bind(header)
	if err != nil {
		t.Fatal(err)
	}
	wantColumns := []string{"first_name", "Code", "Discount", "EXPIRES"}
	if got := b.Columns(); !reflect.DeepEqual(got, wantColumns) {
		t.Errorf("Columns() = %q, want %q", got, wantColumns)
	}
	r, p := b.Render([]string{"447911123456", "31 May", "SPRING", "Ann", "Wrong", ""})
	if p != nil {
		t.Fatal(p)
	}
	want := "Hello Ann, our spring sale is on!\nUse code SPRING for 10% off everything until 31 May."
	if r.Body != want {
		t.Errorf("Body = %q, want %q", r.Body, want)
	}
}
