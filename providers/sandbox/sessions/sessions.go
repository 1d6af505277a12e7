// Package sessions checks session (free-form) messages as WhatsApp bounds them, for the sandbox's dialects:
// each dialect decodes its own request into Content and calls Check with the rules its document lists.
package sessions

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Session messages: the free-form messages a business may send within 24 hours of a person's last message. The
// meta, itniotech and engagelab dialects take them in the Cloud API's shapes (a type and the object it names);
// the innopaas dialect in its own, which it turns into the same shapes to check them. Check holds every
// dialect to WhatsApp's bounds (Meta's, which every provider forwards to) and to what the dialect's document
// lists; a dialect words the problem as its provider does.

// Content is a session message's object, the one its type names; the others must be absent.
type Content struct {
	Text        *TextMessage `json:"text"`
	Image       *Media       `json:"image"`
	Video       *Media       `json:"video"`
	Document    *Media       `json:"document"`
	Location    *Location    `json:"location"`
	Interactive *Interactive `json:"interactive"`
}

// TextMessage is a text message's object.
type TextMessage struct {
	Body       string `json:"body"`
	PreviewURL *bool  `json:"preview_url"`
}

// Media is a MediaObject of a session message: a link (or an uploaded media id), a caption, a document's
// file name.
type Media struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

// Location is a location message's object.
type Location struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// Interactive is the InteractiveObject of a button or list message.
type Interactive struct {
	Type   string  `json:"type"`
	Header *Header `json:"header"`
	Body   *Text   `json:"body"`
	Footer *Text   `json:"footer"`
	Action *Action `json:"action"`
}

// Header is an interactive message's HeaderObject.
type Header struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Image    *Media `json:"image"`
	Video    *Media `json:"video"`
	Document *Media `json:"document"`
}

// Action is the ActionObject: reply buttons, or a list's button and sections.
type Action struct {
	Buttons  []Button  `json:"buttons"`
	Button   string    `json:"button"`
	Sections []Section `json:"sections"`
}

