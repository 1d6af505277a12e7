package template

import "herald/providers"

// Rendered is one row's message, filled from its CSV cells: the exact text the recipient reads (for previews)
// and the ordered parameters the provider receives. A session message fills the same parts: a text message its
// Body; an image, video or document its Header (the media) and Body (the caption); a location its Header; an
// interactive message its Header, Body, Footer and Buttons (reply buttons) or List.
type Rendered struct {
	// Session is a session message's kind (text, image, ...); "" for a template message.
	Session providers.SessionKind
	// Header is what the recipient sees above the body; its Kind is "" when the template has no header.
	Header RenderedHeader
	// Body and Footer are the filled texts.
	Body   string
	Footer string
	// Buttons are all the template's buttons in order, as the recipient sees them.
	Buttons []RenderedButton
	// List is an interactive list message's list; nil otherwise.
	List *RenderedList
	// Message holds the template name, language and ordered header/body/button parameters, or the session
	// message. To and Ref are left empty: the engine sets them per row attempt.
	Message providers.Message
}

// RenderedList is a list message's list as the recipient sees it once they tap its button.
type RenderedList struct {
	// Button is the label of the button that opens the list.
	Button   string
	Sections []RenderedSection
}

// RenderedSection is one section of a list: its title ("" for a list of one untitled section) and its rows.
type RenderedSection struct {
	Title string
	Rows  []RenderedRow
}

// RenderedRow is one choice of a list: what the recipient reads, and the id reported back when it is picked.
type RenderedRow struct {
	ID, Title, Description string
}

// RenderedHeader is a filled header. Kind is text, image, video, document or location.
type RenderedHeader struct {
	Kind providers.ParamKind
	// Text is the header text, or the media link.
	Text string
	// Filename is a document's file name.
	Filename string
	// Location fields.
	Latitude, Longitude, Name, Address string
}

// RenderedButton is one button as the recipient sees it.
type RenderedButton struct {
	// Kind is url or quick_reply (a session message's reply buttons are quick replies, their id the Payload).
	Kind providers.ButtonKind
	// Text is the button's label.
	Text string
	// URL is the filled link of a URL button.
	URL string
	// Payload is a quick reply's filled payload; OptOut marks the quick reply that opts the number out.
	Payload string
	OptOut  bool
}
