// Package campaign is everything between the recipients CSV and the provider: reading and checking rows,
// normalizing numbers, filling the template, the send engine with its durable state store, and the results CSV.
// It never imports a UI package; the TUI and the headless commands both drive it.
package campaign

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
}

// Problem is why a row cannot be sent: a short code for the results CSV and a sentence that says what is wrong
// and how to fix it.
type Problem struct {
	// Code is one of the Code* constants.
	Code string
	// Reason is a human sentence naming the column or value and the fix.
	Reason string
}

// Error formats the problem as its reason.
func (p *Problem) Error() string { return p.Reason }

// Row-level problem codes, as result_error_code shows them.
const (
	CodeEmptyNumber       = "empty_number"
	CodeBadNumber         = "bad_number"
	CodeSpreadsheetNumber = "spreadsheet_number"
	CodeRaggedRow         = "ragged_row"
	CodeNotUTF8           = "not_utf8"
	CodeNULByte           = "nul_byte"
	CodeMissingValue      = "missing_value"
	CodeBadParameter      = "bad_parameter"
	CodeBodyTooLong       = "body_too_long"
	CodeHeaderTooLong     = "header_too_long"
	CodeDuplicate         = "duplicate"
)
