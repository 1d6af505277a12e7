package template

import (
	"fmt"
	"slices"
	"strings"

	"herald/campaign/human"

	"go.yaml.in/yaml/v3"
)

// examples reads example:, the sample value of each variable's column that a provider's reviewers see when
// the template is created: {first_name: Olivia, code: SPRING10}. Every key must be a column a variable uses.
func (p *parser) examples(top map[string]entry) error {
	e, ok := top["example"]
	if !ok {
		return nil
	}
	n := deref(e.val)
	if n.Kind != yaml.MappingNode {
		return p.fail(n.Line, "example must be a set of column: sample value pairs",
			"write it as example: {first_name: Olivia, code: SPRING10}")
	}
	var columns []string
	for _, v := range p.t.Variables() {
		if !slices.Contains(columns, v.Column) {
			columns = append(columns, v.Column)
		}
	}
	p.t.examples, p.t.exampleLine = make(map[string]string, len(n.Content)/2), n.Line
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		column := strings.TrimSpace(k.Value)
		if !slices.Contains(columns, column) {
			return p.fail(k.Line, fmt.Sprintf("example gives %s, which no variable of the template uses", column),
				exampleFix(column, columns))
		}
		if _, dup := p.t.examples[column]; dup {
			return p.fail(k.Line, "example gives "+column+" twice", "keep one of them")
		}
		if v.Kind != yaml.ScalarNode {
			return p.fail(v.Line, "the example of "+column+" must be a text", "write it on the same line, as in "+column+": Olivia")
		}
		sample, bad := cleanParam(v.Value, false)
		switch {
		case bad != paramOK:
			return p.fail(v.Line, "the example of "+column+" has a blank line", "write it as one paragraph")
		case sample == "":
			return p.fail(v.Line, "the example of "+column+" is empty", "write a realistic value, as in "+column+": Olivia")
		}
		p.t.examples[column] = sample
	}
	return nil
}

// exampleFix is the fix for an example key that is not a column of the template.
func exampleFix(column string, columns []string) string {
	list := "the template uses no variables: remove example:"
	if len(columns) > 0 {
		list = "the template's variables use " + strings.Join(columns, ", ")
	}
	if s, ok := human.Closest(column, columns); ok {
		return "did you mean " + s + "? " + list
	}
	return list
}
