package providers

import (
	"slices"
	"strconv"
	"strings"
)

// SessionKind is the type of a session message: a free-form message (no approved template) that a business may
// send within 24 hours of the person's last message to it, WhatsApp's customer service window.
type SessionKind string

// The session message kinds herald sends.
const (
	SessionText        SessionKind = "text"
	SessionImage       SessionKind = "image"
	SessionDocument    SessionKind = "document"
	SessionVideo       SessionKind = "video"
	SessionLocation    SessionKind = "location"
	SessionInteractive SessionKind = "interactive"
)

// InteractiveKind is the type of an interactive session message: reply buttons, or a list to pick from.
type InteractiveKind string

// The interactive kinds herald sends, named as the Cloud API names them.
const (
	InteractiveButtons InteractiveKind = "button"
	InteractiveList    InteractiveKind = "list"
)

// Session is a session message's content, filled for one recipient. The fields used depend on Kind.
type Session struct {
	Kind SessionKind `json:"kind"`
	// Text is a text message's text, or an interactive message's body.
	Text string `json:"text,omitempty"`
	// Link is the http(s) link of an image, document or video; Caption the text shown with it; Filename a
	// document's file name as the recipient sees it.
	Link     string `json:"link,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	// Latitude and Longitude (decimal degrees, as text), Name and Address are a location's.
	Latitude  string `json:"latitude,omitempty"`
	Longitude string `json:"longitude,omitempty"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
	// Interactive holds an interactive message's header, footer and buttons or list; nil for the other kinds.
	Interactive *Interactive `json:"interactive,omitempty"`
}

// Interactive is the part of an interactive session message beside its body (Session.Text).
type Interactive struct {
	Kind InteractiveKind `json:"kind"`
	// Header is the optional header above the body; nil for none.
	Header *SessionHeader `json:"header,omitempty"`
	// Footer is the optional small text under the body.
	Footer string `json:"footer,omitempty"`
	// Buttons are a button message's reply buttons, in order.
	Buttons []ReplyButton `json:"buttons,omitempty"`
	// Button is the label of the button that opens a list message's list; Sections are the list.
	Button   string        `json:"button,omitempty"`
	Sections []ListSection `json:"sections,omitempty"`
}

// SessionHeader is an interactive message's header: text, or an image, video or document by link.
type SessionHeader struct {
	Kind     ParamKind `json:"kind"`
	Text     string    `json:"text,omitempty"`
	Link     string    `json:"link,omitempty"`
	Filename string    `json:"filename,omitempty"`
}

// ReplyButton is one reply button: the title people tap and the id the provider reports back when they do.
type ReplyButton struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ListSection is one titled section of a list message.
type ListSection struct {
	Title string    `json:"title,omitempty"`
	Rows  []ListRow `json:"rows"`
}

// ListRow is one choice of a list message: its title, an optional description, and the id the provider
// reports back when it is picked.
type ListRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// SessionNeeds is what a session message asks of a provider: its kind and, for the documents' requirements,
// the parts it has.
type SessionNeeds struct {
	Kind SessionKind
	// Interactive is an interactive message's kind; Header its header's kind ("" for none) and HeaderFilename
	// set when a document header names its file.
	Interactive    InteractiveKind
	Header         ParamKind
	HeaderFilename bool
	// Filename is set when a document message names its file; Place when a location has a name and an address.
	Filename, Place bool
}

// Needs is what s asks of a provider.
func (s *Session) Needs() SessionNeeds {
	n := SessionNeeds{Kind: s.Kind, Filename: s.Filename != "", Place: s.Name != "" && s.Address != ""}
	if i := s.Interactive; i != nil {
		n.Interactive = i.Kind
		if i.Header != nil {
			n.Header, n.HeaderFilename = i.Header.Kind, i.Header.Filename != ""
		}
	}
	return n
}

// SessionSupport is what a provider's free-form message API carries, as herald sends it. The zero value sends
// none: herald refuses a session message for such a provider at preview.
type SessionSupport struct {
	// Source names the document the free-form messages are read from ("Itniotech's custom/sendMsg").
	Source string
	// Kinds are the session message kinds herald sends through the provider.
	Kinds []SessionKind
	// Interactive are the interactive kinds it sends; InteractiveHeaders the header kinds of a button message
	// (WhatsApp gives a list message a text header only, whatever the provider).
	Interactive        []InteractiveKind
	InteractiveHeaders []ParamKind
	// HeaderFilename is set when an interactive message's document header may name its file.
	HeaderFilename bool
	// RequiresFilename is set when a document message must name its file; RequiresPlace when a location must
	// have a name and an address (the document marks them required where WhatsApp leaves them optional).
	RequiresFilename, RequiresPlace bool
}

