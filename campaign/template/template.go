package template

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"herald/campaign/human"
	"herald/providers"
)

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

	header  header
	body    field
	buttons []button
	// params are the template's parameters in the order the provider receives them: header, body, buttons.
	params []param
	// bodyStart and bodyEnd bound the params that belong to the body.
	bodyStart, bodyEnd int
	// dynamicButtons counts the URL buttons whose link has a variable.
	dynamicButtons int
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
	// strict is set when the value goes into a link or a coordinate, where no space may appear.
	strict bool
	// place says where the value goes, for problems: "the body", "the URL of button 1".
	place string
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
	topKeys      = []string{"name", "language", "header", "body", "footer", "buttons", "params"}
	headerKinds  = []string{"text", "image", "video", "document", "location"}
	documentKeys = []string{"link", "filename"}
	locationKeys = []string{"latitude", "longitude", "name", "address"}
	buttonKeys   = []string{"url", "text", "quick_reply"}
	paramsKeys   = []string{"header", "body", "buttons"}

	templateNameRE = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	languageRE     = regexp.MustCompile(`^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$`)
	yamlLineRE     = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// Parse parses a template file's contents; path names the file in errors. Every error is a
// *Error.
func Parse(data []byte, path string) (*Template, error) {
	p := &parser{file: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(err)
	}
	if len(doc.Content) == 0 {
		return nil, p.fail(0, "the template file is empty", "start from templates/spring_sale.yaml")
	}
	top, err := p.keys(doc.Content[0], "the template", topKeys)
	if err != nil {
		return nil, err
	}
	t := &Template{Path: path}
	if t.Name, err = p.required(top, "name", "the approved template's name at the provider"); err != nil {
		return nil, err
	}
	if !templateNameRE.MatchString(t.Name) {
		return nil, p.fail(top["name"].val.Line, fmt.Sprintf("name %q is not a WhatsApp template name", t.Name),
			"write it as the provider shows it: lower-case letters, digits and _ (spring_sale)")
	}
	if t.Language, err = p.required(top, "language", "the template's language code, such as en_US"); err != nil {
		return nil, err
	}
	if !languageRE.MatchString(t.Language) {
		return nil, p.fail(top["language"].val.Line, fmt.Sprintf("language %q is not a language code", t.Language),
			"write the code the provider shows, such as en or en_US (with _ not -)")
	}
	p.t = t
	cols, err := p.paramColumns(top)
	if err != nil {
		return nil, err
	}
	if e, ok := top["header"]; ok {
		if err := p.header(e, cols.header); err != nil {
			return nil, err
		}
	}
	body, err := p.required(top, "body", "the message text, as approved at the provider")
	if err != nil {
		return nil, err
	}
	t.bodyStart = len(t.params)
	if err := p.part("body", cols.body, func(pp *partParser) error {
		return pp.text(&t.body, body, top["body"].val, "the body", false)
	}); err != nil {
		return nil, err
	}
	t.bodyEnd = len(t.params)
	if err := p.footer(top); err != nil {
		return nil, err
	}
	if e, ok := top["buttons"]; ok {
		if err := p.buttons(e, cols.buttons); err != nil {
			return nil, err
		}
	}
	for _, b := range t.buttons {
		if b.url.hasVars() {
			t.dynamicButtons++
		}
	}
	return t, nil
}

// parser holds the state of one Parse call.
type parser struct {
	file string
	t    *Template
}

// entry is one key of a YAML mapping and its value.
type entry struct{ key, val *yaml.Node }

// fail makes the Error for a problem at line (0: no single line).
func (p *parser) fail(line int, msg, fix string) error {
	return &Error{File: p.file, Line: line, Msg: msg, Fix: fix}
}

// syntaxError turns a YAML library error into a Error with its line.
func (p *parser) syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return p.fail(line, "the file is not valid YAML ("+msg+")",
		"check the indentation (spaces, not tabs) and put quotes around texts that contain a colon or start with {{")
}

// deref follows YAML aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// keys reads a mapping node, refusing unknown and repeated keys.
func (p *parser) keys(n *yaml.Node, what string, allowed []string) (map[string]entry, error) {
	n = deref(n)
	list := strings.Join(allowed, ", ")
	if n.Kind != yaml.MappingNode {
		return nil, p.fail(n.Line, what+" must be a set of keys ("+list+")",
			"write each key on its own line, indented under its parent, as in templates/spring_sale.yaml")
	}
	out := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			return nil, p.fail(k.Line, "a key of "+what+" is not a word", "the keys are "+list)
		}
		if !slices.Contains(allowed, k.Value) {
			fix := "the keys are " + list
			if s, ok := human.Closest(k.Value, allowed); ok {
				fix = "did you mean " + s + "? The keys are " + list
			}
			return nil, p.fail(k.Line, fmt.Sprintf("%q is not a key of %s", k.Value, what), fix)
		}
		if prev, dup := out[k.Value]; dup {
			return nil, p.fail(k.Line, fmt.Sprintf("%s is written twice in %s (also on line %d)", k.Value, what,
				prev.key.Line), "keep one of them")
		}
		out[k.Value] = entry{key: k, val: n.Content[i+1]}
	}
	return out, nil
}

// scalar is the text of a key's value; "" for an empty value.
func (p *parser) scalar(e entry, what string) (string, error) {
	v := deref(e.val)
	if v.Kind != yaml.ScalarNode {
		return "", p.fail(v.Line, what+" must be a text, not a list or a set of keys",
			"write the text on the same line, after "+e.key.Value+":")
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return v.Value, nil
}

// required is the non-empty text of a mandatory top-level key.
func (p *parser) required(top map[string]entry, key, what string) (string, error) {
	e, ok := top[key]
	if !ok {
		return "", p.fail(0, "the template has no "+key, "add "+key+": followed by "+what)
	}
	s, err := p.scalar(e, key)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		return "", p.fail(e.key.Line, key+" is empty", "write "+key+": followed by "+what)
	}
	return s, nil
}

// footer reads the static footer.
func (p *parser) footer(top map[string]entry) error {
	e, ok := top["footer"]
	if !ok {
		return nil
	}
	s, err := p.scalar(e, "footer")
	if err != nil {
		return err
	}
	if strings.Contains(s, "{{") {
		return p.fail(deref(e.val).Line, "the footer has a variable",
			"WhatsApp footers are fixed text: move the variable into the body")
	}
	p.t.Footer, p.t.footerLine = strings.TrimRight(s, spaces), deref(e.val).Line
	return nil
}
