package template

import (
	"fmt"
	"herald/campaign/human"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// field is a template text split into literal text and variables.
type field struct {
	segs []segment
	// line is where the text is written.
	line int
}

// segment is literal text, or the value of params[param] when param >= 0.
type segment struct {
	lit   string
	param int
}

// hasVars reports whether the field has a variable.
func (f *field) hasVars() bool {
	for _, s := range f.segs {
		if s.param >= 0 {
			return true
		}
	}
	return false
}

// static returns the field's text and true when it has no variable.
func (f *field) static() (string, bool) {
	switch {
	case f.hasVars():
		return "", false
	case len(f.segs) == 0:
		return "", true
	default:
		return f.segs[0].lit, true
	}
}

// staticRunes counts the characters of the field's literal text.
func (f *field) staticRunes() int {
	n := 0
	for _, s := range f.segs {
		n += utf8.RuneCountInString(s.lit)
	}
	return n
}

// occurrence is one variable as written in a part, before the part's variables become params.
type occurrence struct {
	ref      string
	position int // n of {{n}}; 0 for a column name
	fallback string
	// hasFallback, strict, free, place and line are as in param and Variable.
	hasFallback bool
	strict      bool
	free        bool
	place       string
	line        int
}

// partParser collects the variables of one part (header, body, a button) while its texts are read.
type partParser struct {
	p      *parser
	name   string
	occ    []occurrence
	fields []*field
	// free marks the variables of the texts read while it is set as free-form (a session message's text).
	free bool
}

// part reads one part's texts with read, then turns its variables into the template's params: one per
// {{column}} as written, one per number for {{1}}..{{n}}, whose columns come from cols.
func (p *parser) part(name string, cols columnList, read func(*partParser) error) error {
	pp := &partParser{p: p, name: name}
	if err := read(pp); err != nil {
		return err
	}
	index, err := pp.params(cols)
	if err != nil {
		return err
	}
	for _, f := range pp.fields {
		for i, s := range f.segs {
			if s.param >= 0 {
				f.segs[i].param = index[s.param]
			}
		}
	}
	return nil
}

// value reads a mandatory text of the part.
func (pp *partParser) value(dst *field, e entry, what, place string, strict bool) error {
	s, err := pp.p.scalar(e, what)
	if err != nil {
		return err
	}
	if strings.TrimSpace(s) == "" {
		return pp.p.fail(e.key.Line, what+" is empty", "write it after "+e.key.Value+":, or remove "+e.key.Value+":")
	}
	return pp.text(dst, s, e.val, place, strict)
}

// link reads a media link: an http(s) URL, possibly built from variables.
func (pp *partParser) link(dst *field, e entry, what string) error {
	if err := pp.value(dst, e, what, what, true); err != nil {
		return err
	}
	if s, static := dst.static(); static && !isHTTPLink(s) {
		return pp.p.fail(dst.line, what+" is not an http(s) link",
			"write the full link, such as https://cdn.example.com/offer.jpg")
	}
	return nil
}

// text splits s, written at node, into literal text and variables, recorded as occurrences of the part.
func (pp *partParser) text(dst *field, s string, node *yaml.Node, place string, strict bool) error {
	node = deref(node)
	dst.line = node.Line
	s = strings.TrimRight(s, spaces) // a block (|) ends with a line break the recipient should not get
	pos := 0
	for {
		i := strings.Index(s[pos:], "{{")
		if i < 0 {
			break
		}
		start := pos + i
		o, end, err := pp.variable(s, start, lineOf(node, s, start))
		if err != nil {
			return err
		}
		o.strict, o.free, o.place = strict, pp.free && !strict, place
		if start > pos {
			dst.segs = append(dst.segs, segment{lit: s[pos:start], param: -1})
		}
		dst.segs = append(dst.segs, segment{param: len(pp.occ)})
		pp.occ = append(pp.occ, o)
		pos = end
	}
	if pos < len(s) {
		dst.segs = append(dst.segs, segment{lit: s[pos:], param: -1})
	}
	pp.fields = append(pp.fields, dst)
	return nil
}

// lineOf is the file line of byte offset in s, the value of node: exact in a literal block (|), the value's
// first line otherwise.
func lineOf(node *yaml.Node, s string, offset int) int {
	if node.Style&yaml.LiteralStyle != 0 {
		return node.Line + 1 + strings.Count(s[:offset], "\n")
	}
	return node.Line
}

// variable reads the variable that starts with "{{" at s[start:] and returns it with the offset after its "}}".
func (pp *partParser) variable(s string, start, line int) (occurrence, int, error) {
	var o occurrence
	rest := s[start+2:]
	k := strings.IndexAny(rest, "{}")
	if k < 0 || rest[k] == '{' || !strings.HasPrefix(rest[k:], "}}") {
		shown := clip(s[start:], 30)
		if k >= 0 {
			shown = strings.TrimSpace(s[start : start+2+k+strings.Count(rest[k:k+1], "}")])
		}
		return o, 0, pp.p.fail(line, shown+" is not closed", "end each variable with }}, as in {{first_name}}")
	}
	written := s[start : start+2+k+2]
	inner := strings.TrimSpace(rest[:k])
	if inner == "" {
		return o, 0, pp.p.fail(line, written+" is an empty variable",
			"put a column name between the braces, as in {{first_name}}, or remove it")
	}
	ref, fallback, hasFallback := strings.Cut(inner, "|")
	o.ref, o.fallback, o.hasFallback, o.line = strings.TrimSpace(ref), strings.TrimSpace(fallback), hasFallback, line
	switch {
	case o.ref == "":
		return o, 0, pp.p.fail(line, written+" has no column name before |", "write the column first, as in {{discount|10%}}")
	case hasFallback && o.fallback == "":
		return o, 0, pp.p.fail(line, written+" has an empty fallback",
			"write the text to use for an empty cell after |, as in {{discount|10%}}, or remove the |")
	}
	if strings.Trim(o.ref, "0123456789") == "" {
		n, err := strconv.Atoi(o.ref)
		if err != nil || n < 1 || strconv.Itoa(n) != o.ref {
			return o, 0, pp.p.fail(line, written+" is not a valid position",
				"number positional variables from {{1}}, without leading zeros")
		}
		o.position = n
	}
	return o, start + len(written), nil
}

// clip returns s up to its first line break, at most n characters.
func clip(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// partPhrase names a part inside a sentence: "the body", "button 2".
func partPhrase(name string) string {
	if strings.HasPrefix(name, "button") {
		return name
	}
	return "the " + name
}

// params turns the part's occurrences into params of the template and returns, for each occurrence, the
// index of its param.
func (pp *partParser) params(cols columnList) ([]int, error) {
	t, part := pp.p.t, partPhrase(pp.name)
	named, positional := -1, -1
	for i, o := range pp.occ {
		if o.position > 0 && positional < 0 {
			positional = i
		} else if o.position == 0 && named < 0 {
			named = i
		}
	}
	index := make([]int, len(pp.occ))
	if positional < 0 {
		if len(cols.names) > 0 {
			return nil, pp.p.fail(cols.line, cols.key+" lists columns but "+part+" has no {{1}} variable",
				"remove "+cols.key+", or write {{1}} in the text where its column goes")
		}
		for i, o := range pp.occ {
			v := pp.param(o, o.ref, o.line)
			if err := pp.cleanFallback(&v, o.line); err != nil {
				return nil, err
			}
			index[i] = len(t.params)
			t.params = append(t.params, v)
		}
		return index, nil
	}
	if named >= 0 {
		later := max(named, positional)
		return nil, pp.p.fail(pp.occ[later].line, fmt.Sprintf("%s mixes {{%s}} with {{%s}}", part,
			pp.occ[positional].ref, pp.occ[named].ref), "use column names or numbers in one part, not both")
	}
	first := map[int]int{} // position -> its first occurrence
	highest := 0
	for i, o := range pp.occ {
		if _, seen := first[o.position]; !seen {
			first[o.position] = i
		}
		highest = max(highest, o.position)
	}
	for n := 1; n <= highest; n++ {
		if _, ok := first[n]; !ok {
			return nil, pp.p.fail(pp.occ[first[highest]].line, fmt.Sprintf("%s uses {{%d}} but not {{%d}}", part, highest, n),
				"number the variables {{1}}, {{2}}, ... without gaps")
		}
	}
	if cols.key == "" {
		return nil, pp.p.fail(pp.occ[first[1]].line, fmt.Sprintf("{{%d}} in %s is a position, which a session message has no list for", 1, part),
			"write the CSV column's name between the braces, as in {{first_name}}")
	}
	if len(cols.names) < highest {
		n := len(cols.names) + 1
		return nil, pp.p.fail(pp.occ[first[n]].line, fmt.Sprintf("{{%d}} in %s has no column", n, part),
			fmt.Sprintf("list one CSV column per number under %s, in order, such as [first_name, code]", cols.key))
	}
	if len(cols.names) > highest {
		return nil, pp.p.fail(cols.line, fmt.Sprintf("%s lists %d columns but %s only uses %s", cols.key,
			len(cols.names), part, human.Plural(highest, "variable")), "remove the extra columns")
	}
	base := len(t.params)
	for n := 1; n <= highest; n++ {
		o := pp.occ[first[n]]
		o.hasFallback, o.fallback = false, "" // gathered from every occurrence below
		t.params = append(t.params, pp.param(o, cols.names[n-1], cols.lines[n-1]))
	}
	fallbackLines := make([]int, highest)
	for i, o := range pp.occ {
		index[i] = base + o.position - 1
		v := &t.params[index[i]]
		v.strict = v.strict || o.strict
		if !o.hasFallback {
			continue
		}
		if v.HasFallback && o.fallback != v.Fallback {
			return nil, pp.p.fail(o.line, fmt.Sprintf("{{%d}} has two different fallbacks in %s", o.position, part),
				"give it the same fallback each time, or write it once")
		}
		v.Fallback, v.HasFallback, fallbackLines[o.position-1] = o.fallback, true, o.line
	}
	for n, line := range fallbackLines {
		if err := pp.cleanFallback(&t.params[base+n], line); err != nil {
			return nil, err
		}
	}
	return index, nil
}

// param makes the template param for an occurrence filled from column, whose name is written at line.
func (pp *partParser) param(o occurrence, column string, line int) param {
	return param{
		Variable: Variable{Ref: o.ref, Column: column, Fallback: o.fallback, HasFallback: o.hasFallback,
			Part: pp.name, Line: line},
		strict: o.strict,
		free:   o.free,
		place:  o.place,
	}
}

// cleanFallback cleans v's fallback as a cell is cleaned, or says why WhatsApp would refuse it.
func (pp *partParser) cleanFallback(v *param, line int) error {
	if !v.HasFallback {
		return nil
	}
	s, bad := v.clean(v.Fallback)
	switch bad {
	case badBlankLine:
		return pp.p.fail(line, "the fallback of {{"+v.Ref+"}} has a blank line", "write the fallback as one paragraph")
	case badSpace:
		return pp.p.fail(line, "the fallback of {{"+v.Ref+"}} has a space, which "+v.place+" cannot hold",
			"remove the space from the fallback")
	}
	v.Fallback = s
	return nil
}
