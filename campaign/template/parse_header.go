package template

import (
	"fmt"

	"herald/providers"
)

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
