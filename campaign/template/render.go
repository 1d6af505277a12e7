package template

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"herald/campaign/human"
	"herald/campaign/status"
	"herald/providers"
)

// Binding is a template checked against one CSV header: it knows which cell fills each variable. It never
// changes once made, so Render is safe to call from many goroutines at once.
type Binding struct {
	t *Template
	// width is the number of cells in a row.
	width int
	// cells[i] is the index of the cell that fills t.params[i]; names[i] is that column's name in the CSV.
	cells []int
	names []string
	// columns are the CSV columns used, each once, in the order of the template's variables.
	columns []string
}

// Columns returns the CSV columns the template uses, each once, in the order its variables appear (header,
// body, buttons), spelled as in the CSV.
func (b *Binding) Columns() []string { return slices.Clone(b.columns) }

// Bind checks the template against a CSV header before any row is read: every variable's column exists
// (matched exactly, else ignoring case) and the parts fit WhatsApp's limits. Each problem is a *Error
// naming the template line and the fix; several come back joined (errors.Join).
func (t *Template) Bind(header []string) (*Binding, error) {
	b := &Binding{t: t, width: len(header), cells: make([]int, len(t.params)), names: make([]string, len(t.params))}
	p := &parser{file: t.Path, t: t}
	cols := newColumnIndex(header)
	used := make([]bool, len(header))
	var errs []error
	for i := range t.params {
		cell, err := p.column(&t.params[i].Variable, cols)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.cells[i], b.names[i] = cell, cols.names[cell]
		if !used[cell] {
			used[cell] = true
			b.columns = append(b.columns, cols.names[cell])
		}
	}
	errs = append(errs, p.limits()...)
	switch len(errs) {
	case 0:
		return b, nil
	case 1:
		return nil, errs[0]
	default:
		return nil, errors.Join(errs...)
	}
}

// columnIndex finds the cells of a CSV header by column name.
type columnIndex struct {
	// names are the header cells without surrounding spaces.
	names []string
	// exact maps a name to its first cell; folded maps a lower-case name to all its cells.
	exact  map[string]int
	folded map[string][]int
}

// newColumnIndex indexes a CSV header.
func newColumnIndex(header []string) columnIndex {
	c := columnIndex{names: make([]string, len(header)), exact: make(map[string]int, len(header)),
		folded: make(map[string][]int, len(header))}
	for i, h := range header {
		name := strings.TrimSpace(h)
		c.names[i] = name
		if _, dup := c.exact[name]; !dup {
			c.exact[name] = i
		}
		lower := strings.ToLower(name)
		c.folded[lower] = append(c.folded[lower], i)
	}
	return c
}

// column finds the CSV header cell for v: the exact name first, then the name ignoring case.
func (p *parser) column(v *Variable, cols columnIndex) (int, error) {
	if cell, ok := cols.exact[v.Column]; ok {
		return cell, nil
	}
	switch cells := cols.folded[strings.ToLower(v.Column)]; len(cells) {
	case 0:
	case 1:
		return cells[0], nil
	default:
		return 0, p.fail(v.Line, fmt.Sprintf("the CSV has both %s and %s, which match %s apart from upper and lower case",
			cols.names[cells[0]], cols.names[cells[1]], v.Column),
			"rename one of the CSV columns, or write the variable exactly as its column")
	}
	msg := fmt.Sprintf("the CSV has no column %s, used by {{%s}} in %s", v.Column, v.Ref, partPhrase(v.Part))
	if s, ok := human.Closest(v.Column, cols.names); ok {
		return 0, p.fail(v.Line, msg, "did you mean "+s+"?")
	}
	const shown = 12
	list := strings.Join(cols.names[:min(len(cols.names), shown)], ", ")
	if len(cols.names) > shown {
		list += ", ..."
	}
	return 0, p.fail(v.Line, msg, "use one of the CSV's columns ("+list+") or add the column to the CSV")
}

