package template

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"herald/providers"
)

// The kinds of template file.
const (
	// KindTemplate is an approved WhatsApp template (the default).
	KindTemplate = "template"
	// KindSession is a session message: free-form, sent only inside the 24 hours after the person last wrote.
	KindSession = "session"
)

// WhatsApp's bounds on session messages (Meta's Cloud API reference; every provider forwards to it).
const (
	maxSessionText     = 4096
	maxCaption         = 1024
	maxInteractiveBody = 1024
	maxReplyButtons    = 3
	maxButtonTitle     = 20
	maxButtonID        = 256
	maxListButton      = 20
	maxSections        = 10
	maxListRows        = 10
	maxSectionTitle    = 24
	maxRowTitle        = 24
	maxRowID           = 200
	maxRowDescription  = 72
)

// The keys of a session file and of its parts.
var (
	sessionKinds      = []string{"text", "image", "document", "video", "location", "interactive"}
	templateOnlyKeys  = []string{"language", "category", "header", "body", "footer", "buttons", "params", "types", "example"}
	mediaKeys         = []string{"link", "caption"}
	sessionDocKeys    = []string{"link", "filename", "caption"}
	interactiveKeys   = []string{"header", "body", "footer", "buttons", "list"}
	replyButtonKeys   = []string{"title", "id"}
	listKeys          = []string{"button", "sections"}
	sectionKeys       = []string{"title", "rows"}
	rowKeys           = []string{"title", "id", "description"}
	interactiveHeader = []string{"text", "image", "video", "document"}
)

// sessionSpec is a session message's content; which fields are used depends on kind. Each field is a text with
// {{column}} variables, filled per row.
type sessionSpec struct {
	kind providers.SessionKind
	// text is a text message's text, or an interactive message's body.
	text field
	// link, caption and filename are an image's, a video's or a document's.
	link, caption, filename field
	// latitude, longitude, name and address are a location's.
	latitude, longitude, name, address field
	// interactive holds an interactive message's other parts; nil for the other kinds.
	interactive *interactiveSpec
}

// interactiveSpec is an interactive message's header, footer and reply buttons or list.
type interactiveSpec struct {
	kind providers.InteractiveKind
	// headerKind is text, image, video or document ("" for no header): headerText is a text header's text or
	// a media header's link; headerFilename a document header's file name.
	headerKind                 providers.ParamKind
	headerText, headerFilename field
	footer                     field
	buttons                    []replySpec
	// listButton is the label of the button that opens the list; sections the list.
	listButton field
	sections   []sectionSpec
}

// replySpec is one reply button: its title and the id reported back when it is tapped (the title when the file
// gives none).
type replySpec struct{ title, id field }

// sectionSpec is one section of a list, and rowSpec one of its rows (id: the title when the file gives none).
type sectionSpec struct {
	title field
	rows  []rowSpec
}

type rowSpec struct{ title, id, description field }

// IsSession reports whether the file is a session message (kind: session).
func (t *Template) IsSession() bool { return t.session != nil }

// SessionKind is a session message's kind (text, image, ...); "" for a template.
func (t *Template) SessionKind() providers.SessionKind {
	if t.session == nil {
		return ""
	}
	return t.session.kind
}

// kind reads kind: from the file's top mapping, before its other keys: template (the default) or session.
func (p *parser) kind(root *yaml.Node) (string, error) {
	e, ok := rawKey(root, "kind")
	if !ok {
		return KindTemplate, nil
	}
	s, err := p.scalar(e, "kind")
	if err != nil {
		return "", err
	}
	switch k := strings.ToLower(strings.TrimSpace(s)); k {
	case KindTemplate, KindSession:
		return k, nil
	}
	return "", p.fail(deref(e.val).Line, fmt.Sprintf("kind %q is not a kind of message", s),
		"write kind: session for a free-form follow-up message, or leave kind: out for an approved template")
}

// otherKindKeys refuses, with the fix, a key of the other kind of file: a session message's content in a
// template, a template's part in a session message.
func (p *parser) otherKindKeys(root *yaml.Node, kind string) error {
	if kind == KindSession {
		for _, k := range templateOnlyKeys {
			if e, ok := rawKey(root, k); ok {
				return p.fail(e.key.Line, k+": belongs to a template, and this file is a session message (kind: session)",
					"remove "+k+": (a session message's parts are "+strings.Join(sessionKinds, ", ")+"), or remove kind: session")
			}
		}
		return nil
	}
	for _, k := range sessionKinds {
		if e, ok := rawKey(root, k); ok {
			return p.fail(e.key.Line, k+": is a session message's part, and this file is a template",
				"add kind: session to send it as a session message (only to people who wrote in the last 24 hours), "+
					"or write the approved template's body:")
		}
	}
	return nil
}

// rawKey finds a key of a mapping node before the mapping is read; false for another node.
func rawKey(n *yaml.Node, key string) (entry, bool) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return entry{}, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return entry{key: k, val: n.Content[i+1]}, true
		}
	}
	return entry{}, false
}

