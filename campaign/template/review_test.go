package template

import (
	"reflect"
	"strings"
	"testing"

	"herald/providers"
)

// TestCategoryAndExamples parses category: and example:, with their defaults and their mistakes.
func TestCategoryAndExamples(t *testing.T) {
	const base = "name: spring_sale\nlanguage: en_US\nbody: \"Hi {{first_name}}, use {{code}}\"\n"
	tests := []struct {
		name, extra string
		category    string
		examples    map[string]string
		wantErr     string
	}{
		{"defaults", "", "marketing", nil, ""},
		{"utility", "category: Utility\n", "utility", nil, ""},
		{"examples", "example: {first_name: Olivia, code: \" SPRING10 \"}\n", "marketing",
			map[string]string{"first_name": "Olivia", "code": "SPRING10"}, ""},
		{"unknown category", "category: promo\n", "", nil,
			`spring_sale.yaml line 4: category "promo" is not a WhatsApp template category - write the category the provider approved it in: marketing, utility, authentication`},
		{"example of no variable", "example: {first_nme: Olivia}\n", "", nil,
			"spring_sale.yaml line 4: example gives first_nme, which no variable of the template uses - did you mean first_name? the template's variables use first_name, code"},
		{"empty example", "example: {code: \"\"}\n", "", nil, "the example of code is empty"},
		{"example list", "example: [Olivia]\n", "", nil, "example must be a set of column: sample value pairs"},
		{"example twice", "example: {code: A, code: B}\n", "", nil, "spring_sale.yaml line 4: example gives code twice - keep one of them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse([]byte(base+tt.extra), "spring_sale.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tpl.Category != tt.category {
				t.Errorf("Category = %q, want %q", tpl.Category, tt.category)
			}
			for _, col := range []string{"first_name", "code"} {
				got, ok := tpl.Example(col)
				want, wantOK := tt.examples[col]
				if got != want || ok != wantOK {
					t.Errorf("Example(%s) = %q, %v; want %q, %v", col, got, ok, want, wantOK)
				}
			}
		})
	}
}

// TestOutline: the sample template's structure, each variable where it is written.
func TestOutline(t *testing.T) {
	tpl, err := Load("../../templates/spring_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := tpl.Outline()
	lit := func(s string) Piece { return Piece{Text: s, Var: -1} }
	v := func(i int) Piece { return Piece{Var: i} }
	want := Outline{HeaderKind: providers.ParamText,
		Header: []Piece{lit("Hi "), v(0)},
		Body: []Piece{lit("Hello "), v(1), lit(", our spring sale is on!\nUse code "), v(2), lit(" for "), v(3),
			lit(" off everything until "), v(4), lit(".")},
		Footer: "Reply STOP to opt out",
		Buttons: []OutlineButton{{Kind: providers.ButtonURL, Label: "Shop now", URL: []Piece{lit("https://shop.example/c/"), v(5)}},
			{Kind: providers.ButtonQuickReply, Label: "Stop promotions"}}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("Outline =\n%+v\nwant\n%+v", o, want)
	}
	if err := tpl.CheckLimits(); err != nil {
		t.Errorf("CheckLimits: %v", err)
	}
	long, err := Parse([]byte("name: t\nlanguage: en\nfooter: \""+strings.Repeat("x", 61)+"\"\nbody: hi\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := long.CheckLimits(); err == nil || !strings.Contains(err.Error(), "the footer is 61 characters") {
		t.Errorf("CheckLimits on a long footer: %v", err)
	}
}
