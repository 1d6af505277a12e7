package template

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"herald/providers"
)

// Categories are WhatsApp's template categories, which it prices separately; the first is the default.
var Categories = []string{"marketing", "utility", "authentication"}

// Meta's bounds on a template, which every provider enforces.
const (
	maxHeaderRunes = 60
	maxFooterRunes = 60
	maxBodyRunes   = 1024
	maxBodyVars    = 20
	maxButtons     = 10
	maxURLButtons  = 2
	maxLabelRunes  = 25
)

// Template is a parsed template file: the approved WhatsApp template's name and language, and how to fill its
// header, body and buttons from the cells of a CSV row. It never changes once parsed; Bind checks it against a
// CSV header and returns the Binding that renders rows.
type Template struct {
	// Path is the file the template came from, as given; errors name it.
	Path string
	// Name and Language identify the approved template at the provider (spring_sale, en_US).
	Name     string
	Language string
	// HeaderKind is text, image, video, document or location; "" when the template has no header.
	HeaderKind providers.ParamKind
	// Footer is the fixed text under the body, "" when there is none.
	Footer string
	// Category is the template's WhatsApp category, one of Categories (default marketing): it picks the price
	// of the cost estimate and the category a template created at the provider gets. A session message has
	// none.
	Category string
	// Kind is KindTemplate, or KindSession for a session message (kind: session): a free-form message, no
	// template at the provider, sent only to people who wrote in the last 24 hours.
	Kind string

	// session is a session message's content; nil for a template.
	session *sessionSpec

	// examples are the sample values of example:, by the column they stand for; exampleLine is where it is.
	examples    map[string]string
	exampleLine int

	header  header
	body    field
	buttons []button
	// params are the template's parameters in the order the provider receives them: header, body, buttons.
	params []param
	// bodyStart and bodyEnd bound the params that belong to the body.
	bodyStart, bodyEnd int
	// dynamicButtons counts the buttons that take a parameter: URL buttons whose link has a variable, quick
	// replies with a payload; currencies the currency parameters.
	dynamicButtons int
	currencies     int
	footerLine     int
}

// Variable is one parameter of the template and the CSV column that fills it.
type Variable struct {
	// Ref is what is written between the braces before any fallback: a column name ("first_name") or a
	// position ("1").
	Ref string
	// Column is the CSV column that fills it: Ref itself, or for a position the column listed under params.
	Column string
	// Fallback is used when the cell is empty, if HasFallback.
	Fallback    string
	HasFallback bool
	// Part is where the variable sits: "header", "body", "button 1" (buttons count from 1).
	Part string
	// Line is the template file line where the column name is written (for a position, its params entry).
	Line int
}

// Variables returns the template's parameters in the order the provider receives them: header, body, then
// buttons; within a part, each {{column}} as written, or {{1}}..{{n}} by number.
func (t *Template) Variables() []Variable {
	vs := make([]Variable, len(t.params))
	for i, p := range t.params {
		vs[i] = p.Variable
	}
	return vs
}

// param is a Variable with what rendering needs to clean and report its value.
type param struct {
	Variable
	// strict is set when the value goes into a link or a coordinate, where no space may appear; free when it
	// goes into a session message's text, caption, body or footer, where line breaks are kept.
	strict, free bool
	// place says where the value goes, for problems: "the body", "the URL of button 1".
	place string
	// kind is a body parameter's type from `types:` (currency, date_time; "" or text for text); money is how a
	// currency parameter's amounts are written.
	kind  providers.ParamKind
	money money
}

// header is the parsed header; which fields are used depends on kind.
type header struct {
	kind providers.ParamKind
	// text is a text header's text, or the link of an image, video or document.
	text                                  field
	filename                              field
	latitude, longitude, locName, address field
}

// button is one template button.
type button struct {
	kind  providers.ButtonKind
	label string
	// url is a URL button's link; its variable, if any, is its last segment.
	url field
	// payload is a quick reply's payload (empty when it has none); optOut marks the quick reply that opts out.
	payload field
	optOut  bool
}

// OptOutButton is a quick reply the template marks opt_out: true. Payload is its fixed payload, "" when it
// has none or it is filled per row.
type OptOutButton struct {
	Label, Payload string
}

// OptOutButtons lists the quick replies the template marks opt_out: true.
func (t *Template) OptOutButtons() []OptOutButton {
	var out []OptOutButton
	for _, b := range t.buttons {
		if b.optOut {
			payload, _ := b.payload.static()
			out = append(out, OptOutButton{Label: b.label, Payload: payload})
		}
	}
	return out
}

// Error is a problem with the template file: where it is and how to fix it.
type Error struct {
	// File is the template's path; Line its line, 0 when the problem has no single line (a missing key).
	File string
	Line int
	// Msg says what is wrong; Fix how to fix it.
	Msg string
	Fix string
}

// Error formats the problem as "spring_sale.yaml line 7: <what> - <fix>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(" line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString(" - ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Load reads and parses the template file at path.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the template file (check the --template path): %w", err)
	}
	return Parse(data, path)
}

// The keys each part of a template file accepts, and the shapes of names and codes.
var (
	topKeys        = []string{"name", "language", "category", "header", "body", "footer", "buttons", "params", "types", "example", "kind"}
	sessionTopKeys = []string{"name", "kind", "text", "image", "document", "video", "location", "interactive"}
	headerKinds    = []string{"text", "image", "video", "document", "location"}
	documentKeys   = []string{"link", "filename"}
	locationKeys   = []string{"latitude", "longitude", "name", "address"}
	buttonKeys     = []string{"url", "text", "quick_reply", "payload", "opt_out"}
	paramsKeys     = []string{"header", "body", "buttons"}

	templateNameRE = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	languageRE     = regexp.MustCompile(`^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$`)
	yamlLineRE     = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)