// session reads a session file: its name and exactly one of text, image, document, video, location or
// interactive.
func (p *parser) session(top map[string]entry) (*Template, error) {
	t := p.t
	t.Kind, t.Category = KindSession, ""
	var kinds []string
	for _, k := range sessionKinds {
		if _, ok := top[k]; ok {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		return nil, p.fail(0, "the session message has no content",
			"add one of "+strings.Join(sessionKinds, ", ")+" (see README.md, Session messages)")
	case 1:
	default:
		return nil, p.fail(top[kinds[1]].key.Line, fmt.Sprintf("the session message has both %s and %s", kinds[0], kinds[1]),
			"a session message is one of them: send the other in a second campaign")
	}
	s := &sessionSpec{kind: providers.SessionKind(kinds[0])}
	t.session = s
	e := top[kinds[0]]
	err := p.part(kinds[0]+" message", columnList{}, func(pp *partParser) error {
		switch s.kind {
		case providers.SessionText:
			pp.free = true
			if err := pp.value(&s.text, e, "the text", "the text", false); err != nil {
				return err
			}
			return p.staticLimit(&s.text, "the text", maxSessionText)
		case providers.SessionLocation:
			return p.sessionLocation(pp, s, e)
		case providers.SessionInteractive:
			return p.interactive(pp, s, e)
		}
		return p.sessionMedia(pp, s, e)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// sessionMedia reads an image, a video or a document: its link, a caption, and a document's file name.
func (p *parser) sessionMedia(pp *partParser, s *sessionSpec, e entry) error {
	kind := string(s.kind)
	allowed := mediaKeys
	if s.kind == providers.SessionDocument {
		allowed = sessionDocKeys
	}
	m, err := p.keys(e.val, "the "+kind, allowed)
	if err != nil {
		return err
	}
	le, err := p.need(m, e, "link", "the "+kind)
	if err != nil {
		return err
	}
	if err := pp.link(&s.link, le, "the "+kind+" link"); err != nil {
		return err
	}
	if fe, ok := m["filename"]; ok {
		if err := pp.value(&s.filename, fe, "the document's file name", "the document's file name", false); err != nil {
			return err
		}
	}
	if ce, ok := m["caption"]; ok {
		pp.free = true
		defer func() { pp.free = false }()
		if err := pp.value(&s.caption, ce, "the caption", "the caption", false); err != nil {
			return err
		}
		return p.staticLimit(&s.caption, "the caption", maxCaption)
	}
	return nil
}

// sessionLocation reads a location: latitude and longitude, and optionally a name and an address.
func (p *parser) sessionLocation(pp *partParser, s *sessionSpec, e entry) error {
	m, err := p.keys(e.val, "the location", locationKeys)
	if err != nil {
		return err
	}
	if err := p.coordinates(pp, m, e, &s.latitude, &s.longitude); err != nil {
		return err
	}
	if ne, ok := m["name"]; ok {
		if err := pp.value(&s.name, ne, "the location name", "the location's name", false); err != nil {
			return err
		}
	}
	if ae, ok := m["address"]; ok {
		return pp.value(&s.address, ae, "the location address", "the location's address", false)
	}
	return nil
}

// coordinates reads a location's latitude and longitude: numbers in range, or variables.
func (p *parser) coordinates(pp *partParser, m map[string]entry, parent entry, lat, lng *field) error {
	for _, c := range []struct {
		key   string
		dst   *field
		limit float64
	}{{"latitude", lat, 90}, {"longitude", lng, 180}} {
		ce, err := p.need(m, parent, c.key, "the location")
		if err != nil {
			return err
		}
		if err := pp.value(c.dst, ce, "the "+c.key, "the "+c.key, true); err != nil {
			return err
		}
		if v, static := c.dst.static(); static && !isCoordinate(v, c.limit) {
			return p.fail(c.dst.line, fmt.Sprintf("the %s %q is not a number from -%g to %g", c.key, v, c.limit, c.limit),
				"write it as a decimal number, such as 51.5074")
		}
	}
	return nil
}

// staticLimit refuses a text whose fixed part alone is over limit characters.
func (p *parser) staticLimit(f *field, what string, limit int) error {
	if n := f.staticRunes(); n > limit {
		return p.fail(f.line, fmt.Sprintf("%s is %d characters before filling (WhatsApp allows at most %d)", what, n, limit),
			"shorten it")
	}
	return nil
}

// sequence returns the items of a list key, refusing anything else and more than limit items.
func (p *parser) sequence(e entry, what, fix string, limit int) ([]*yaml.Node, error) {
	n := deref(e.val)
	switch {
	case n.Kind != yaml.SequenceNode || len(n.Content) == 0:
		return nil, p.fail(e.key.Line, what+" must be a list of at least one item", fix)
	case len(n.Content) > limit:
		return nil, p.fail(e.key.Line, fmt.Sprintf("%s has %d items (WhatsApp allows at most %d)", what, len(n.Content), limit),
			"remove some")
	}
	return n.Content, nil
}

// uniqueStatic refuses two fixed texts that are the same, where WhatsApp wants each once.
func (p *parser) uniqueStatic(fields []*field, what string) error {
	var seen []string
	for _, f := range fields {
		v, static := f.static()
		if !static {
			continue
		}
		if slices.Contains(seen, v) {
			return p.fail(f.line, fmt.Sprintf("%s %q is written twice", what, v), "WhatsApp wants each once: change one")
		}
		seen = append(seen, v)
	}
	return nil
}