// Button is one reply button.
type Button struct {
	Type  string `json:"type"`
	Reply *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

// Section is one section of a list.
type Section struct {
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
}

// Row is one row of a list section.
type Row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Text is a BodyObject or a FooterObject.
type Text struct {
	Text string `json:"text"`
}

// Rules are what one dialect's document lists of session messages.
type Rules struct {
	// types are the message types, interactive the interactive types, headers a button message's header types.
	Types, Interactive, Headers []string
	// headerFilename allows a file name on a document header; requireFilename and requirePlace make a
	// document's filename and a location's name and address required.
	HeaderFilename, RequireFilename, RequirePlace bool
}

// Problem is what is wrong with a session message: the field's path, whether it is missing (rather than
// not valid), and a sentence.
type Problem struct {
	Path    string
	Missing bool
	Msg     string
}

// WhatsApp's bounds on session messages (Meta's Cloud API reference, which every provider forwards to).
const (
	maxSessionText   = 4096
	maxCaption       = 1024
	maxInteractive   = 1024
	maxHeaderText    = 60
	maxFooterText    = 60
	maxReplyButtons  = 3
	maxButtonTitle   = 20
	maxButtonID      = 256
	maxListButton    = 20
	maxSections      = 10
	maxRows          = 10
	maxSectionTitle  = 24
	maxRowTitle      = 24
	maxRowID         = 200
	maxRowDesciption = 72
)

// Check checks a session message of type typ against rules; nil when it is well formed.
func Check(typ string, c *Content, rules Rules) *Problem {
	bad := func(path, format string, args ...any) *Problem {
		return &Problem{Path: path, Msg: path + " " + fmt.Sprintf(format, args...)}
	}
	missing := func(path string) *Problem {
		return &Problem{Path: path, Missing: true, Msg: path + " is required when type is " + typ}
	}
	if !slices.Contains(rules.Types, typ) {
		return bad("type", "%q is not a message type of this API: use template, %s", typ, strings.Join(rules.Types, ", "))
	}
	set := map[string]bool{"text": c.Text != nil, "image": c.Image != nil, "video": c.Video != nil,
		"document": c.Document != nil, "location": c.Location != nil, "interactive": c.Interactive != nil}
	for _, k := range []string{"text", "image", "video", "document", "location", "interactive"} {
		if set[k] && k != typ {
			return bad(k, "must not be set when type is %s", typ)
		}
	}
	if !set[typ] {
		return missing(typ)
	}
	switch typ {
	case "text":
		if c.Text.Body == "" {
			return missing("text.body")
		}
		return tooLong("text.body", c.Text.Body, maxSessionText)
	case "image", "video", "document":
		m := map[string]*Media{"image": c.Image, "video": c.Video, "document": c.Document}[typ]
		return checkSessionMedia(typ, m, typ == "document" && rules.RequireFilename, true)
	case "location":
		return checkSessionLocation(c.Location, rules.RequirePlace)
	}
	return checkInteractive(c.Interactive, rules)
}

// checkSessionMedia checks a media object at path: a link (http or https) or an id, a caption, a file name only
// on a document.
func checkSessionMedia(path string, m *Media, needFilename, caption bool) *Problem {
	switch {
	case m.Link == "" && m.ID == "":
		return &Problem{Path: path + ".link", Missing: true, Msg: path + ".link (or id) is required"}
	case m.Link != "" && !httpLink(m.Link):
		return &Problem{Path: path + ".link", Msg: path + ".link must be an http(s) link"}
	case m.Filename != "" && !strings.HasSuffix(path, "document"):
		return &Problem{Path: path + ".filename", Msg: path + ".filename is for a document only"}
	case needFilename && m.Filename == "":
		return &Problem{Path: path + ".filename", Missing: true, Msg: path + ".filename is required for a document"}
	case m.Caption != "" && !caption:
		return &Problem{Path: path + ".caption", Msg: path + ".caption cannot be set here"}
	}
	return tooLong(path+".caption", m.Caption, maxCaption)
}

// checkSessionLocation checks a location message's coordinates and, when the document requires them, its name
// and address.
func checkSessionLocation(l *Location, requirePlace bool) *Problem {
	for _, c := range []struct {
		name, value string
		limit       float64
	}{{"longitude", l.Longitude, 180}, {"latitude", l.Latitude, 90}} {
		f, err := strconv.ParseFloat(c.value, 64)
		switch {
		case c.value == "":
			return &Problem{Path: "location." + c.name, Missing: true, Msg: "location." + c.name + " is required"}
		case err != nil || f < -c.limit || f > c.limit:
			return &Problem{Path: "location." + c.name,
				Msg: fmt.Sprintf("location.%s %q must be a number from -%g to %g", c.name, c.value, c.limit, c.limit)}
		}
	}
	if requirePlace && (l.Name == "" || l.Address == "") {
		return &Problem{Path: "location.name", Missing: true, Msg: "location.name and location.address are required"}
	}
	return nil
}

// checkInteractive checks a button or list message.
func checkInteractive(in *Interactive, rules Rules) *Problem {
	bad := func(path, format string, args ...any) *Problem {
		return &Problem{Path: path, Msg: path + " " + fmt.Sprintf(format, args...)}
	}
	switch {
	case !slices.Contains(rules.Interactive, in.Type):
		return bad("interactive.type", "%q must be %s", in.Type, strings.Join(rules.Interactive, " or "))
	case in.Body == nil || in.Body.Text == "":
		return &Problem{Path: "interactive.body.text", Missing: true, Msg: "interactive.body.text is required"}
	case in.Action == nil:
		return &Problem{Path: "interactive.action", Missing: true, Msg: "interactive.action is required"}
	}
	if p := tooLong("interactive.body.text", in.Body.Text, maxInteractive); p != nil {
		return p
	}
	if in.Footer != nil {
		if p := tooLong("interactive.footer.text", in.Footer.Text, maxFooterText); p != nil {
			return p
		}
	}
	if h := in.Header; h != nil {
		headers := rules.Headers
		if in.Type == "list" {
			headers = []string{"text"} // WhatsApp's list messages take a text header only
		}
		if !slices.Contains(headers, h.Type) {
			return bad("interactive.header.type", "%q must be %s for a %s message", h.Type, strings.Join(headers, " or "), in.Type)
		}
		if h.Type == "text" {
			if h.Text == "" {
				return &Problem{Path: "interactive.header.text", Missing: true, Msg: "interactive.header.text is required"}
			}
			if p := tooLong("interactive.header.text", h.Text, maxHeaderText); p != nil {
				return p
			}
		} else {
			m := map[string]*Media{"image": h.Image, "video": h.Video, "document": h.Document}[h.Type]
			if m == nil {
				return &Problem{Path: "interactive.header." + h.Type, Missing: true, Msg: "interactive.header." + h.Type + " is required"}
			}
			if m.Filename != "" && !rules.HeaderFilename {
				return bad("interactive.header.document.filename", "is not a field of this API's interactive header")
			}
			if p := checkSessionMedia("interactive.header."+h.Type, m, false, false); p != nil {
				return p
			}
		}
	}
	if in.Type == "button" {
		return checkReplyButtons(in)
	}
	return checkList(in)
}

// checkReplyButtons checks a button message's action: 1 to 3 reply buttons with unique ids and titles.
func checkReplyButtons(in *Interactive) *Problem {
	a := in.Action
	switch {
	case len(a.Sections) > 0 || a.Button != "":
		return &Problem{Path: "interactive.action", Msg: "interactive.action of a button message takes buttons only"}
	case len(a.Buttons) == 0 || len(a.Buttons) > maxReplyButtons:
		return &Problem{Path: "interactive.action.buttons", Msg: fmt.Sprintf(
			"interactive.action.buttons has %d buttons: give 1 to %d", len(a.Buttons), maxReplyButtons)}
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range a.Buttons {
		path := fmt.Sprintf("interactive.action.buttons[%d]", i)
		switch {
		case b.Type != "reply":
			return &Problem{Path: path + ".type", Msg: path + ".type must be reply"}
		case b.Reply == nil || b.Reply.ID == "" || b.Reply.Title == "":
			return &Problem{Path: path + ".reply", Missing: true, Msg: path + ".reply.id and title are required"}
		case ids[b.Reply.ID] || titles[b.Reply.Title]:
			return &Problem{Path: path + ".reply", Msg: path + ".reply's id and title must be unique in the message"}
		}
		ids[b.Reply.ID], titles[b.Reply.Title] = true, true
		if p := firstProblem(tooLong(path+".reply.id", b.Reply.ID, maxButtonID),
			tooLong(path+".reply.title", b.Reply.Title, maxButtonTitle)); p != nil {
			return p
		}
	}
	return nil
}

// checkList checks a list message's action: its button, 1 to 10 sections, 1 to 10 rows in all with unique
// ids, a title on each section when there are several.
func checkList(in *Interactive) *Problem {
	a := in.Action
	switch {
	case len(a.Buttons) > 0:
		return &Problem{Path: "interactive.action.buttons", Msg: "interactive.action of a list message takes button and sections, not buttons"}
	case a.Button == "":
		return &Problem{Path: "interactive.action.button", Missing: true, Msg: "interactive.action.button is required for a list"}
	case len(a.Sections) == 0 || len(a.Sections) > maxSections:
		return &Problem{Path: "interactive.action.sections", Msg: fmt.Sprintf(
			"interactive.action.sections has %d sections: give 1 to %d", len(a.Sections), maxSections)}
	}
	if p := tooLong("interactive.action.button", a.Button, maxListButton); p != nil {
		return p
	}
	rows, ids := 0, map[string]bool{}
	for i, s := range a.Sections {
		path := fmt.Sprintf("interactive.action.sections[%d]", i)
		if s.Title == "" && len(a.Sections) > 1 {
			return &Problem{Path: path + ".title", Missing: true, Msg: path + ".title is required when a list has several sections"}
		}
		if p := tooLong(path+".title", s.Title, maxSectionTitle); p != nil {
			return p
		}
		if len(s.Rows) == 0 {
			return &Problem{Path: path + ".rows", Missing: true, Msg: path + ".rows needs at least one row"}
		}
		for j, r := range s.Rows {
			rp := fmt.Sprintf("%s.rows[%d]", path, j)
			switch {
			case r.ID == "" || r.Title == "":
				return &Problem{Path: rp, Missing: true, Msg: rp + ".id and title are required"}
			case ids[r.ID]:
				return &Problem{Path: rp + ".id", Msg: rp + ".id must be unique in the list"}
			}
			ids[r.ID] = true
			if p := firstProblem(tooLong(rp+".id", r.ID, maxRowID), tooLong(rp+".title", r.Title, maxRowTitle),
				tooLong(rp+".description", r.Description, maxRowDesciption)); p != nil {
				return p
			}
		}
		rows += len(s.Rows)
	}
	if rows > maxRows {
		return &Problem{Path: "interactive.action.sections", Msg: fmt.Sprintf(
			"the list has %d rows: WhatsApp allows %d in all its sections", rows, maxRows)}
	}
	return nil
}

// tooLong is the problem of a text over limit characters, nil otherwise.
func tooLong(path, s string, limit int) *Problem {
	if n := utf8.RuneCountInString(s); n > limit {
		return &Problem{Path: path, Msg: fmt.Sprintf("%s is %d characters: WhatsApp allows %d", path, n, limit)}
	}
	return nil
}

// firstProblem is the first of ps that is not nil.
func firstProblem(ps ...*Problem) *Problem {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// httpLink reports whether s is an http or https link.
func httpLink(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\n")
}

// Label names a checked session message in the log: its type, and an interactive message's kind
// ("text", "interactive/list").
func Label(typ string, c *Content) string {
	if typ == "interactive" && c.Interactive != nil {
		return typ + "/" + c.Interactive.Type
	}
	return typ
}
