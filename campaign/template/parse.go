package template

import (
	"fmt"
	"herald/campaign/human"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
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
	kind, err := p.kind(doc.Content[0])
	if err != nil {
		return nil, err
	}
	allowed, what := topKeys, "the template"
	if kind == KindSession {
		allowed, what = sessionTopKeys, "the session message"
	}
	if err := p.otherKindKeys(doc.Content[0], kind); err != nil {
		return nil, err
	}
	top, err := p.keys(doc.Content[0], what, allowed)
	if err != nil {
		return nil, err
	}
	t := &Template{Path: path, Kind: KindTemplate}
	if kind == KindSession {
		if t.Name, err = p.required(top, "name", "a name for the message, such as price_list (it names the campaign)"); err != nil {
			return nil, err
		}
		if !templateNameRE.MatchString(t.Name) {
			return nil, p.fail(top["name"].val.Line, fmt.Sprintf("name %q is not a message name", t.Name),
				"write it with lower-case letters, digits and _ (price_list)")
		}
		p.t = t
		return p.session(top)
	}
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
	if t.Category, err = p.category(top); err != nil {
		return nil, err
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
	if e, ok := top["types"]; ok {
		if err := p.types(e); err != nil {
			return nil, err
		}
	}
	if err := p.footer(top); err != nil {
		return nil, err
	}
	if e, ok := top["buttons"]; ok {
		if err := p.buttons(e, cols.buttons); err != nil {
			return nil, err
		}
	}
	for _, b := range t.buttons {
		if b.url.hasVars() || len(b.payload.segs) > 0 {
			t.dynamicButtons++
		}
	}
	if err := p.examples(top); err != nil {
		return nil, err
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

// category reads the optional category: marketing (the default), utility or authentication, in any case.
func (p *parser) category(top map[string]entry) (string, error) {
	e, ok := top["category"]
	if !ok {
		return Categories[0], nil
	}
	s, err := p.scalar(e, "category")
	if err != nil {
		return "", err
	}
	c := strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(Categories, c) {
		return "", p.fail(deref(e.val).Line, fmt.Sprintf("category %q is not a WhatsApp template category", s),
			"write the category the provider approved it in: "+strings.Join(Categories, ", "))
	}
	return c, nil
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

// need returns a mandatory key of a nested mapping.
func (p *parser) need(m map[string]entry, parent entry, key, what string) (entry, error) {
	e, ok := m[key]
	if !ok {
		return e, p.fail(parent.key.Line, what+" has no "+key, "add "+key+": under "+parent.key.Value+":")
	}
	return e, nil
}

// columnList is a params list: the columns that fill a part's positional variables {{1}}..{{n}}, in order.
type columnList struct {
	// key names the list in errors: "params.body".
	key   string
	names []string
	lines []int
	// line is where the list is written, 0 when it is absent.
	line int
}

// paramColumns holds the params key of the template.
type paramColumns struct {
	header, body columnList
	buttons      []columnList
}

// paramColumns reads the params key; absent lists come back empty, named for errors.
func (p *parser) paramColumns(top map[string]entry) (paramColumns, error) {
	pc := paramColumns{header: columnList{key: "params.header"}, body: columnList{key: "params.body"}}
	e, ok := top["params"]
	if !ok {
		return pc, nil
	}
	m, err := p.keys(e.val, "params", paramsKeys)
	if err != nil {
		return pc, err
	}
	if e, ok := m["header"]; ok {
		if pc.header, err = p.columnList(e.val, "params.header"); err != nil {
			return pc, err
		}
	}
	if e, ok := m["body"]; ok {
		if pc.body, err = p.columnList(e.val, "params.body"); err != nil {
			return pc, err
		}
	}
	if e, ok := m["buttons"]; ok {
		lists := deref(e.val)
		if lists.Kind != yaml.SequenceNode {
			return pc, p.fail(lists.Line, "params.buttons must be a list with one list of columns per button",
				"write it as buttons: [[code]], one [...] per button in order, [] for a button without variables")
		}
		for i, n := range lists.Content {
			cl, err := p.columnList(n, fmt.Sprintf("params.buttons list %d", i+1))
			if err != nil {
				return pc, err
			}
			pc.buttons = append(pc.buttons, cl)
		}
	}
	return pc, nil
}

// columnList reads one list of column names.
func (p *parser) columnList(n *yaml.Node, key string) (columnList, error) {
	n = deref(n)
	cl := columnList{key: key, line: n.Line}
	if n.Kind != yaml.SequenceNode {
		return cl, p.fail(n.Line, key+" must be a list of column names", "write it as [first_name, code]")
	}
	for _, c := range n.Content {
		c = deref(c)
		name := strings.TrimSpace(c.Value)
		switch {
		case c.Kind != yaml.ScalarNode || name == "":
			return cl, p.fail(c.Line, key+" has an entry that is not a column name",
				"write one CSV column name per entry, as in [first_name, code]")
		case strings.ContainsAny(name, "{}|"):
			return cl, p.fail(c.Line, fmt.Sprintf("%s entry %q is not a plain column name", key, name),
				"write the column name alone, without braces; put a fallback in the text, as in {{1|10%}}")
		}
		cl.names = append(cl.names, name)
		cl.lines = append(cl.lines, c.Line)
	}
	return cl, nil
}
