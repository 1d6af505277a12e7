package template

import (
	"reflect"
	"strings"
	"testing"

	"herald/campaign/status"
	"herald/providers"
)

var sessionHeader = []string{"phone", "first_name", "code", "notes", "size"}

// TestRenderSession fills a session message of every kind from a row: the provider's session message and what
// the recipient reads.
func TestRenderSession(t *testing.T) {
	row := []string{"447400123456", "Olivia", "SPRING-7", "Line one\nline two", "M"}
	for _, tt := range []struct {
		name, src string
		want      providers.Session
		check     func(t *testing.T, r Rendered)
	}{
		{"text", "kind: session\nname: follow\ntext: |\n  Hi {{first_name}},\n  {{notes}}\n",
			providers.Session{Kind: providers.SessionText, Text: "Hi Olivia,\nLine one\nline two"},
			func(t *testing.T, r Rendered) {
				if r.Body != "Hi Olivia,\nLine one\nline two" || r.Session != providers.SessionText {
					t.Errorf("rendered %+v", r)
				}
			}},
		{"document", "kind: session\nname: prices\ndocument:\n  link: https://cdn.example.com/{{code}}.pdf\n" +
			"  filename: Prices {{first_name}}.pdf\n  caption: Your prices, {{first_name}}\n",
			providers.Session{Kind: providers.SessionDocument, Link: "https://cdn.example.com/SPRING-7.pdf",
				Filename: "Prices Olivia.pdf", Caption: "Your prices, Olivia"},
			func(t *testing.T, r Rendered) {
				if r.Header.Kind != providers.ParamDocument || r.Header.Filename != "Prices Olivia.pdf" ||
					r.Body != "Your prices, Olivia" {
					t.Errorf("rendered %+v", r)
				}
			}},
		{"image without caption", "kind: session\nname: pic\nimage:\n  link: https://cdn.example.com/a.jpg\n",
			providers.Session{Kind: providers.SessionImage, Link: "https://cdn.example.com/a.jpg"}, nil},
		{"video", "kind: session\nname: vid\nvideo: {link: \"https://cdn.example.com/v.mp4\", caption: Look}\n",
			providers.Session{Kind: providers.SessionVideo, Link: "https://cdn.example.com/v.mp4", Caption: "Look"}, nil},
		{"location", "kind: session\nname: shop\nlocation: {latitude: \"51.5\", longitude: \"-0.12\", name: Shop, address: 1 High St}\n",
			providers.Session{Kind: providers.SessionLocation, Latitude: "51.5", Longitude: "-0.12", Name: "Shop",
				Address: "1 High St"}, nil},
		{"buttons", `kind: session
name: sizes
interactive:
  header: {text: "Hi {{first_name}}"}
  body: Which size?
  footer: Reply any time
  buttons:
    - title: Small
    - title: "{{size}}"
      id: size_{{size}}
`, providers.Session{Kind: providers.SessionInteractive, Text: "Which size?",
			Interactive: &providers.Interactive{Kind: providers.InteractiveButtons,
				Header: &providers.SessionHeader{Kind: providers.ParamText, Text: "Hi Olivia"}, Footer: "Reply any time",
				Buttons: []providers.ReplyButton{{ID: "Small", Title: "Small"}, {ID: "size_M", Title: "M"}}}},
			func(t *testing.T, r Rendered) {
				want := []RenderedButton{{Kind: providers.ButtonQuickReply, Text: "Small", Payload: "Small"},
					{Kind: providers.ButtonQuickReply, Text: "M", Payload: "size_M"}}
				if !reflect.DeepEqual(r.Buttons, want) || r.Footer != "Reply any time" || r.Header.Text != "Hi Olivia" {
					t.Errorf("rendered %+v", r)
				}
			}},
		{"list", `kind: session
name: shops
interactive:
  body: Pick a shop, {{first_name}}
  list:
    button: Choose a shop
    sections:
      - title: London
        rows:
          - {title: High St, id: ldn_1, description: Open till 8}
          - {title: Camden}
      - title: Leeds
        rows:
          - {title: Briggate}
`, providers.Session{Kind: providers.SessionInteractive, Text: "Pick a shop, Olivia",
			Interactive: &providers.Interactive{Kind: providers.InteractiveList, Button: "Choose a shop",
				Sections: []providers.ListSection{
					{Title: "London", Rows: []providers.ListRow{{ID: "ldn_1", Title: "High St", Description: "Open till 8"},
						{ID: "Camden", Title: "Camden"}}},
					{Title: "Leeds", Rows: []providers.ListRow{{ID: "Briggate", Title: "Briggate"}}}}}},
			func(t *testing.T, r Rendered) {
				if r.List == nil || r.List.Button != "Choose a shop" || len(r.List.Sections) != 2 ||
					r.List.Sections[0].Rows[0].Description != "Open till 8" {
					t.Errorf("rendered list %+v", r.List)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := bindSource(t, tt.src, sessionHeader)
			if !b.t.IsSession() || b.t.Kind != KindSession || b.t.Language != "" {
				t.Fatalf("template %+v is not a session message", b.t)
			}
			r, p := b.Render(row)
			if p != nil {
				t.Fatal(p)
			}
			if got := r.Message.Session; got == nil || !reflect.DeepEqual(*got, tt.want) {
				t.Fatalf("session message\n got %+v\nwant %+v", got, tt.want)
			}
			if r.Message.Template != "" || len(r.Message.Body) > 0 {
				t.Errorf("a session message carries template parts: %+v", r.Message)
			}
			if n := b.t.Needs(); n.Session == nil || n.Session.Kind != tt.want.Kind {
				t.Errorf("needs %+v", n)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// TestSessionRowProblems: a row whose values break WhatsApp's bounds once filled is invalid, naming the column.
func TestSessionRowProblems(t *testing.T) {
	for _, tt := range []struct {
		name, src, cell, code, want string
	}{
		{"text over 4096", "kind: session\nname: n\ntext: \"{{notes}}\"\n", strings.Repeat("x", 4097),
			status.CodeBodyTooLong, "the text is 4097 characters once filled (WhatsApp allows at most 4096): shorten the text in column notes"},
		{"title over 20", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: \"{{notes}}\"}]\n",
			strings.Repeat("y", 21), status.CodeBadParameter, "the title of button 1 is 21 characters"},
		{"same titles once filled", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: M}, {title: \"{{notes}}\"}]\n",
			"M", status.CodeBadParameter, `button 2's title or id is "M" once filled`},
		{"link from a cell", "kind: session\nname: n\nimage: {link: \"{{notes}}\"}\n", "cdn.example.com/a.jpg",
			status.CodeBadParameter, "the image link filled from column notes does not start with http"},
		{"empty cell", "kind: session\nname: n\ntext: \"Hi {{notes}}\"\n", "", status.CodeMissingValue,
			"column notes is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := bindSource(t, tt.src, sessionHeader)
			_, p := b.Render([]string{"447400123456", "Olivia", "C", tt.cell, "M"})
			if p == nil || p.Code != tt.code || !strings.Contains(p.Reason, tt.want) {
				t.Fatalf("problem %+v, want %s with %q", p, tt.code, tt.want)
			}
		})
	}
}

// TestSessionFileErrors: what a session file gets wrong is named with its line and the fix.
func TestSessionFileErrors(t *testing.T) {
	rows := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString("          - {title: R" + string(rune('a'+i)) + "}\n")
		}
		return b.String()
	}
	for _, tt := range []struct{ name, src, want string }{
		{"template key", "kind: session\nname: n\nlanguage: en\ntext: hi\n",
			"t.yaml line 3: language: belongs to a template, and this file is a session message (kind: session) - remove language:"},
		{"session key in a template", "name: n\nlanguage: en\ntext: hi\n",
			"t.yaml line 3: text: is a session message's part, and this file is a template - add kind: session"},
		{"unknown kind", "kind: chat\nname: n\ntext: hi\n", `t.yaml line 1: kind "chat" is not a kind of message`},
		{"no content", "kind: session\nname: n\n", "the session message has no content - add one of text, image"},
		{"two contents", "kind: session\nname: n\ntext: hi\nimage: {link: \"https://a.example/x.jpg\"}\n",
			"line 4: the session message has both text and image"},
		{"unknown key", "kind: session\nname: n\ntxt: hi\n", `"txt" is not a key of the session message - did you mean text?`},
		{"static text too long", "kind: session\nname: n\ntext: " + strings.Repeat("x", 4097) + "\n",
			"the text is 4097 characters before filling (WhatsApp allows at most 4096)"},
		{"caption on a location", "kind: session\nname: n\nlocation: {latitude: \"1\", longitude: \"2\", caption: x}\n",
			`"caption" is not a key of the location`},
		{"filename on an image", "kind: session\nname: n\nimage: {link: \"https://a.example/x.jpg\", filename: x}\n",
			`"filename" is not a key of the image`},
		{"not a link", "kind: session\nname: n\nvideo: {link: cdn.example.com/v.mp4}\n", "the video link is not an http(s) link"},
		{"latitude out of range", "kind: session\nname: n\nlocation: {latitude: \"91\", longitude: \"2\"}\n",
			`the latitude "91" is not a number from -90 to 90`},
		{"four buttons", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: a}, {title: b}, {title: c}, {title: d}]\n",
			"buttons has 4 items (WhatsApp allows at most 3)"},
		{"button title too long", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: " + strings.Repeat("t", 21) + "}]\n",
			"the title of button 1 is 21 characters before filling (WhatsApp allows at most 20)"},
		{"same button titles", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: Yes}, {title: Yes}]\n",
			`the button title "Yes" is written twice`},
		{"buttons and list", "kind: session\nname: n\ninteractive:\n  body: b\n  buttons: [{title: a}]\n  list: {button: x, sections: []}\n",
			"the interactive message has both buttons and a list"},
		{"no body", "kind: session\nname: n\ninteractive:\n  buttons: [{title: a}]\n", "the interactive message has no body"},
		{"list with an image header", "kind: session\nname: n\ninteractive:\n  header: {image: \"https://a.example/x.jpg\"}\n" +
			"  body: b\n  list:\n    button: Open\n    sections:\n      - rows: [{title: a}]\n", "a list message's header is image"},
		{"eleven rows", "kind: session\nname: n\ninteractive:\n  body: b\n  list:\n    button: Open\n    sections:\n" +
			"      - title: A\n        rows:\n" + rows(6) + "      - title: B\n        rows:\n" + rows(5),
			"the list has more than 10 rows"},
		{"untitled sections", "kind: session\nname: n\ninteractive:\n  body: b\n  list:\n    button: Open\n    sections:\n" +
			"      - rows: [{title: a}]\n      - rows: [{title: b}]\n", "section 1 has no title - a list with several sections"},
		{"same row ids", "kind: session\nname: n\ninteractive:\n  body: b\n  list:\n    button: Open\n    sections:\n" +
			"      - rows: [{title: Small}, {title: Small}]\n", `the row id "Small" is written twice`},
		{"position", "kind: session\nname: n\ntext: \"Hi {{1}}\"\n", "{{1}} in the text message is a position"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), "t.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v\nwant %q", err, tt.want)
			}
		})
	}
}

// TestSessionNeeds: what a session file asks of a provider, for the preview's refusals.
func TestSessionNeeds(t *testing.T) {
	tpl, err := Parse([]byte("kind: session\nname: n\ninteractive:\n  header: {document: {link: \"https://a.example/x.pdf\", filename: x.pdf}}\n"+
		"  body: b\n  buttons: [{title: a}]\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := providers.SessionNeeds{Kind: providers.SessionInteractive, Interactive: providers.InteractiveButtons,
		Header: providers.ParamDocument, HeaderFilename: true}
	if n := tpl.Needs(); n.Session == nil || *n.Session != want {
		t.Fatalf("needs %+v, want %+v", n.Session, want)
	}
	doc, err := Parse([]byte("kind: session\nname: n\ndocument: {link: \"https://a.example/x.pdf\"}\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Needs(); n.Session.Filename || n.Session.Kind != providers.SessionDocument {
		t.Fatalf("needs %+v", n.Session)
	}
}
