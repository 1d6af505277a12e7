package template

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"herald/providers"
)

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

// header reads the header: exactly one of text, image, video, document or location.
func (p *parser) header(e entry, cols columnList) error {
	m, err := p.keys(e.val, "the header", headerKinds)
	if err != nil {
		return err
	}
	kinds := make([]string, 0, len(m))
	for _, k := range headerKinds {
		if _, ok := m[k]; ok {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		return p.fail(e.key.Line, "the header is empty",
			"give it one of text, image, video, document or location, or remove header:")
	case 1:
	default:
		return p.fail(m[kinds[1]].key.Line, fmt.Sprintf("the header has both %s and %s", kinds[0], kinds[1]),
			"a template has one header: keep the one approved at the provider")
	}
	kind := kinds[0]
	ke := m[kind]
	h := &p.t.header
	h.kind = providers.ParamKind(kind)
	p.t.HeaderKind = h.kind
	return p.part("header", cols, func(pp *partParser) error {
		switch h.kind {
		case providers.ParamText:
			return pp.value(&h.text, ke, "the header text", "the header", false)
		case providers.ParamImage, providers.ParamVideo:
			return pp.link(&h.text, ke, "the "+kind+" link")
		case providers.ParamDocument:
			dm, err := p.keys(ke.val, "the document header", documentKeys)
			if err != nil {
				return err
			}
			le, err := p.need(dm, ke, "link", "the document header")
			if err != nil {
				return err
			}
			if err := pp.link(&h.text, le, "the document link"); err != nil {
				return err
			}
			if fe, ok := dm["filename"]; ok {
				return pp.value(&h.filename, fe, "the document file name", "the document's file name", false)
			}
			return nil
		default:
			return p.location(pp, ke)
		}
	})
}

// location reads a location header: latitude and longitude, and optionally a name and an address.
func (p *parser) location(pp *partParser, ke entry) error {
	h := &p.t.header
	lm, err := p.keys(ke.val, "the location header", locationKeys)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		key   string
		dst   *field
		limit float64
	}{{"latitude", &h.latitude, 90}, {"longitude", &h.longitude, 180}} {
		ce, err := p.need(lm, ke, c.key, "the location header")
		if err != nil {
			return err
		}
		if err := pp.value(c.dst, ce, "the "+c.key, "the "+c.key, true); err != nil {
			return err
		}
		if s, static := c.dst.static(); static && !isCoordinate(s, c.limit) {
			return p.fail(c.dst.line, fmt.Sprintf("the %s %q is not a number from -%g to %g", c.key, s, c.limit, c.limit),
				"write it as a decimal number, such as 51.5074")
		}
	}
	if ne, ok := lm["name"]; ok {
		if err := pp.value(&h.locName, ne, "the location name", "the location's name", false); err != nil {
			return err
		}
	}
	if ae, ok := lm["address"]; ok {
		return pp.value(&h.address, ae, "the location address", "the location's address", false)
	}
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

// plural writes a count with its noun: "1 button", "2 buttons".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
