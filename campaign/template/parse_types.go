package template

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/currency"

	"herald/providers"
)

// paramType is a typed body parameter: its kind and, for a currency, how its amounts are written.
type paramType struct {
	kind  providers.ParamKind
	money money
}

// types reads `types: {price: {currency: USD}, expires: date_time}`: the body variables of those columns
// become currency or date_time parameters. Every column named must fill a body variable (typed parameters
// exist in the body only).
func (p *parser) types(e entry) error {
	n := deref(e.val)
	if n.Kind != yaml.MappingNode {
		return p.fail(n.Line, "types must be a set of columns and their types",
			"write it as types: {price: {currency: USD}, expires: date_time}")
	}
	t := p.t
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		column := strings.TrimSpace(k.Value)
		if k.Kind != yaml.ScalarNode || column == "" {
			return p.fail(k.Line, "a key of types is not a column name", "write one column name per key, as in price: {currency: USD}")
		}
		pt, err := p.paramType(column, v)
		if err != nil {
			return err
		}
		typed := 0
		for j := t.bodyStart; j < t.bodyEnd; j++ {
			if strings.EqualFold(t.params[j].Column, column) {
				if t.params[j].kind != "" {
					return p.fail(k.Line, "types names "+column+" twice", "keep one of them")
				}
				t.params[j].kind, t.params[j].money = pt.kind, pt.money
				if pt.kind == providers.ParamCurrency {
					t.currencies++
				}
				if err := p.typedFallback(&t.params[j]); err != nil {
					return err
				}
				typed++
			}
		}
		if typed == 0 {
			return p.fail(k.Line, fmt.Sprintf("types names %s, which fills no variable of the body", column),
				"typed parameters (currency, date_time) exist in the body only: use {{"+column+"}} in the body, or remove it from types")
		}
	}
	return nil
}

// paramType reads one column's type: text, date_time, or {currency: CODE} with an ISO 4217 code.
func (p *parser) paramType(column string, v *yaml.Node) (paramType, error) {
	const fix = "write text, date_time or {currency: USD} (an ISO 4217 code)"
	switch v.Kind {
	case yaml.ScalarNode:
		switch s := strings.TrimSpace(v.Value); {
		case s == "date_time":
			return paramType{kind: providers.ParamDateTime}, nil
		case s == "text":
			return paramType{kind: providers.ParamText}, nil
		case s == "currency":
			return paramType{}, p.fail(v.Line, "the currency of "+column+" has no code", "write "+column+": {currency: USD} with its ISO 4217 code")
		default:
			return paramType{}, p.fail(v.Line, fmt.Sprintf("%q is not a parameter type (%s)", s, column), fix)
		}
	case yaml.MappingNode:
		m, err := p.keys(v, "the type of "+column, []string{"currency"})
		if err != nil {
			return paramType{}, err
		}
		ce, ok := m["currency"]
		if !ok {
			return paramType{}, p.fail(v.Line, "the type of "+column+" is empty", fix)
		}
		code, err := p.scalar(ce, "the currency of "+column)
		if err != nil {
			return paramType{}, err
		}
		code = strings.ToUpper(strings.TrimSpace(code))
		unit, err := currency.ParseISO(code)
		if err != nil || len(code) != 3 {
			return paramType{}, p.fail(deref(ce.val).Line, fmt.Sprintf("%q is not a currency code", code),
				"write its ISO 4217 code, such as USD, EUR, GBP or INR")
		}
		return paramType{kind: providers.ParamCurrency, money: newMoney(unit)}, nil
	}
	return paramType{}, p.fail(v.Line, "the type of "+column+" must be a word or {currency: CODE}", fix)
}

// typedFallback checks a currency variable's fallback ({{price|9.99}}): it must be an amount too.
func (p *parser) typedFallback(pr *param) error {
	if pr.kind != providers.ParamCurrency || !pr.HasFallback {
		return nil
	}
	if _, _, bad := pr.money.amount(pr.Fallback); bad != "" {
		return p.fail(pr.Line, fmt.Sprintf("the fallback %q of {{%s}} %s", pr.Fallback, pr.Ref, bad),
			"give a currency variable an amount as its fallback, or none")
	}
	return nil
}

// typeKinds lists the typed kinds the template's body uses, each once, in order.
func (t *Template) typeKinds() []providers.ParamKind {
	var kinds []providers.ParamKind
	for _, pr := range t.params[t.bodyStart:t.bodyEnd] {
		if pr.kind != "" && pr.kind != providers.ParamText && !slices.Contains(kinds, pr.kind) {
			kinds = append(kinds, pr.kind)
		}
	}
	return kinds
}

// Needs is what the template asks of a provider: its header kind, the typed parameters of its body and the
// kinds of its buttons that take parameters. The campaign checks it against the profile's provider before
// anything is previewed or sent.
func (t *Template) Needs() providers.Needs {
	if t.session != nil {
		return t.session.needs()
	}
	n := providers.Needs{Header: t.HeaderKind, TypedBody: t.typeKinds()}
	for _, b := range t.buttons {
		takesParam := b.url.hasVars() || (b.kind == providers.ButtonQuickReply && len(b.payload.segs) > 0)
		if takesParam && !slices.Contains(n.Buttons, b.kind) {
			n.Buttons = append(n.Buttons, b.kind)
		}
	}
	return n
}
