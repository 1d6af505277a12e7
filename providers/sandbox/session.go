package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Session messages: the free-form messages a business may send within 24 hours of a person's last message. The
// meta, itniotech and engagelab dialects take them in the Cloud API's shapes (a type and the object it names);
// the innopaas dialect in its own, which it turns into the same shapes to check them. checkSession holds every
// dialect to WhatsApp's bounds (Meta's, which every provider forwards to) and to what the dialect's document
// lists; a dialect words the problem as its provider does.

// sessionContent is a session message's object, the one its type names; the others must be absent.
type sessionContent struct {
	Text        *sessionTextMessage `json:"text"`
	Image       *sessionMedia       `json:"image"`
	Video       *sessionMedia       `json:"video"`
	Document    *sessionMedia       `json:"document"`
	Location    *sessionLocation    `json:"location"`
	Interactive *sessionInteractive `json:"interactive"`
}

// sessionTextMessage is a text message's object.
type sessionTextMessage struct {
	Body       string `json:"body"`
	PreviewURL *bool  `json:"preview_url"`
}

// sessionMedia is a MediaObject of a session message: a link (or an uploaded media id), a caption, a document's
// file name.
type sessionMedia struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

// sessionLocation is a location message's object.
type sessionLocation struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// sessionInteractive is the InteractiveObject of a button or list message.
type sessionInteractive struct {
	Type   string         `json:"type"`
	Header *sessionHeader `json:"header"`
	Body   *sessionText   `json:"body"`
	Footer *sessionText   `json:"footer"`
	Action *sessionAction `json:"action"`
}

// sessionHeader is an interactive message's HeaderObject.
type sessionHeader struct {
	Type     string        `json:"type"`
	Text     string        `json:"text"`
	Image    *sessionMedia `json:"image"`
	Video    *sessionMedia `json:"video"`
	Document *sessionMedia `json:"document"`
}

// sessionAction is the ActionObject: reply buttons, or a list's button and sections.
type sessionAction struct {
	Buttons  []sessionButton  `json:"buttons"`
	Button   string           `json:"button"`
	Sections []sessionSection `json:"sections"`
}

