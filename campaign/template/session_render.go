package template

import (
	"fmt"
	"slices"

	"herald/campaign/status"
	"herald/providers"
)

// needs is what the session message asks of a provider.
func (s *sessionSpec) needs() providers.Needs {
	n := providers.SessionNeeds{Kind: s.kind, Filename: len(s.filename.segs) > 0,
		Place: len(s.name.segs) > 0 && len(s.address.segs) > 0}
	if in := s.interactive; in != nil {
		n.Interactive, n.Header, n.HeaderFilename = in.kind, in.headerKind, len(in.headerFilename.segs) > 0
	}
	return providers.Needs{Session: &n}
}

// renderSession fills the session message from the row's values: as the recipient reads it, and as the
// provider receives it.
func (b *Binding) renderSession(vals []string) (Rendered, *status.Problem) {
	s := b.t.session
	ps := &providers.Session{Kind: s.kind}
	r := Rendered{Session: s.kind, Message: providers.Message{Session: ps}}
	var prob *status.Problem
	switch s.kind {
	case providers.SessionText:
		ps.Text, prob = b.fit(&s.text, vals, "the text", maxSessionText, status.CodeBodyTooLong)
		r.Body = ps.Text
	case providers.SessionLocation:
		ps.Latitude, ps.Longitude, prob = b.fillCoordinates(&s.latitude, &s.longitude, vals)
		ps.Name, ps.Address = s.name.fill(vals), s.address.fill(vals)
		r.Header = RenderedHeader{Kind: providers.ParamLocation, Latitude: ps.Latitude, Longitude: ps.Longitude,
			Name: ps.Name, Address: ps.Address}
	case providers.SessionInteractive:
		prob = b.renderInteractive(&r, ps, vals)
	default: // image, video, document
		if ps.Link, prob = b.fillLink(&s.link, vals, "the "+string(s.kind)+" link"); prob == nil {
			ps.Filename = s.filename.fill(vals)
			ps.Caption, prob = b.fit(&s.caption, vals, "the caption", maxCaption, status.CodeBodyTooLong)
		}
		r.Header = RenderedHeader{Kind: providers.ParamKind(s.kind), Text: ps.Link, Filename: ps.Filename}
		r.Body = ps.Caption
	}
	if prob != nil {
		return Rendered{}, prob
	}
	return r, nil
}

// renderInteractive fills an interactive message's header, body, footer and buttons or list.
func (b *Binding) renderInteractive(r *Rendered, ps *providers.Session, vals []string) *status.Problem {
	s, in := b.t.session, b.t.session.interactive
	pi := &providers.Interactive{Kind: in.kind}
	ps.Interactive = pi
	var prob *status.Problem
	if ps.Text, prob = b.fit(&s.text, vals, "the body", maxInteractiveBody, status.CodeBodyTooLong); prob != nil {
		return prob
	}
	if pi.Footer, prob = b.fit(&in.footer, vals, "the footer", maxFooterRunes, status.CodeBadParameter); prob != nil {
		return prob
	}
	r.Body, r.Footer = ps.Text, pi.Footer
	if in.headerKind != "" {
		h := &providers.SessionHeader{Kind: in.headerKind}
		if in.headerKind == providers.ParamText {
			h.Text, prob = b.fit(&in.headerText, vals, "the header", maxHeaderRunes, status.CodeHeaderTooLong)
		} else {
			h.Link, prob = b.fillLink(&in.headerText, vals, "the header's "+string(in.headerKind)+" link")
			h.Filename = in.headerFilename.fill(vals)
		}
		if prob != nil {
			return prob
		}
		pi.Header = h
		r.Header = RenderedHeader{Kind: h.Kind, Text: h.Text + h.Link, Filename: h.Filename}
	}
	if in.kind == providers.InteractiveButtons {
		return b.renderButtons(r, pi, vals)
	}
	return b.renderList(r, pi, vals)
}

// renderButtons fills the reply buttons: titles and ids, each unique.
func (b *Binding) renderButtons(r *Rendered, pi *providers.Interactive, vals []string) *status.Problem {
	var titles, ids []string
	for i := range b.t.session.interactive.buttons {
		bt := &b.t.session.interactive.buttons[i]
		name := fmt.Sprintf("button %d", i+1)
		title, prob := b.fit(&bt.title, vals, "the title of "+name, maxButtonTitle, status.CodeBadParameter)
		if prob != nil {
			return prob
		}
		id, prob := b.idOf(&bt.id, title, vals, "the id of "+name, maxButtonID)
		if prob != nil {
			return prob
		}
		if slices.Contains(titles, title) || slices.Contains(ids, id) {
			return b.duplicate(name+"'s title or id", title, &bt.title, &bt.id)
		}
		titles, ids = append(titles, title), append(ids, id)
		pi.Buttons = append(pi.Buttons, providers.ReplyButton{ID: id, Title: title})
		r.Buttons = append(r.Buttons, RenderedButton{Kind: providers.ButtonQuickReply, Text: title, Payload: id})
	}
	return nil
}

