package template

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"herald/providers"
)

// interactive reads an interactive message: a body, an optional header and footer, and reply buttons or a
// list.
func (p *parser) interactive(pp *partParser, s *sessionSpec, e entry) error {
	m, err := p.keys(e.val, "the interactive message", interactiveKeys)
	if err != nil {
		return err
	}
	in := &interactiveSpec{}
	s.interactive = in
	be, err := p.need(m, e, "body", "the interactive message")
	if err != nil {
		return err
	}
	if err := p.freeText(pp, &s.text, be, "the body", maxInteractiveBody); err != nil {
		return err
	}
	if fe, ok := m["footer"]; ok {
		if err := p.freeText(pp, &in.footer, fe, "the footer", maxFooterRunes); err != nil {
			return err
		}
	}
	if he, ok := m["header"]; ok {
		if err := p.interactiveHeader(pp, in, he); err != nil {
			return err
		}
	}
	bt, hasButtons := m["buttons"]
	list, hasList := m["list"]
	switch {
	case hasButtons && hasList:
		return p.fail(list.key.Line, "the interactive message has both buttons and a list",
			"an interactive message has reply buttons or a list: keep one")
	case hasButtons:
		in.kind = providers.InteractiveButtons
		return p.replyButtons(pp, in, bt)
	case hasList:
		in.kind = providers.InteractiveList
		if in.headerKind != "" && in.headerKind != providers.ParamText {
			return p.fail(m["header"].key.Line, "a list message's header is "+string(in.headerKind),
				"WhatsApp gives a list a text header only: write header: {text: ...} or remove it")
		}
		return p.list(pp, in, list)
	}
	return p.fail(e.key.Line, "the interactive message has neither buttons nor a list",
		"add buttons: (1 to 3 reply buttons, each with a title) or list: (a button and sections of rows)")
}

// freeText reads a session message's free-form text (a body, a caption, a footer): its line breaks are kept, and
// its fixed part may not pass limit characters.
func (p *parser) freeText(pp *partParser, dst *field, e entry, what string, limit int) error {
	pp.free = true
	defer func() { pp.free = false }()
	if err := pp.value(dst, e, what, what, false); err != nil {
		return err
	}
	return p.staticLimit(dst, what, limit)
}

