package template

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"herald/campaign/status"
	"herald/providers"
)

// stackParams is how many parameter values Render keeps on the stack; templates with more allocate.
const stackParams = 32

// Render fills the template from one CSV row (fields has one cell per header column). It returns the message
// as the recipient reads it and as the provider receives it, or the Problem that stops this row from being
// sent.
func (b *Binding) Render(fields []string) (Rendered, *status.Problem) {
	if len(fields) != b.width {
		return Rendered{}, &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf(
			"the row has %d cells but the header has %d columns: give the row one cell per column", len(fields), b.width)}
	}
	t := b.t
	var stack [stackParams]string
	vals := stack[:0]
	if len(t.params) > stackParams {
		vals = make([]string, 0, len(t.params))
	}
	for i := range t.params {
		v, prob := b.value(i, fields)
		if prob != nil {
			return Rendered{}, prob
		}
		vals = append(vals, v)
	}
	if t.session != nil {
		return b.renderSession(vals)
	}
	amounts, prob := b.amounts(vals)
	if prob != nil {
		return Rendered{}, prob
	}

	r := Rendered{Body: t.body.fill(vals), Footer: t.Footer}
	if n := runesOver(r.Body, maxBodyRunes); n > 0 {
		return Rendered{}, &status.Problem{Code: status.CodeBodyTooLong, Reason: fmt.Sprintf(
			"the body is %d characters once filled (WhatsApp allows at most %d): shorten the text in%s",
			n, maxBodyRunes, b.columnsOf(&t.body))}
	}
	msg := &r.Message
	msg.Template, msg.Language = t.Name, t.Language

	// All the parameters share one array: the header's (at most one), the body's, then one per dynamic button.
	ps := make([]providers.Param, 1+t.bodyEnd-t.bodyStart+t.dynamicButtons+b.labelPayloads)
	hp, prob := b.header(&r.Header, vals)
	if prob != nil {
		return Rendered{}, prob
	}
	next := 0
	if hp.Kind != "" {
		ps[0] = hp
		msg.Header = ps[0:1:1]
		next = 1
	}
	if n := t.bodyEnd - t.bodyStart; n > 0 {
		for i, v := range vals[t.bodyStart:t.bodyEnd] {
			ps[next+i] = providers.Param{Kind: providers.ParamText, Text: v}
			switch pr := &t.params[t.bodyStart+i]; pr.kind {
			case providers.ParamCurrency:
				ps[next+i].Kind, ps[next+i].CurrencyCode, ps[next+i].Amount1000 = pr.kind, pr.money.code, amounts[i]
			case providers.ParamDateTime:
				ps[next+i].Kind = pr.kind
			}
		}
		msg.Body = ps[next : next+n : next+n]
		next += n
	}
	if len(t.buttons) > 0 {
		r.Buttons = make([]RenderedButton, len(t.buttons))
	}
	if n := t.dynamicButtons + b.labelPayloads; n > 0 {
		msg.Buttons = make([]providers.ButtonParams, 0, n)
	}
	for i := range t.buttons {
		bt := &t.buttons[i]
		r.Buttons[i] = RenderedButton{Kind: bt.kind, Text: bt.label, OptOut: bt.optOut}
		if bt.kind == providers.ButtonQuickReply && (len(bt.payload.segs) > 0 || b.labelPayloads > 0) {
			r.Buttons[i].Payload = bt.label // a provider that requires a payload gets the label (WithLabelPayloads)
			if len(bt.payload.segs) > 0 {
				r.Buttons[i].Payload = bt.payload.fill(vals)
			}
			ps[next] = providers.Param{Kind: providers.ParamText, Text: r.Buttons[i].Payload}
			msg.Buttons = append(msg.Buttons,
				providers.ButtonParams{Index: i, Kind: providers.ButtonQuickReply, Params: ps[next : next+1 : next+1]})
			next++
		}
		if bt.kind != providers.ButtonURL {
			continue
		}
		r.Buttons[i].URL = bt.url.fill(vals)
		if last := bt.url.segs[len(bt.url.segs)-1].param; last >= 0 {
			ps[next] = providers.Param{Kind: providers.ParamText, Text: vals[last]}
			msg.Buttons = append(msg.Buttons,
				providers.ButtonParams{Index: i, Kind: providers.ButtonURL, Params: ps[next : next+1 : next+1]})
			next++
		}
	}
	return r, nil
}

// amounts reads the currency parameters of the body from their cells: each value becomes the text the
// recipient reads ("$12.50"), and its amount x 1000 is returned at its position in the body. It returns nil when
// the template has no currency parameter.
func (b *Binding) amounts(vals []string) ([]int64, *status.Problem) {
	t := b.t
	if t.currencies == 0 {
		return nil, nil
	}
	amounts := make([]int64, t.bodyEnd-t.bodyStart)
	for i := t.bodyStart; i < t.bodyEnd; i++ {
		pr := &t.params[i]
		if pr.kind != providers.ParamCurrency {
			continue
		}
		a, shown, bad := pr.money.amount(vals[i])
		if bad != "" {
			return nil, &status.Problem{Code: status.CodeBadParameter, Reason: "column " + b.names[i] + " holds " +
				strconv.Quote(vals[i]) + ", which " + bad}
		}
		amounts[i-t.bodyStart], vals[i] = a, shown
	}
	return amounts, nil
}