// sessionButton is one reply button.
type sessionButton struct {
	Type  string `json:"type"`
	Reply *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

// sessionSection is one section of a list.
type sessionSection struct {
	Title string       `json:"title"`
	Rows  []sessionRow `json:"rows"`
}

// sessionRow is one row of a list section.
type sessionRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// sessionText is a BodyObject or a FooterObject.
type sessionText struct {
	Text string `json:"text"`
}

// sessionRules are what one dialect's document lists of session messages.
type sessionRules struct {
	// types are the message types, interactive the interactive types, headers a button message's header types.
	types, interactive, headers []string
	// headerFilename allows a file name on a document header; requireFilename and requirePlace make a
	// document's filename and a location's name and address required.
	headerFilename, requireFilename, requirePlace bool
}

// sessionProblem is what is wrong with a session message: the field's path, whether it is missing (rather than
// not valid), and a sentence.
type sessionProblem struct {
	path    string
	missing bool
	msg     string
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

// checkSession checks a session message of type typ against rules; nil when it is well formed.
func checkSession(typ string, c *sessionContent, rules sessionRules) *sessionProblem {
	bad := func(path, format string, args ...any) *sessionProblem {
		return &sessionProblem{path: path, msg: path + " " + fmt.Sprintf(format, args...)}
	}
	missing := func(path string) *sessionProblem {
		return &sessionProblem{path: path, missing: true, msg: path + " is required when type is " + typ}
	}
	if !slices.Contains(rules.types, typ) {
		return bad("type", "%q is not a message type of this API: use template, %s", typ, strings.Join(rules.types, ", "))
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
		m := map[string]*sessionMedia{"image": c.Image, "video": c.Video, "document": c.Document}[typ]
		return checkSessionMedia(typ, m, typ == "document" && rules.requireFilename, true)
	case "location":
		return checkSessionLocation(c.Location, rules.requirePlace)
	}
	return checkInteractive(c.Interactive, rules)
}

// checkSessionMedia checks a media object at path: a link (http or https) or an id, a caption, a file name only
// on a document.
func checkSessionMedia(path string, m *sessionMedia, needFilename, caption bool) *sessionProblem {
	switch {
	case m.Link == "" && m.ID == "":
		return &sessionProblem{path: path + ".link", missing: true, msg: path + ".link (or id) is required"}
	case m.Link != "" && !httpLink(m.Link):
		return &sessionProblem{path: path + ".link", msg: path + ".link must be an http(s) link"}
	case m.Filename != "" && !strings.HasSuffix(path, "document"):
		return &sessionProblem{path: path + ".filename", msg: path + ".filename is for a document only"}
	case needFilename && m.Filename == "":
		return &sessionProblem{path: path + ".filename", missing: true, msg: path + ".filename is required for a document"}
	case m.Caption != "" && !caption:
		return &sessionProblem{path: path + ".caption", msg: path + ".caption cannot be set here"}
	}
	return tooLong(path+".caption", m.Caption, maxCaption)
}

// checkSessionLocation checks a location message's coordinates and, when the document requires them, its name
// and address.
func checkSessionLocation(l *sessionLocation, requirePlace bool) *sessionProblem {
	for _, c := range []struct {
		name, value string
		limit       float64
	}{{"longitude", l.Longitude, 180}, {"latitude", l.Latitude, 90}} {
		f, err := strconv.ParseFloat(c.value, 64)
		switch {
		case c.value == "":
			return &sessionProblem{path: "location." + c.name, missing: true, msg: "location." + c.name + " is required"}
		case err != nil || f < -c.limit || f > c.limit:
			return &sessionProblem{path: "location." + c.name,
				msg: fmt.Sprintf("location.%s %q must be a number from -%g to %g", c.name, c.value, c.limit, c.limit)}
		}
	}
	if requirePlace && (l.Name == "" || l.Address == "") {
		return &sessionProblem{path: "location.name", missing: true, msg: "location.name and location.address are required"}
	}
	return nil
}

// checkInteractive checks a button or list message.
func checkInteractive(in *sessionInteractive, rules sessionRules) *sessionProblem {
	bad := func(path, format string, args ...any) *sessionProblem {
		return &sessionProblem{path: path, msg: path + " " + fmt.Sprintf(format, args...)}
	}
	switch {
	case !slices.Contains(rules.interactive, in.Type):
		return bad("interactive.type", "%q must be %s", in.Type, strings.Join(rules.interactive, " or "))
	case in.Body == nil || in.Body.Text == "":
		return &sessionProblem{path: "interactive.body.text", missing: true, msg: "interactive.body.text is required"}
	case in.Action == nil:
		return &sessionProblem{path: "interactive.action", missing: true, msg: "interactive.action is required"}
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
		headers := rules.headers
		if in.Type == "list" {
			headers = []string{"text"} // WhatsApp's list messages take a text header only
		}
		if !slices.Contains(headers, h.Type) {
			return bad("interactive.header.type", "%q must be %s for a %s message", h.Type, strings.Join(headers, " or "), in.Type)
		}
		if h.Type == "text" {
			if h.Text == "" {
				return &sessionProblem{path: "interactive.header.text", missing: true, msg: "interactive.header.text is required"}
			}
			if p := tooLong("interactive.header.text", h.Text, maxHeaderText); p != nil {
				return p
			}
		} else {
			m := map[string]*sessionMedia{"image": h.Image, "video": h.Video, "document": h.Document}[h.Type]
			if m == nil {
				return &sessionProblem{path: "interactive.header." + h.Type, missing: true, msg: "interactive.header." + h.Type + " is required"}
			}
			if m.Filename != "" && !rules.headerFilename {
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
func checkReplyButtons(in *sessionInteractive) *sessionProblem {
	a := in.Action
	switch {
	case len(a.Sections) > 0 || a.Button != "":
		return &sessionProblem{path: "interactive.action", msg: "interactive.action of a button message takes buttons only"}
	case len(a.Buttons) == 0 || len(a.Buttons) > maxReplyButtons:
		return &sessionProblem{path: "interactive.action.buttons", msg: fmt.Sprintf(
			"interactive.action.buttons has %d buttons: give 1 to %d", len(a.Buttons), maxReplyButtons)}
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range a.Buttons {
		path := fmt.Sprintf("interactive.action.buttons[%d]", i)
		switch {
		case b.Type != "reply":
			return &sessionProblem{path: path + ".type", msg: path + ".type must be reply"}
		case b.Reply == nil || b.Reply.ID == "" || b.Reply.Title == "":
			return &sessionProblem{path: path + ".reply", missing: true, msg: path + ".reply.id and title are required"}
		case ids[b.Reply.ID] || titles[b.Reply.Title]:
			return &sessionProblem{path: path + ".reply", msg: path + ".reply's id and title must be unique in the message"}
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
func checkList(in *sessionInteractive) *sessionProblem {
	a := in.Action
	switch {
	case len(a.Buttons) > 0:
		return &sessionProblem{path: "interactive.action.buttons", msg: "interactive.action of a list message takes button and sections, not buttons"}
	case a.Button == "":
		return &sessionProblem{path: "interactive.action.button", missing: true, msg: "interactive.action.button is required for a list"}
	case len(a.Sections) == 0 || len(a.Sections) > maxSections:
		return &sessionProblem{path: "interactive.action.sections", msg: fmt.Sprintf(
			"interactive.action.sections has %d sections: give 1 to %d", len(a.Sections), maxSections)}
	}
	if p := tooLong("interactive.action.button", a.Button, maxListButton); p != nil {
		return p
	}
	rows, ids := 0, map[string]bool{}
	for i, s := range a.Sections {
		path := fmt.Sprintf("interactive.action.sections[%d]", i)
		if s.Title == "" && len(a.Sections) > 1 {
			return &sessionProblem{path: path + ".title", missing: true, msg: path + ".title is required when a list has several sections"}
		}
		if p := tooLong(path+".title", s.Title, maxSectionTitle); p != nil {
			return p
		}
		if len(s.Rows) == 0 {
			return &sessionProblem{path: path + ".rows", missing: true, msg: path + ".rows needs at least one row"}
		}
		for j, r := range s.Rows {
			rp := fmt.Sprintf("%s.rows[%d]", path, j)
			switch {
			case r.ID == "" || r.Title == "":
				return &sessionProblem{path: rp, missing: true, msg: rp + ".id and title are required"}
			case ids[r.ID]:
				return &sessionProblem{path: rp + ".id", msg: rp + ".id must be unique in the list"}
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
		return &sessionProblem{path: "interactive.action.sections", msg: fmt.Sprintf(
			"the list has %d rows: WhatsApp allows %d in all its sections", rows, maxRows)}
	}
	return nil
}

// tooLong is the problem of a text over limit characters, nil otherwise.
func tooLong(path, s string, limit int) *sessionProblem {
	if n := utf8.RuneCountInString(s); n > limit {
		return &sessionProblem{path: path, msg: fmt.Sprintf("%s is %d characters: WhatsApp allows %d", path, n, limit)}
	}
	return nil
}

// firstProblem is the first of ps that is not nil.
func firstProblem(ps ...*sessionProblem) *sessionProblem {
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

// sessionLabel names a checked session message in the log: its type, and an interactive message's kind
// ("text", "interactive/list").
func sessionLabel(typ string, c *sessionContent) string {
	if typ == "interactive" && c.Interactive != nil {
		return typ + "/" + c.Interactive.Type
	}
	return typ
}