// limits checks the parts against WhatsApp's bounds on sizes and variable counts.
func (p *parser) limits() []error {
	t := p.t
	var errs []error
	add := func(line int, fix, format string, args ...any) {
		errs = append(errs, p.fail(line, fmt.Sprintf(format, args...), fix))
	}
	if h := &t.header; h.kind == providers.ParamText {
		if n := h.text.staticRunes(); n > maxHeaderRunes {
			add(h.text.line, "shorten it", "the header text is %d characters before filling (WhatsApp allows at most %d)",
				n, maxHeaderRunes)
		}
		if t.bodyStart > 1 {
			add(h.text.line, "keep one and move the others into the body",
				"the header text has %d variables (WhatsApp allows 1)", t.bodyStart)
		}
	}
	if n := t.bodyEnd - t.bodyStart; n > maxBodyVars {
		add(t.body.line, "write some of them as fixed text", "the body has %d variables (WhatsApp allows at most %d)",
			n, maxBodyVars)
	}
	if n := t.body.staticRunes(); n > maxBodyRunes {
		add(t.body.line, "shorten it", "the body is %d characters before filling (WhatsApp allows at most %d)",
			n, maxBodyRunes)
	}
	if n := utf8.RuneCountInString(t.Footer); n > maxFooterRunes {
		add(t.footerLine, "shorten it", "the footer is %d characters (WhatsApp allows at most %d)", n, maxFooterRunes)
	}
	return errs
}

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

	r := Rendered{Body: t.body.fill(vals), Footer: t.Footer}
	if n := runesOver(r.Body, maxBodyRunes); n > 0 {
		return Rendered{}, &status.Problem{Code: status.CodeBodyTooLong, Reason: fmt.Sprintf(
			"the body is %d characters once filled (WhatsApp allows at most %d): shorten the text in%s",
			n, maxBodyRunes, b.columnsOf(&t.body))}
	}
	msg := &r.Message
	msg.Template, msg.Language = t.Name, t.Language

	// All the parameters share one array: the header's (at most one), the body's, then one per dynamic button.
	ps := make([]providers.Param, 1+t.bodyEnd-t.bodyStart+t.dynamicButtons)
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
		}
		msg.Body = ps[next : next+n : next+n]
		next += n
	}
	if len(t.buttons) > 0 {
		r.Buttons = make([]RenderedButton, len(t.buttons))
	}
	if t.dynamicButtons > 0 {
		msg.Buttons = make([]providers.ButtonParams, 0, t.dynamicButtons)
	}
	for i := range t.buttons {
		bt := &t.buttons[i]
		r.Buttons[i] = RenderedButton{Kind: bt.kind, Text: bt.label}
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
	v, bad := cleanParam(fields[b.cells[i]], p.strict)
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

// runesOver returns the number of characters in s when it is more than limit, else 0.
func runesOver(s string, limit int) int {
	if len(s) <= limit { // a character is at least one byte
		return 0
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return n
	}
	return 0
}

// spaces are the whitespace characters WhatsApp's parameter rules are about.
const spaces = " \t\n\r\v\f"

// isSpace reports whether c is one of spaces.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// badParam says why a parameter cannot be cleaned into one WhatsApp accepts.
type badParam int

const (
	// paramOK: the value is clean (or was cleaned without changing its meaning).
	paramOK badParam = iota
	// badBlankLine: the text has separate paragraphs, which one line cannot keep.
	badBlankLine
	// badSpace: a link or a number has whitespace inside.
	badSpace
)

// cleanParam makes s a parameter WhatsApp accepts: no surrounding whitespace, no newline, no tab, no more
// than 4 spaces in a row. Inside text, a run of whitespace that holds a tab, a single line break or more than
// 4 spaces becomes one space; a blank line cannot be cleaned. Inside a link or a number (strict), no
// whitespace may remain. An empty result means the cell is empty.
func cleanParam(s string, strict bool) (string, badParam) {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	clean, run := true, 0 // run counts the spaces just seen
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; {
		case c == ' ':
			run++
			clean = run <= 4 && !strict
		case isSpace(c):
			clean = false
		default:
			run = 0
		}
	}
	switch {
	case clean:
		return s, paramOK
	case strict:
		return "", badSpace
	}
	var out strings.Builder
	out.Grow(len(s))
	for i := 0; i < len(s); {
		if !isSpace(s[i]) {
			out.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		run := s[i:j]
		lineBreaks := strings.Count(run, "\n") + strings.Count(run, "\r") - strings.Count(run, "\r\n")
		switch {
		case lineBreaks > 1:
			return "", badBlankLine
		case len(run) <= 4 && strings.Trim(run, " ") == "":
			out.WriteString(run)
		default:
			out.WriteByte(' ')
		}
		i = j
	}
	return out.String(), paramOK
}

// isHTTPLink reports whether s is an http or https URL with a host and no whitespace.
func isHTTPLink(s string) bool {
	for _, scheme := range []string{"https://", "http://"} {
		if len(s) > len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return s[len(scheme)] != '/' && !strings.ContainsAny(s, spaces)
		}
	}
	return false
}

// isCoordinate reports whether s is a decimal number from -limit to limit.
func isCoordinate(s string, limit float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f >= -limit && f <= limit
}