// header fills the header into rh and returns its provider parameter; its Kind is "" when the header takes
// none (no header, or a text header without a variable).
func (b *Binding) header(rh *RenderedHeader, vals []string) (providers.Param, *status.Problem) {
	h := &b.t.header
	rh.Kind = h.kind
	switch h.kind {
	case "":
		return providers.Param{}, nil
	case providers.ParamText:
		rh.Text = h.text.fill(vals)
		if n := runesOver(rh.Text, maxHeaderRunes); n > 0 {
			return providers.Param{}, &status.Problem{Code: status.CodeHeaderTooLong, Reason: fmt.Sprintf(
				"the header is %d characters once filled (WhatsApp allows at most %d): shorten the text in%s",
				n, maxHeaderRunes, b.columnsOf(&h.text))}
		}
		if b.t.bodyStart == 0 {
			return providers.Param{}, nil
		}
		return providers.Param{Kind: providers.ParamText, Text: vals[0]}, nil
	case providers.ParamLocation:
		rh.Latitude, rh.Longitude = h.latitude.fill(vals), h.longitude.fill(vals)
		rh.Name, rh.Address = h.locName.fill(vals), h.address.fill(vals)
		if !isCoordinate(rh.Latitude, 90) {
			return providers.Param{}, b.badHeader(&h.latitude, "the latitude", "is not a number from -90 to 90",
				"write a decimal number in the cell, such as 51.5074")
		}
		if !isCoordinate(rh.Longitude, 180) {
			return providers.Param{}, b.badHeader(&h.longitude, "the longitude", "is not a number from -180 to 180",
				"write a decimal number in the cell, such as -0.1278")
		}
		return providers.Param{Kind: h.kind, Latitude: rh.Latitude, Longitude: rh.Longitude, Name: rh.Name,
			Address: rh.Address}, nil
	default: // image, video, document
		rh.Text, rh.Filename = h.text.fill(vals), h.filename.fill(vals)
		if !isHTTPLink(rh.Text) {
			return providers.Param{}, b.badHeader(&h.text, "the "+string(h.kind)+" link",
				"does not start with http:// or https://", "put a full link in the cell, such as https://cdn.example.com/offer.jpg")
		}
		return providers.Param{Kind: h.kind, Text: rh.Text, Filename: rh.Filename}, nil
	}
}

// badHeader is the problem of a header field whose filled value WhatsApp would refuse. Static values are
// checked when the template is parsed, so f has a variable.
func (b *Binding) badHeader(f *field, what, wrong, fix string) *status.Problem {
	return &status.Problem{Code: status.CodeBadParameter, Reason: what + " filled from" + b.columnsOf(f) + " " + wrong + ": " + fix}
}

// columnsOf names the CSV columns that fill f, as " column a" or " columns a, b"; "" when f has no variable.
func (b *Binding) columnsOf(f *field) string {
	var names []string
	for _, s := range f.segs {
		if s.param >= 0 && !slices.Contains(names, b.names[s.param]) {
			names = append(names, b.names[s.param])
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return " column " + names[0]
	default:
		return " columns " + strings.Join(names, ", ")
	}
}

// value is the cleaned value of params[i] in a row: its cell, else its fallback.
func (b *Binding) value(i int, fields []string) (string, *status.Problem) {
	p, column := &b.t.params[i], b.names[i]
	v, bad := p.clean(fields[b.cells[i]])
	switch bad {
	case badBlankLine:
		return "", &status.Problem{Code: status.CodeBadParameter, Reason: "column " + column +
			" has a blank line, which WhatsApp does not allow in " + p.place + ": put the cell's text in one paragraph"}
	case badSpace:
		return "", &status.Problem{Code: status.CodeBadParameter, Reason: "column " + column + " has a space inside, which " + p.place +
			" cannot hold: remove the spaces from the cell"}
	}
	if v != "" {
		return v, nil
	}
	if p.HasFallback {
		return p.Fallback, nil
	}
	return "", &status.Problem{Code: status.CodeMissingValue, Reason: "column " + column + " is empty and {{" + p.Ref + "}} in " +
		p.place + " has no fallback: fill the cell or give the variable a fallback, such as {{" + p.Ref + "|your text}}"}
}

// fill is the field's text with each variable replaced by its value.
func (f *field) fill(vals []string) string {
	switch len(f.segs) {
	case 0:
		return ""
	case 1:
		if s := f.segs[0]; s.param >= 0 {
			return vals[s.param]
		}
		return f.segs[0].lit
	}
	n := 0
	for _, s := range f.segs {
		if s.param >= 0 {
			n += len(vals[s.param])
		} else {
			n += len(s.lit)
		}
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, s := range f.segs {
		if s.param >= 0 {
			sb.WriteString(vals[s.param])
		} else {
			sb.WriteString(s.lit)
		}
	}
	return sb.String()
}
