package template

import (
	"fmt"
	"herald/campaign/human"
	"herald/providers"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// buttons reads the buttons list.
func (p *parser) buttons(e entry, cols []columnList) error {
	items := deref(e.val)
	if items.Kind != yaml.SequenceNode {
		return p.fail(items.Line, "buttons must be a list",
			"start each button with - on its own line, as in templates/spring_sale.yaml")
	}
	if n := len(items.Content); n > maxButtons {
		return p.fail(items.Line, fmt.Sprintf("the template has %d buttons (WhatsApp allows at most %d)", n, maxButtons),
			"remove buttons so the file matches the approved template")
	}
	if len(cols) > len(items.Content) {
		return p.fail(cols[len(items.Content)].line, fmt.Sprintf("params.buttons has %d lists but the template has %s",
			len(cols), human.Plural(len(items.Content), "button")), "give one list per button, in the buttons' order")
	}
	urls := 0
	for i, item := range items.Content {
		name := fmt.Sprintf("button %d", i+1)
		m, err := p.keys(item, name, buttonKeys)
		if err != nil {
			return err
		}
		cl := columnList{key: fmt.Sprintf("params.buttons list %d", i+1)}
		if i < len(cols) {
			cl = cols[i]
		}
		b, line := button{}, deref(item).Line
		ue, isURL := m["url"]
		qe, isQuickReply := m["quick_reply"]
		te, hasText := m["text"]
		switch {
		case isURL && isQuickReply:
			return p.fail(line, name+" has both url and quick_reply", "a button is one or the other: make them two buttons")
		case isQuickReply && hasText:
			return p.fail(te.key.Line, name+" is a quick reply, whose label is its quick_reply text", "remove text:")
		case isQuickReply:
			b.kind = providers.ButtonQuickReply
			if b.label, err = p.label(qe, name); err != nil {
				return err
			}
			if b.optOut, err = p.optOut(m, name); err != nil {
				return err
			}
			// Without a payload, the part refuses params columns for the button.
			err = p.part(name, cl, func(pp *partParser) error { return pp.payload(&b.payload, m, name) })
		case isURL && (m["payload"].key != nil || m["opt_out"].key != nil):
			k := m["payload"].key
			if k == nil {
				k = m["opt_out"].key
			}
			return p.fail(k.Line, name+" is a link button, which takes no "+k.Value,
				"only quick_reply buttons have a payload and opt_out: remove "+k.Value+":")
		case isURL && !hasText:
			return p.fail(line, name+" has a url but no text", "add text: with the label people tap, such as Shop now")
		case isURL:
			b.kind = providers.ButtonURL
			if urls++; urls > maxURLButtons {
				return p.fail(line, fmt.Sprintf("the template has more than %d URL buttons", maxURLButtons),
					"WhatsApp allows at most 2: remove one")
			}
			if b.label, err = p.label(te, name); err != nil {
				return err
			}
			err = p.part(name, cl, func(pp *partParser) error { return pp.buttonURL(&b.url, ue, name) })
		default:
			return p.fail(line, name+" has neither url nor quick_reply",
				"write - url: https://... with text: Shop now, or - quick_reply: Stop promotions")
		}
		if err != nil {
			return err
		}
		p.t.buttons = append(p.t.buttons, b)
	}
	return nil
}

// label reads a button's fixed label.
func (p *parser) label(e entry, name string) (string, error) {
	s, err := p.scalar(e, "the label of "+name)
	if err != nil {
		return "", err
	}
	line := deref(e.val).Line
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case s == "":
		return "", p.fail(line, "the label of "+name+" is empty", "write the text people tap, such as Shop now")
	case strings.Contains(s, "{{"):
		return "", p.fail(line, "the label of "+name+" has a variable", "button labels are fixed text: remove the variable")
	case n > maxLabelRunes:
		return "", p.fail(line, fmt.Sprintf("the label of %s is %d characters (WhatsApp allows at most %d)",
			name, n, maxLabelRunes), "shorten it")
	}
	return s, nil
}

// buttonURL reads a URL button's link: a fixed http(s) URL, optionally ending with one variable.
func (pp *partParser) buttonURL(dst *field, e entry, name string) error {
	what := "the URL of " + name
	if err := pp.value(dst, e, what, what, true); err != nil {
		return err
	}
	vars, last := 0, len(dst.segs)-1
	for _, s := range dst.segs {
		if s.param >= 0 {
			vars++
		}
	}
	if vars > 1 || (vars == 1 && dst.segs[last].param < 0) {
		return pp.p.fail(dst.line, what+" must have one variable, at its end",
			"WhatsApp only fills the end of a link: write it as https://shop.example/c/{{code}}")
	}
	prefix := dst.segs[0].lit
	if vars == 0 {
		prefix, _ = dst.static()
	}
	if !isHTTPLink(prefix) {
		return pp.p.fail(dst.line, what+" does not start with an http(s) address",
			"write the fixed start of the link, such as https://shop.example/c/{{code}}")
	}
	return nil
}

// maxPayloadRunes bounds a quick reply's payload (Meta's limit on a button payload).
const maxPayloadRunes = 256

// payload reads a quick reply's optional payload: what the provider sends back when the button is tapped,
// fixed or filled from columns ({{code}}).
func (pp *partParser) payload(dst *field, m map[string]entry, name string) error {
	e, ok := m["payload"]
	if !ok {
		return nil
	}
	what := "the payload of " + name
	if err := pp.value(dst, e, what, what, false); err != nil {
		return err
	}
	if n := dst.staticRunes(); n > maxPayloadRunes {
		return pp.p.fail(dst.line, fmt.Sprintf("%s is %d characters (WhatsApp allows at most %d)", what, n,
			maxPayloadRunes), "shorten it")
	}
	return nil
}

// optOut reads a quick reply's opt_out flag: a tap on it puts the number on the opt-out list.
func (p *parser) optOut(m map[string]entry, name string) (bool, error) {
	e, ok := m["opt_out"]
	if !ok {
		return false, nil
	}
	v := deref(e.val)
	switch strings.ToLower(strings.TrimSpace(v.Value)) {
	case "true", "yes":
		return true, nil
	case "false", "no":
		return false, nil
	}
	return false, p.fail(v.Line, "opt_out of "+name+" must be true or false",
		"write opt_out: true on the button that stops promotions, or remove opt_out:")
}
