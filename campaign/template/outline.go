package template

import (
	"errors"

	"herald/providers"
)

// Outline is a template's structure, as creating it at a provider needs it: each text as its literal
// stretches and its variables, in order of appearance.
type Outline struct {
	// HeaderKind is text, image, video, document or location; "" when the template has no header.
	HeaderKind providers.ParamKind
	// Header is a text header's text; nil for other headers.
	Header []Piece
	Body   []Piece
	Footer string
	// Buttons are the template's buttons in order.
	Buttons []OutlineButton
}

// Piece is a stretch of a template text: the literal Text, or, when Var >= 0, the variable Variables()[Var].
type Piece struct {
	Text string
	Var  int
}

// OutlineButton is one button: a URL button's link as pieces, or a quick reply (no URL).
type OutlineButton struct {
	Kind  providers.ButtonKind
	Label string
	URL   []Piece
}

// Outline returns the template's structure.
func (t *Template) Outline() Outline {
	o := Outline{HeaderKind: t.header.kind, Body: t.body.pieces(), Footer: t.Footer}
	if t.header.kind == providers.ParamText {
		o.Header = t.header.text.pieces()
	}
	for _, b := range t.buttons {
		ob := OutlineButton{Kind: b.kind, Label: b.label}
		if b.kind == providers.ButtonURL {
			ob.URL = b.url.pieces()
		}
		o.Buttons = append(o.Buttons, ob)
	}
	return o
}

// pieces is the field as pieces.
func (f *field) pieces() []Piece {
	ps := make([]Piece, len(f.segs))
	for i, s := range f.segs {
		ps[i] = Piece{Text: s.lit, Var: s.param}
	}
	return ps
}

// Example returns the sample value example: gives for column, and whether it gives one.
func (t *Template) Example(column string) (string, bool) {
	s, ok := t.examples[column]
	return s, ok
}

// CheckLimits checks the parts against WhatsApp's bounds on sizes and variable counts, as Bind does, for a
// template used without a CSV. Each problem is a *Error; several come back joined.
func (t *Template) CheckLimits() error {
	p := &parser{file: t.Path, t: t}
	return errors.Join(p.limits()...)
}

// Cells returns each of the template's variables' cell in a row, cleaned as for a send, in the order of
// Variables(): "" for an empty cell (fallbacks are left out) or one that cannot be cleaned.
func (b *Binding) Cells(fields []string) []string {
	vals := make([]string, len(b.t.params))
	for i := range b.t.params {
		if b.cells[i] >= len(fields) {
			continue
		}
		if v, bad := b.t.params[i].clean(fields[b.cells[i]]); bad == paramOK {
			vals[i] = v
		}
	}
	return vals
}