// interactiveHeader reads an interactive message's header: a text, or an image, video or document by link.
func (p *parser) interactiveHeader(pp *partParser, in *interactiveSpec, e entry) error {
	m, err := p.keys(e.val, "the header", interactiveHeader)
	if err != nil {
		return err
	}
	var kinds []string
	for _, k := range interactiveHeader {
		if _, ok := m[k]; ok {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		return p.fail(e.key.Line, "the header is empty", "give it one of text, image, video or document, or remove header:")
	case 1:
	default:
		return p.fail(m[kinds[1]].key.Line, fmt.Sprintf("the header has both %s and %s", kinds[0], kinds[1]), "keep one")
	}
	ke := m[kinds[0]]
	in.headerKind = providers.ParamKind(kinds[0])
	switch in.headerKind {
	case providers.ParamText:
		if err := pp.value(&in.headerText, ke, "the header text", "the header", false); err != nil {
			return err
		}
		return p.staticLimit(&in.headerText, "the header text", maxHeaderRunes)
	case providers.ParamDocument:
		dm, err := p.keys(ke.val, "the header document", documentKeys)
		if err != nil {
			return err
		}
		le, err := p.need(dm, ke, "link", "the header document")
		if err != nil {
			return err
		}
		if err := pp.link(&in.headerText, le, "the header document link"); err != nil {
			return err
		}
		if fe, ok := dm["filename"]; ok {
			return pp.value(&in.headerFilename, fe, "the header document's file name", "the header document's file name", false)
		}
		return nil
	}
	return pp.link(&in.headerText, ke, "the header "+kinds[0]+" link")
}

// replyButtons reads 1 to 3 reply buttons: a title each (unique), and an id (the title when none is given).
func (p *parser) replyButtons(pp *partParser, in *interactiveSpec, e entry) error {
	items, err := p.sequence(e, "buttons", "write - title: Yes please, one per button", maxReplyButtons)
	if err != nil {
		return err
	}
	var titles, ids []*field
	for i, item := range items {
		name := fmt.Sprintf("button %d", i+1)
		m, err := p.keys(item, name, replyButtonKeys)
		if err != nil {
			return err
		}
		te, ok := m["title"]
		if !ok {
			return p.fail(deref(item).Line, name+" has no title", "add title: with the text people tap, such as Yes please")
		}
		in.buttons = append(in.buttons, replySpec{})
		b := &in.buttons[len(in.buttons)-1]
		if err := p.limited(pp, &b.title, te, "the title of "+name, maxButtonTitle); err != nil {
			return err
		}
		id := &b.title
		if ie, ok := m["id"]; ok {
			if err := p.limited(pp, &b.id, ie, "the id of "+name, maxButtonID); err != nil {
				return err
			}
			id = &b.id
		}
		titles, ids = append(titles, &b.title), append(ids, id)
	}
	if err := p.uniqueStatic(titles, "the button title"); err != nil {
		return err
	}
	return p.uniqueStatic(ids, "the button id")
}

// list reads a list: the button that opens it, and 1 to 10 sections holding 1 to 10 rows in all.
func (p *parser) list(pp *partParser, in *interactiveSpec, e entry) error {
	m, err := p.keys(e.val, "the list", listKeys)
	if err != nil {
		return err
	}
	be, err := p.need(m, e, "button", "the list")
	if err != nil {
		return err
	}
	if err := p.limited(pp, &in.listButton, be, "the list's button", maxListButton); err != nil {
		return err
	}
	se, err := p.need(m, e, "sections", "the list")
	if err != nil {
		return err
	}
	items, err := p.sequence(se, "sections", "write - title: Shirts with rows: under it", maxSections)
	if err != nil {
		return err
	}
	var ids []*field
	rows := 0
	in.sections = make([]sectionSpec, len(items))
	for i, item := range items {
		name := fmt.Sprintf("section %d", i+1)
		sm, err := p.keys(item, name, sectionKeys)
		if err != nil {
			return err
		}
		sec := &in.sections[i]
		if te, ok := sm["title"]; ok {
			if err := p.limited(pp, &sec.title, te, "the title of "+name, maxSectionTitle); err != nil {
				return err
			}
		} else if len(items) > 1 {
			return p.fail(deref(item).Line, name+" has no title", "a list with several sections needs a title: on each")
		}
		re, ok := sm["rows"]
		if !ok {
			return p.fail(deref(item).Line, name+" has no rows", "add rows: with - title: ... for each choice")
		}
		ritems, err := p.sequence(re, "the rows of "+name, "write - title: Small, one per choice", maxListRows)
		if err != nil {
			return err
		}
		if rows += len(ritems); rows > maxListRows {
			return p.fail(deref(re.val).Line, fmt.Sprintf("the list has more than %d rows", maxListRows),
				"WhatsApp allows 10 rows in all the sections together: remove some")
		}
		sec.rows = make([]rowSpec, len(ritems))
		for j, ritem := range ritems {
			if err := p.row(pp, &sec.rows[j], ritem, fmt.Sprintf("row %d of %s", j+1, name)); err != nil {
				return err
			}
			id := &sec.rows[j].title
			if len(sec.rows[j].id.segs) > 0 {
				id = &sec.rows[j].id
			}
			ids = append(ids, id)
		}
	}
	return p.uniqueStatic(ids, "the row id")
}

// row reads one row of a list: its title, an optional id (the title when none is given) and description.
func (p *parser) row(pp *partParser, r *rowSpec, item *yaml.Node, name string) error {
	m, err := p.keys(item, name, rowKeys)
	if err != nil {
		return err
	}
	te, ok := m["title"]
	if !ok {
		return p.fail(deref(item).Line, name+" has no title", "add title: with the choice people read, such as Small")
	}
	if err := p.limited(pp, &r.title, te, "the title of "+name, maxRowTitle); err != nil {
		return err
	}
	if ie, ok := m["id"]; ok {
		if err := p.limited(pp, &r.id, ie, "the id of "+name, maxRowID); err != nil {
			return err
		}
	}
	if de, ok := m["description"]; ok {
		return p.limited(pp, &r.description, de, "the description of "+name, maxRowDescription)
	}
	return nil
}

// limited reads a one-line text of the message whose fixed part may not pass limit characters.
func (p *parser) limited(pp *partParser, dst *field, e entry, what string, limit int) error {
	if err := pp.value(dst, e, what, what, false); err != nil {
		return err
	}
	return p.staticLimit(dst, what, limit)
}