// refuseSession returns the first part of a session message the provider cannot carry, nil when it carries it.
func (c Capabilities) refuseSession(n *SessionNeeds) *Refusal {
	s := c.Sessions
	kind := "a session " + string(n.Kind) + " message"
	if n.Kind == SessionInteractive && n.Interactive != "" {
		kind = "a session " + string(n.Interactive) + " message"
		if n.Interactive == InteractiveButtons {
			kind = "a session message with reply buttons"
		}
	}
	switch {
	case len(s.Kinds) == 0:
		return &Refusal{Provider: c.Provider, Code: "unsupported_session", Feature: kind,
			Reason:  "herald sends no session (free-form) messages through " + c.Source,
			Fix:     "send approved templates through this profile",
			carries: func(o Capabilities) bool { return slices.Contains(o.Sessions.Kinds, n.Kind) }}
	case !slices.Contains(s.Kinds, n.Kind):
		return &Refusal{Provider: c.Provider, Code: "unsupported_session", Feature: kind,
			Reason:  s.Source + " lists " + wordList(s.Kinds, "and") + " session messages only",
			Fix:     "use a session file whose message is " + wordList(s.Kinds, "or"),
			carries: func(o Capabilities) bool { return slices.Contains(o.Sessions.Kinds, n.Kind) }}
	case n.Kind == SessionInteractive && !slices.Contains(s.Interactive, n.Interactive):
		return &Refusal{Provider: c.Provider, Code: "unsupported_session", Feature: kind,
			Reason: s.Source + " lists " + wordList(s.Interactive, "and") + " interactive messages only",
			Fix:    "use a session file with " + wordList(s.Interactive, "or") + " instead",
			carries: func(o Capabilities) bool {
				return slices.Contains(o.Sessions.Kinds, n.Kind) && slices.Contains(o.Sessions.Interactive, n.Interactive)
			}}
	case n.Header != "" && n.Interactive == InteractiveButtons && !slices.Contains(s.InteractiveHeaders, n.Header):
		return &Refusal{Provider: c.Provider, Code: "unsupported_header",
			Feature: articled(string(n.Header)) + " header on an interactive message",
			Reason:  s.Source + " lists " + kindList(s.InteractiveHeaders, "and") + " headers only",
			Fix:     "give the interactive message a " + kindList(s.InteractiveHeaders, "or") + " header, or none",
			carries: func(o Capabilities) bool {
				return slices.Contains(o.Sessions.Interactive, n.Interactive) && slices.Contains(o.Sessions.InteractiveHeaders, n.Header)
			}}
	case n.HeaderFilename && !s.HeaderFilename:
		return &Refusal{Provider: c.Provider, Code: "unsupported_header",
			Feature: "a file name on an interactive message's document header",
			Reason:  s.Source + "'s interactive header has no field for it",
			Fix:     "remove filename: from the header's document",
			carries: func(o Capabilities) bool {
				return slices.Contains(o.Sessions.InteractiveHeaders, ParamDocument) && o.Sessions.HeaderFilename
			}}
	case n.Kind == SessionDocument && s.RequiresFilename && !n.Filename:
		return &Refusal{Provider: c.Provider, Code: "missing_filename", Feature: "a session document without a file name",
			Reason: s.Source + " requires the document's filename",
			Fix:    "add filename: under document:, such as filename: \"Price list.pdf\"",
			carries: func(o Capabilities) bool {
				return slices.Contains(o.Sessions.Kinds, n.Kind) && !o.Sessions.RequiresFilename
			}}
	case n.Kind == SessionLocation && s.RequiresPlace && !n.Place:
		return &Refusal{Provider: c.Provider, Code: "missing_place", Feature: "a session location without a name and an address",
			Reason: s.Source + " requires a location's name and address",
			Fix:    "add name: and address: under location:",
			carries: func(o Capabilities) bool {
				return slices.Contains(o.Sessions.Kinds, n.Kind) && !o.Sessions.RequiresPlace
			}}
	}
	return nil
}

// writeSessionKey appends s to a batch key: every field, each with its length, so that two messages share a key
// only when they say the same thing.
func writeSessionKey(b *strings.Builder, s *Session) {
	field := func(v string) {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	b.WriteString("s")
	for _, v := range []string{string(s.Kind), s.Text, s.Link, s.Caption, s.Filename, s.Latitude, s.Longitude,
		s.Name, s.Address} {
		field(v)
	}
	i := s.Interactive
	if i == nil {
		return
	}
	field(string(i.Kind))
	if h := i.Header; h != nil {
		b.WriteString("h")
		for _, v := range []string{string(h.Kind), h.Text, h.Link, h.Filename} {
			field(v)
		}
	}
	field(i.Footer)
	field(i.Button)
	b.WriteString("b" + strconv.Itoa(len(i.Buttons)))
	for _, bt := range i.Buttons {
		field(bt.ID)
		field(bt.Title)
	}
	b.WriteString("l" + strconv.Itoa(len(i.Sections)))
	for _, sec := range i.Sections {
		field(sec.Title)
		b.WriteString("r" + strconv.Itoa(len(sec.Rows)))
		for _, r := range sec.Rows {
			field(r.ID)
			field(r.Title)
			field(r.Description)
		}
	}
}