// renderList fills the list: its button, its sections and their rows, the rows' ids unique.
func (b *Binding) renderList(r *Rendered, pi *providers.Interactive, vals []string) *status.Problem {
	in := b.t.session.interactive
	var prob *status.Problem
	if pi.Button, prob = b.fit(&in.listButton, vals, "the list's button", maxListButton, status.CodeBadParameter); prob != nil {
		return prob
	}
	list := &RenderedList{Button: pi.Button}
	var ids []string
	for i := range in.sections {
		sec := &in.sections[i]
		name := fmt.Sprintf("section %d", i+1)
		title, prob := b.fit(&sec.title, vals, "the title of "+name, maxSectionTitle, status.CodeBadParameter)
		if prob != nil {
			return prob
		}
		ps := providers.ListSection{Title: title}
		rs := RenderedSection{Title: title}
		for j := range sec.rows {
			row := &sec.rows[j]
			what := fmt.Sprintf("row %d of %s", j+1, name)
			rt, prob := b.fit(&row.title, vals, "the title of "+what, maxRowTitle, status.CodeBadParameter)
			if prob != nil {
				return prob
			}
			id, prob := b.idOf(&row.id, rt, vals, "the id of "+what, maxRowID)
			if prob != nil {
				return prob
			}
			desc, prob := b.fit(&row.description, vals, "the description of "+what, maxRowDescription, status.CodeBadParameter)
			if prob != nil {
				return prob
			}
			if slices.Contains(ids, id) {
				return b.duplicate("the id of "+what, id, &row.title, &row.id)
			}
			ids = append(ids, id)
			ps.Rows = append(ps.Rows, providers.ListRow{ID: id, Title: rt, Description: desc})
			rs.Rows = append(rs.Rows, RenderedRow{ID: id, Title: rt, Description: desc})
		}
		pi.Sections = append(pi.Sections, ps)
		list.Sections = append(list.Sections, rs)
	}
	r.List = list
	return nil
}

// fit fills f and refuses it, with code, when it is over limit characters once filled.
func (b *Binding) fit(f *field, vals []string, what string, limit int, code string) (string, *status.Problem) {
	v := f.fill(vals)
	if n := runesOver(v, limit); n > 0 {
		return "", &status.Problem{Code: code, Reason: fmt.Sprintf(
			"%s is %d characters once filled (WhatsApp allows at most %d): shorten the text in%s", what, n, limit,
			b.columnsOf(f))}
	}
	return v, nil
}

// idOf fills a button's or a row's id, or takes its title when the file gives none.
func (b *Binding) idOf(f *field, title string, vals []string, what string, limit int) (string, *status.Problem) {
	if len(f.segs) == 0 {
		return title, nil
	}
	return b.fit(f, vals, what, limit, status.CodeBadParameter)
}

// fillLink fills a media link and refuses one that is not an http(s) link.
func (b *Binding) fillLink(f *field, vals []string, what string) (string, *status.Problem) {
	v := f.fill(vals)
	if !isHTTPLink(v) {
		return "", b.badHeader(f, what, "does not start with http:// or https://",
			"put a full link in the cell, such as https://cdn.example.com/prices.pdf")
	}
	return v, nil
}

// fillCoordinates fills a location's latitude and longitude and refuses numbers out of range.
func (b *Binding) fillCoordinates(lat, lng *field, vals []string) (string, string, *status.Problem) {
	la, lo := lat.fill(vals), lng.fill(vals)
	if !isCoordinate(la, 90) {
		return "", "", b.badHeader(lat, "the latitude", "is not a number from -90 to 90",
			"write a decimal number in the cell, such as 51.5074")
	}
	if !isCoordinate(lo, 180) {
		return "", "", b.badHeader(lng, "the longitude", "is not a number from -180 to 180",
			"write a decimal number in the cell, such as -0.1278")
	}
	return la, lo, nil
}

// duplicate is the problem of a title or id a row's values made the same as another's.
func (b *Binding) duplicate(what, value string, fs ...*field) *status.Problem {
	cols := ""
	for _, f := range fs {
		if c := b.columnsOf(f); c != "" {
			cols = c
		}
	}
	return &status.Problem{Code: status.CodeBadParameter, Reason: fmt.Sprintf(
		"%s is %q once filled, as another's (WhatsApp wants each once): change the cell in%s", what, value, cols)}
}
