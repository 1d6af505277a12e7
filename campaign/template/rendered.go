package template

import "herald/providers"

// Rendered is one row's message, filled from its CSV cells: the exact text the recipient reads (for previews)
// and the ordered parameters the provider receives.
type Rendered struct {
	// Header is what the recipient sees above the body; its Kind is "" when the template has no header.
	Header RenderedHeader
	// Body and Footer are the filled texts.
	Body   string
	Footer string
	// Buttons are all the template's buttons in order, as the recipient sees them.
	Buttons []RenderedButton
	// Message holds the template name, language and ordered header/body/button parameters. To and Ref are
	// left empty: the engine sets them per row attempt.
	Message providers.Message
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
	// Kind is url or quick_reply.
	Kind providers.ButtonKind
	// Text is the button's label.
	Text string
	// URL is the filled link of a URL button.
	URL string
	// Payload is a quick reply's filled payload; OptOut marks the quick reply that opts the number out.
	Payload string
	OptOut  bool
}
