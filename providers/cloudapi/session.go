package cloudapi

import (
	"fmt"

	"herald/providers"
)

// Content is a session message as the Cloud API's free-form message schemas describe it: its type and the one
// object the type names. Meta's messages endpoint and Itniotech's custom/sendMsg take these fields at the top
// level of the request; EngageLab's Send Message API takes them as its body.
type Content struct {
	Type        string       `json:"type"`
	Text        *Text        `json:"text,omitempty"`
	Image       *Media       `json:"image,omitempty"`
	Video       *Media       `json:"video,omitempty"`
	Document    *Media       `json:"document,omitempty"`
	Location    *Location    `json:"location,omitempty"`
	Interactive *Interactive `json:"interactive,omitempty"`
}

// Text is a text message's object: its body.
type Text struct {
	Body string `json:"body"`
}

// Interactive is the InteractiveObject of a button or list message.
type Interactive struct {
	Type   string             `json:"type"`
	Header *InteractiveHeader `json:"header,omitempty"`
	Body   TextObject         `json:"body"`
	Footer *TextObject        `json:"footer,omitempty"`
	Action Action             `json:"action"`
}

// InteractiveHeader is the HeaderObject: a text, or an image, video or document by link.
type InteractiveHeader struct {
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	Image    *Media `json:"image,omitempty"`
	Video    *Media `json:"video,omitempty"`
	Document *Media `json:"document,omitempty"`
}

// TextObject is the BodyObject and the FooterObject: a text.
type TextObject struct {
	Text string `json:"text"`
}

// Action is the ActionObject: a button message's reply buttons, or a list message's button and sections.
type Action struct {
	Buttons  []Button  `json:"buttons,omitempty"`
	Button   string    `json:"button,omitempty"`
	Sections []Section `json:"sections,omitempty"`
}

// Button is one reply button: type "reply" and its id and title.
type Button struct {
	Type  string `json:"type"`
	Reply Reply  `json:"reply"`
}

// Reply is a reply button's id and title.
type Reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Section is the SectionObject of a list message.
type Section struct {
	Title string `json:"title,omitempty"`
	Rows  []Row  `json:"rows"`
}

// Row is one row of a list section.
type Row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// SessionContent returns s as the Cloud API's free-form message objects. A kind it does not know is an error
// naming it: the adapter returns it as a permanent error for the row.
func SessionContent(s *providers.Session) (Content, error) {
	c := Content{Type: string(s.Kind)}
	switch s.Kind {
	case providers.SessionText:
		c.Text = &Text{Body: s.Text}
	case providers.SessionImage:
		c.Image = &Media{Link: s.Link, Caption: s.Caption}
	case providers.SessionVideo:
		c.Video = &Media{Link: s.Link, Caption: s.Caption}
	case providers.SessionDocument:
		c.Document = &Media{Link: s.Link, Filename: s.Filename, Caption: s.Caption}
	case providers.SessionLocation:
		c.Location = &Location{Latitude: s.Latitude, Longitude: s.Longitude, Name: s.Name, Address: s.Address}
	case providers.SessionInteractive:
		in, err := interactive(s)
		if err != nil {
			return Content{}, err
		}
		c.Interactive = in
	default:
		return Content{}, fmt.Errorf("session message kind %q: use text, image, document, video, location or interactive", s.Kind)
	}
	return c, nil
}

// interactive builds the InteractiveObject of an interactive session message.
func interactive(s *providers.Session) (*Interactive, error) {
	i := s.Interactive
	if i == nil {
		return nil, fmt.Errorf("an interactive session message has no buttons or list")
	}
	out := &Interactive{Type: string(i.Kind), Body: TextObject{Text: s.Text}}
	if h := i.Header; h != nil {
		out.Header = &InteractiveHeader{Type: string(h.Kind)}
		switch h.Kind {
		case providers.ParamText:
			out.Header.Text = h.Text
		case providers.ParamImage:
			out.Header.Image = &Media{Link: h.Link}
		case providers.ParamVideo:
			out.Header.Video = &Media{Link: h.Link}
		case providers.ParamDocument:
			out.Header.Document = &Media{Link: h.Link, Filename: h.Filename}
		default:
			return nil, fmt.Errorf("interactive header kind %q: use text, image, video or document", h.Kind)
		}
	}
	if i.Footer != "" {
		out.Footer = &TextObject{Text: i.Footer}
	}
	switch i.Kind {
	case providers.InteractiveButtons:
		out.Action.Buttons = make([]Button, len(i.Buttons))
		for k, b := range i.Buttons {
			out.Action.Buttons[k] = Button{Type: "reply", Reply: Reply{ID: b.ID, Title: b.Title}}
		}
	case providers.InteractiveList:
		out.Action.Button = i.Button
		out.Action.Sections = make([]Section, len(i.Sections))
		for k, sec := range i.Sections {
			rows := make([]Row, len(sec.Rows))
			for r, row := range sec.Rows {
				rows[r] = Row{ID: row.ID, Title: row.Title, Description: row.Description}
			}
			out.Action.Sections[k] = Section{Title: sec.Title, Rows: rows}
		}
	default:
		return nil, fmt.Errorf("interactive kind %q: use button or list", i.Kind)
	}
	return out, nil
}
