// Package templates manages templates at the provider: it turns a template file into the provider's
// definition (variables as placeholders in order of appearance, an example for each), submits it, reports
// the review's status, and is the approval gate a campaign passes before its first send. Providers whose API
// cannot do this are named with the console that does.
package templates

import (
	"fmt"
	"strings"

	"herald/campaign/template"
	"herald/providers"
)

// Examples are the sample values of a template's variables, in the order of Template.Variables(), and where
// each came from.
type Examples struct {
	Values []string
	// Sources say where each value came from: "example:", "row 2 of sample.csv" or "fallback".
	Sources []string
}

// Definition turns t into the definition a provider reviews: each text with a providers.Placeholder for each
// variable, in order of appearance, and ex's value for each. It refuses what a definition cannot say: a
// variable missing its example, or positional variables used out of order or twice (a provider numbers
// placeholders by their appearance, herald sends one value per variable).
func Definition(t *template.Template, ex Examples) (providers.TemplateDefinition, error) {
	if err := t.CheckLimits(); err != nil {
		return providers.TemplateDefinition{}, err
	}
	vars := t.Variables()
	if err := missingExamples(t, vars, ex); err != nil {
		return providers.TemplateDefinition{}, err
	}
	o := t.Outline()
	def := providers.TemplateDefinition{Name: t.Name, Language: t.Language,
		Category: providers.TemplateCategory(t.Category), Footer: o.Footer}
	w := &writer{t: t, vars: vars, ex: ex}
	if o.HeaderKind == providers.ParamText {
		text, err := w.text(o.Header, "the header")
		if err != nil {
			return def, err
		}
		def.Header = &providers.TemplateHeader{Format: o.HeaderKind, TemplateText: text}
	} else if o.HeaderKind != "" {
		// A media or location header's values are sent with each message, not written in its definition.
		def.Header = &providers.TemplateHeader{Format: o.HeaderKind}
		for _, v := range vars {
			if v.Part == "header" {
				w.next++
			}
		}
	}
	body, err := w.text(o.Body, "the body")
	if err != nil {
		return def, err
	}
	def.Body = body
	for i, b := range o.Buttons {
		db := providers.TemplateButton{Kind: b.Kind, Text: b.Label}
		if b.Kind == providers.ButtonURL {
			link, err := w.text(b.URL, fmt.Sprintf("button %d", i+1))
			if err != nil {
				return def, err
			}
			db.URL = link.Text
			if len(link.Examples) == 1 {
				db.Example = strings.TrimSuffix(link.Text, providers.Placeholder) + link.Examples[0]
			}
		}
		def.Buttons = append(def.Buttons, db)
	}
	return def, nil
}

// writer writes a template's texts with placeholders, checking that the variables come in the order
// they are sent: each occurrence is the next variable.
type writer struct {
	t    *template.Template
	vars []template.Variable
	ex   Examples
	next int
}

// text is pieces with a placeholder for each variable, and their examples.
func (w *writer) text(pieces []template.Piece, part string) (providers.TemplateText, error) {
	var b strings.Builder
	var out providers.TemplateText
	for _, p := range pieces {
		if p.Var < 0 {
			b.WriteString(p.Text)
			continue
		}
		if p.Var != w.next {
			v := w.vars[p.Var]
			return out, &template.Error{File: w.t.Path, Line: v.Line,
				Msg: fmt.Sprintf("%s uses {{%s}} out of order or more than once", part, v.Ref),
				Fix: "a template created at the provider numbers its variables in order of appearance: write {{1}}, {{2}}, ... in order and each once, or use column names"}
		}
		w.next++
		b.WriteString(providers.Placeholder)
		out.Examples = append(out.Examples, w.ex.Values[p.Var])
	}
	out.Text = b.String()
	return out, nil
}

// missingExamples is the error naming every variable without an example, nil when each has one.
func missingExamples(t *template.Template, vars []template.Variable, ex Examples) error {
	var missing []string
	var first template.Variable
	for i, v := range vars {
		if i < len(ex.Values) && ex.Values[i] != "" {
			continue
		}
		if missing == nil {
			first = v
		}
		missing = append(missing, fmt.Sprintf("{{%s}} in %s", v.Ref, partPhrase(v.Part)))
	}
	if len(missing) == 0 {
		return nil
	}
	return &template.Error{File: t.Path, Line: first.Line,
		Msg: "the provider's reviewers need an example of each variable, and there is none for " + strings.Join(missing, ", "),
		Fix: "add them to the template file, as in example: {" + first.Column + ": a realistic value}, or pass --csv FILE to take them from its first ready row"}
}

// partPhrase names a template part inside a sentence: "the body", "button 2".
func partPhrase(part string) string {
	if strings.HasPrefix(part, "button") {
		return part
	}
	return "the " + part
}
