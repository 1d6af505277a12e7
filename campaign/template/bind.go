package template

import (
	"errors"
	"fmt"
	"herald/campaign/human"
	"herald/providers"
	"slices"
	"strings"
	"unicode/utf8"
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
	// labelPayloads counts the quick replies without a payload that get their label as one
	// (WithLabelPayloads); 0 leaves them out of the message.
	labelPayloads int
}

// WithLabelPayloads returns the binding for a provider that requires a payload on every quick reply (Huawei
// CEC's quickReplyPayload: providers.ButtonSupport.NeedsPayload): a quick reply whose template gives no payload
// gets its label as one, so the rendered message carries every quick reply to the adapter, and the preview
// shows what is sent. b itself is unchanged.
func (b *Binding) WithLabelPayloads() *Binding {
	out := *b
	out.labelPayloads = 0
	for _, bt := range b.t.buttons {
		if bt.kind == providers.ButtonQuickReply && len(bt.payload.segs) == 0 {
			out.labelPayloads++
		}
	}
	return &out
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
