package template

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"herald/campaign/status"
	"herald/providers"
)

// bindFile loads a template file and binds it to header.
func bindFile(t testing.TB, path string, header []string) *Binding {
	t.Helper()
	tpl, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tpl.Bind(header)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bindSource parses template source and binds it to header.
func bindSource(t testing.TB, src string, header []string) *Binding {
	t.Helper()
	tpl, err := Parse([]byte(src), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := tpl.Bind(header)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleTemplate is the template shipped with herald; sampleHeader a CSV header that fits it.
const sampleTemplate = "../../templates/spring_sale.yaml"

var sampleHeader = []string{"phone", "first_name", "code", "discount", "expires"}

// textParam is a text parameter.
func textParam(s string) providers.Param { return providers.Param{Kind: providers.ParamText, Text: s} }

func TestRender(t *testing.T) {
	springButtons := func(code string) []RenderedButton {
		return []RenderedButton{
			{Kind: providers.ButtonURL, Text: "Shop now", URL: "https://shop.example/c/" + code},
			{Kind: providers.ButtonQuickReply, Text: "Stop promotions", OptOut: true},
		}
	}
	springButtonParams := func(code string) []providers.ButtonParams {
		return []providers.ButtonParams{
			{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{textParam(code)}},
		}
	}
	tests := []struct {
		name, file, src string // file, else src
		header, row     []string
		want            Rendered
	}{
		{name: "text header, fallback, URL button then quick reply", file: sampleTemplate, header: sampleHeader,
			row: []string{"447911123456", "Ann", "SPRING10", "", "31 May"},
			want: Rendered{
				Header:  RenderedHeader{Kind: providers.ParamText, Text: "Hi Ann"},
				Body:    "Hello Ann, our spring sale is on!\nUse code SPRING10 for 10% off everything until 31 May.",
				Footer:  "Reply STOP to opt out",
				Buttons: springButtons("SPRING10"),
				Message: providers.Message{Template: "spring_sale", Language: "en_US",
					Header:  []providers.Param{textParam("Ann")},
					Body:    []providers.Param{textParam("Ann"), textParam("SPRING10"), textParam("10%"), textParam("31 May")},
					Buttons: springButtonParams("SPRING10")},
			}},
		{name: "cells are cleaned: trimmed, tabs and single line breaks become a space", file: sampleTemplate, header: sampleHeader,
			row: []string{"447911123456", "  Zoë\tMarie ", " SPRING10\r\n", "25%   off", "31\nMay"},
			want: Rendered{
				Header:  RenderedHeader{Kind: providers.ParamText, Text: "Hi Zoë Marie"},
				Body:    "Hello Zoë Marie, our spring sale is on!\nUse code SPRING10 for 25%   off off everything until 31 May.",
				Footer:  "Reply STOP to opt out",
				Buttons: springButtons("SPRING10"),
				Message: providers.Message{Template: "spring_sale", Language: "en_US",
					Header:  []providers.Param{textParam("Zoë Marie")},
					Body:    []providers.Param{textParam("Zoë Marie"), textParam("SPRING10"), textParam("25%   off"), textParam("31 May")},
					Buttons: springButtonParams("SPRING10")},
			}},
		{name: "image header from a column; URL button index counts the quick reply before it",
			file: "testdata/templates/image.yaml", header: []string{"banner", "name", "slug"}, row: []string{"spring.jpg", "", "spring-24"},
			want: Rendered{
				Header: RenderedHeader{Kind: providers.ParamImage, Text: "https://cdn.example.com/banners/spring.jpg"},
				Body:   "Hi there, new arrivals are in.",
				Buttons: []RenderedButton{
					{Kind: providers.ButtonQuickReply, Text: "Not interested"},
					{Kind: providers.ButtonURL, Text: "See them", URL: "https://shop.example/new/spring-24"},
				},
				Message: providers.Message{Template: "new_arrivals", Language: "en_GB",
					Header:  []providers.Param{{Kind: providers.ParamImage, Text: "https://cdn.example.com/banners/spring.jpg"}},
					Body:    []providers.Param{textParam("there")},
					Buttons: []providers.ButtonParams{{Index: 1, Kind: providers.ButtonURL, Params: []providers.Param{textParam("spring-24")}}}},
			}},
		{name: "document header with link and file name from columns", file: "testdata/templates/document.yaml",
			header: []string{"invoice_url", "number"}, row: []string{"https://files.example.com/inv/77.pdf", "77"},
			want: Rendered{
				Header: RenderedHeader{Kind: providers.ParamDocument, Text: "https://files.example.com/inv/77.pdf", Filename: "invoice-77.pdf"},
				Body:   "Your invoice 77 is ready.",
				Footer: "Thank you",
				Message: providers.Message{Template: "invoice_ready", Language: "en",
					Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://files.example.com/inv/77.pdf", Filename: "invoice-77.pdf"}},
					Body:   []providers.Param{textParam("77")}},
			}},
		{name: "location header; a static URL button carries no parameter", file: "testdata/templates/location.yaml",
			header: []string{"lat", "store", "date"}, row: []string{"51.5074", "Soho", "1 June"},
			want: Rendered{
				Header: RenderedHeader{Kind: providers.ParamLocation, Latitude: "51.5074", Longitude: "-0.1278", Name: "Soho", Address: "1 High St, London"},
				Body:   "Our Soho store opens on 1 June.",
				Buttons: []RenderedButton{
					{Kind: providers.ButtonURL, Text: "Store page", URL: "https://shop.example/stores"},
				},
				Message: providers.Message{Template: "store_opening", Language: "en_US",
					Header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5074", Longitude: "-0.1278", Name: "Soho", Address: "1 High St, London"}},
					Body:   []providers.Param{textParam("Soho"), textParam("1 June")}},
			}},
		{name: "positional variables: parameters by number, a repeated {{1}} sent once", file: "testdata/templates/positional.yaml",
			header: []string{"name", "order", "eta"}, row: []string{"Ana", "A-1001", ""},
			want: Rendered{
				Header: RenderedHeader{Kind: providers.ParamText, Text: "Pedido A-1001"},
				Body:   "Olá Ana, seu pedido A-1001 chega em breve. Obrigado, Ana!",
				Buttons: []RenderedButton{
					{Kind: providers.ButtonURL, Text: "Acompanhar", URL: "https://loja.example/p/A-1001"},
				},
				Message: providers.Message{Template: "order_update", Language: "pt_BR",
					Header:  []providers.Param{textParam("A-1001")},
					Body:    []providers.Param{textParam("Ana"), textParam("A-1001"), textParam("breve")},
					Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{textParam("A-1001")}}}},
			}},
		{name: "static text header and body: no parameters at all",
			src:    "name: notice\nlanguage: en\nheader:\n  text: Spring sale\nbody: |\n  Our shop is open.\n  See you soon.\n",
			header: []string{"phone"}, row: []string{"447911123456"},
			want: Rendered{
				Header:  RenderedHeader{Kind: providers.ParamText, Text: "Spring sale"},
				Body:    "Our shop is open.\nSee you soon.",
				Message: providers.Message{Template: "notice", Language: "en"},
			}},
		{name: "quick replies: a payload from a column, a fixed one marked opt_out, one without a payload",
			src: "name: a\nlanguage: en\nbody: Hi\nbuttons:\n  - quick_reply: Yes please\n    payload: \"YES-{{code}}\"\n" +
				"  - quick_reply: No more\n    payload: STOP\n    opt_out: true\n  - quick_reply: Later\n",
			header: []string{"code"}, row: []string{"C7"},
			want: Rendered{
				Body: "Hi",
				Buttons: []RenderedButton{
					{Kind: providers.ButtonQuickReply, Text: "Yes please", Payload: "YES-C7"},
					{Kind: providers.ButtonQuickReply, Text: "No more", Payload: "STOP", OptOut: true},
					{Kind: providers.ButtonQuickReply, Text: "Later"},
				},
				Message: providers.Message{Template: "a", Language: "en", Buttons: []providers.ButtonParams{
					{Index: 0, Kind: providers.ButtonQuickReply, Params: []providers.Param{textParam("YES-C7")}},
					{Index: 1, Kind: providers.ButtonQuickReply, Params: []providers.Param{textParam("STOP")}},
				}},
			}},
		{name: "a body of exactly 1024 characters once filled is sent",
			src:    "name: a\nlanguage: en\nbody: \"{{notes}}!\"",
			header: []string{"notes"}, row: []string{strings.Repeat("é", 1023)},
			want: Rendered{
				Body:    strings.Repeat("é", 1023) + "!",
				Message: providers.Message{Template: "a", Language: "en", Body: []providers.Param{textParam(strings.Repeat("é", 1023))}},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b *Binding
			if tc.file != "" {
				b = bindFile(t, tc.file, tc.header)
			} else {
				b = bindSource(t, tc.src, tc.header)
			}
			got, p := b.Render(tc.row)
			if p != nil {
				t.Fatalf("problem %s: %s", p.Code, p.Reason)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Render\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRenderProblems(t *testing.T) {
	sampleRow := func(firstName, code, expires string) []string {
		return []string{"447911123456", firstName, code, "", expires}
	}
	tests := []struct {
		name, file, src string // file, else src
		header, row     []string
		code, reason    string
	}{
		{"empty cell without fallback", sampleTemplate, "", sampleHeader, sampleRow("", "SPRING10", "31 May"), status.CodeMissingValue,
			"column first_name is empty and {{first_name}} in the header has no fallback: fill the cell or give the variable a fallback, such as {{first_name|your text}}"},
		{"a cell of whitespace is empty", sampleTemplate, "", sampleHeader, sampleRow("Ann", "SPRING10", " \t\r\n "), status.CodeMissingValue,
			"column expires is empty and {{expires}} in the body has no fallback: fill the cell or give the variable a fallback, such as {{expires|your text}}"},
		{"empty cell of a positional variable", "testdata/templates/positional.yaml", "", []string{"name", "order", "eta"},
			[]string{"", "A-1", ""}, status.CodeMissingValue,
			"column name is empty and {{1}} in the body has no fallback: fill the cell or give the variable a fallback, such as {{1|your text}}"},
		{"blank line in a cell", sampleTemplate, "", sampleHeader, sampleRow("Ann", "SPRING10", "31 May\n\nor later"), status.CodeBadParameter,
			"column expires has a blank line, which WhatsApp does not allow in the body: put the cell's text in one paragraph"},
		{"blank line written with CRLF and spaces", sampleTemplate, "", sampleHeader, sampleRow("Ann", "SPRING10", "31 May\r\n  \r\nor later"), status.CodeBadParameter,
			"column expires has a blank line, which WhatsApp does not allow in the body: put the cell's text in one paragraph"},
		{"space inside a URL suffix", sampleTemplate, "", sampleHeader, sampleRow("Ann", "SPRING 10", "31 May"), status.CodeBadParameter,
			"column code has a space inside, which the URL of button 1 cannot hold: remove the spaces from the cell"},
		{"media link that is not http(s)", "testdata/templates/document.yaml", "", []string{"invoice_url", "number"},
			[]string{"files.example.com/77.pdf", "77"}, status.CodeBadParameter,
			"the document link filled from column invoice_url does not start with http:// or https://: put a full link in the cell, such as https://cdn.example.com/offer.jpg"},
		{"space inside a media link", "testdata/templates/document.yaml", "", []string{"invoice_url", "number"},
			[]string{"https://files.example.com/my invoice.pdf", "77"}, status.CodeBadParameter,
			"column invoice_url has a space inside, which the document link cannot hold: remove the spaces from the cell"},
		{"latitude that is not a number", "testdata/templates/location.yaml", "", []string{"lat", "store", "date"},
			[]string{"north", "Soho", "1 June"}, status.CodeBadParameter,
			"the latitude filled from column lat is not a number from -90 to 90: write a decimal number in the cell, such as 51.5074"},
		{"latitude out of range", "testdata/templates/location.yaml", "", []string{"lat", "store", "date"},
			[]string{"90.5", "Soho", "1 June"}, status.CodeBadParameter,
			"the latitude filled from column lat is not a number from -90 to 90: write a decimal number in the cell, such as 51.5074"},
		{"longitude out of range", "", "name: a\nlanguage: en\nheader:\n  location: {latitude: '0', longitude: '{{lon}}'}\nbody: Hi",
			[]string{"lon"}, []string{"-180.01"}, status.CodeBadParameter,
			"the longitude filled from column lon is not a number from -180 to 180: write a decimal number in the cell, such as -0.1278"},
		{"body over 1024 characters once filled", "", "name: a\nlanguage: en\nbody: \"{{notes}}!\"",
			[]string{"notes"}, []string{strings.Repeat("é", 1024)}, status.CodeBodyTooLong,
			"the body is 1025 characters once filled (WhatsApp allows at most 1024): shorten the text in column notes"},
		{"header over 60 characters once filled", sampleTemplate, "", sampleHeader, sampleRow(strings.Repeat("ü", 58), "S", "31 May"), status.CodeHeaderTooLong,
			"the header is 61 characters once filled (WhatsApp allows at most 60): shorten the text in column first_name"},
		{"row with too few cells", sampleTemplate, "", sampleHeader, []string{"447911123456", "Ann", "S", ""}, status.CodeRaggedRow,
			"the row has 4 cells but the header has 5 columns: give the row one cell per column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b *Binding
			if tc.file != "" {
				b = bindFile(t, tc.file, tc.header)
			} else {
				b = bindSource(t, tc.src, tc.header)
			}
			got, p := b.Render(tc.row)
			if p == nil {
				t.Fatalf("rendered %+v, want problem %s", got, tc.code)
			}
			if p.Code != tc.code || p.Reason != tc.reason {
				t.Errorf("problem\n got %s: %q\nwant %s: %q", p.Code, p.Reason, tc.code, tc.reason)
			}
			if !reflect.DeepEqual(got, Rendered{}) {
				t.Errorf("a row with a problem rendered %+v", got)
			}
		})
	}
}

func TestCleanParam(t *testing.T) {
	tests := []struct {
		in     string
		strict bool
		want   string
		bad    badParam
	}{
		{"Ann", false, "Ann", paramOK},
		{"  Ann \t\r\n", false, "Ann", paramOK},
		{"Zoë\tMarie", false, "Zoë Marie", paramOK},
		{"a\nb", false, "a b", paramOK},
		{"a\r\nb", false, "a b", paramOK},
		{"a\rb", false, "a b", paramOK},
		{"a  \n  b", false, "a b", paramOK},
		{"a    b", false, "a    b", paramOK}, // 4 spaces are allowed
		{"a     b", false, "a b", paramOK},   // 5 are not
		{"a\vb\fc", false, "a b c", paramOK},
		{"😀  ok", false, "😀  ok", paramOK},
		{"a\u00a0\u00a0b", false, "a\u00a0\u00a0b", paramOK}, // not ASCII whitespace: content
		{"a\n\nb", false, "", badBlankLine},
		{"a\n \t\nb", false, "", badBlankLine},
		{"a\r\rb", false, "", badBlankLine},
		{"a\r\n\r\nb", false, "", badBlankLine},
		{"", false, "", paramOK},
		{" \t\n\n ", false, "", paramOK}, // blank lines around nothing: an empty cell
		{" SPRING10\n", true, "SPRING10", paramOK},
		{"SPRING 10", true, "", badSpace},
		{"a\tb", true, "", badSpace},
	}
	for _, tc := range tests {
		got, bad := cleanParam(tc.in, tc.strict)
		if got != tc.want || bad != tc.bad {
			t.Errorf("cleanParam(%q, %v) = %q, %d; want %q, %d", tc.in, tc.strict, got, bad, tc.want, tc.bad)
		}
	}
}

func TestIsHTTPLink(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://cdn.example.com/a.jpg", true}, {"HTTP://cdn.example.com", true}, {"http://x", true},
		{"https://", false}, {"https:///a", false}, {"ftp://cdn.example.com", false}, {"cdn.example.com/a.jpg", false},
		{"https://cdn.example.com/a b.jpg", false}, {"", false},
	}
	for _, tc := range tests {
		if got := isHTTPLink(tc.in); got != tc.want {
			t.Errorf("isHTTPLink(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsCoordinate(t *testing.T) {
	tests := []struct {
		in    string
		limit float64
		want  bool
	}{
		{"51.5074", 90, true}, {"-90", 90, true}, {"90.0001", 90, false}, {"-0.1278", 180, true}, {"180", 180, true},
		{"north", 90, false}, {"", 90, false}, {"NaN", 90, false}, {"Inf", 180, false}, {"51,5", 90, false},
	}
	for _, tc := range tests {
		if got := isCoordinate(tc.in, tc.limit); got != tc.want {
			t.Errorf("isCoordinate(%q, %g) = %v, want %v", tc.in, tc.limit, got, tc.want)
		}
	}
}

func TestRenderConcurrent(t *testing.T) {
	b := bindFile(t, sampleTemplate, sampleHeader)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				name := fmt.Sprintf("n%d-%d", g, i)
				r, p := b.Render([]string{"447911123456", name, "C" + name, "", "31 May"})
				if p != nil {
					t.Errorf("row %s: %s", name, p.Reason)
					return
				}
				if r.Header.Text != "Hi "+name || r.Message.Body[0].Text != name || r.Buttons[0].URL != "https://shop.example/c/C"+name {
					t.Errorf("row %s rendered %+v", name, r)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestRenderAllocations pins the cost of a row of the sample template: the header text, the body, the one
// parameter array, the buttons, the button parameters and the filled URL.
func TestRenderAllocations(t *testing.T) {
	b := bindFile(t, sampleTemplate, sampleHeader)
	row := []string{"447911123456", "Ann", "SPRING10", "", "31 May"}
	if n := testing.AllocsPerRun(100, func() { b.Render(row) }); n != 6 {
		t.Errorf("Render made %v allocations, want 6", n)
	}
}

func BenchmarkRender(b *testing.B) {
	bd := bindFile(b, sampleTemplate, sampleHeader)
	row := []string{"447911123456", "Annabelle", "SPRING-2024-XK", "", "31 May 2024"}
	b.ReportAllocs()
	for b.Loop() {
		if _, p := bd.Render(row); p != nil {
			b.Fatal(p)
		}
	}
}
