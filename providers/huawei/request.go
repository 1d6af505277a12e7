package huawei

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"herald/providers"
)

// sendRequest is the body of sendWhatsappMessage (Table 2). herald sends one destination per request, so that
// every answer speaks of exactly one row.
type sendRequest struct {
	BulkID       string        `json:"bulkId"`
	Destinations []destination `json:"destinations"`
	WhatsApp     whatsApp      `json:"whatsApp"`
	// SendAt is the scheduled send time (SendAtLayout), empty to send at once.
	SendAt string `json:"sendAt,omitempty"`
}

// SendAtLayout is how sendAt is written. The CEC's document gives sendAt no format; the OMNI API it follows
// (the same /omni/1/advanced with scenarioKey, bulkId, destinations and sendAt) documents
// yyyy-MM-dd'T'HH:mm:ss.SSSZ, which herald sends in UTC: 2025-01-16T00:00:00.000+0000.
const SendAtLayout = "2006-01-02T15:04:05.000-0700"

// destination is one recipient (Table 8); MessageID is the client's id for the message.
type destination struct {
	MessageID string    `json:"messageId"`
	To        recipient `json:"to"`
}

// recipient is the toObject (Table 10): the number in international format without '+'.
type recipient struct {
	PhoneNumber string `json:"phoneNumber"`
}

// whatsApp is the whatsApp object (Table 3) for a template message. A template with only body parameters sends
// them as templateData, as the document's example does ("templateData": [] when there are none); a template
// with a header or buttons sends mediaTemplateData instead.
type whatsApp struct {
	TemplateName      string             `json:"templateName"`
	TemplateData      []string           `json:"templateData,omitzero"`
	Language          string             `json:"language"`
	MediaTemplateData *mediaTemplateData `json:"mediaTemplateData,omitempty"`
}

// mediaTemplateData is Table 4. Body.Placeholders is never null: the document allows an empty array only.
type mediaTemplateData struct {
	Header  *header  `json:"header,omitempty"`
	Body    body     `json:"body"`
	Buttons []button `json:"buttons,omitempty"`
}

// header is the HeaderObject (Table 5): one of a text placeholder, an image or video URL, or a location's
// latitude and longitude, which the document types as numbers.
type header struct {
	TextPlaceholder string      `json:"textPlaceholder,omitempty"`
	ImageURL        string      `json:"imageUrl,omitempty"`
	VideoURL        string      `json:"videoUrl,omitempty"`
	Latitude        json.Number `json:"latitude,omitempty"`
	Longitude       json.Number `json:"longitude,omitempty"`
}

// body is the BodyObject (Table 6).
type body struct {
	Placeholders []string `json:"placeholders"`
}

// button is the ButtonObject (Table 7): a dynamic URL button's suffix or a quick reply's payload.
type button struct {
	URLPlaceholder    string `json:"urlPlaceholder,omitempty"`
	QuickReplyPayload string `json:"quickReplyPayload,omitempty"`
}

// maxButtons is the most buttons a WhatsApp template has.
const maxButtons = 10

// newSendRequest builds the body for msg, to be sent at at (zero: at once). It fails, before anything is sent,
// for what the CEC's document has no field for: a document header (HeaderObject has no document: see Capabilities) is fatal, since every row of
// the template would fail alike; a location outside the documented ranges or a button index out of range fails
// the row. A location header's name and address are not sent: HeaderObject has only latitude and longitude.
// Typed body parameters go as their text: placeholders are strings.
func newSendRequest(msg providers.Message, at time.Time) (*sendRequest, error) {
	if r := Capabilities().Refuse(providers.NeedsOf(msg)); r != nil {
		return nil, r.AsError()
	}
	req := &sendRequest{BulkID: msg.Ref,
		Destinations: []destination{{MessageID: msg.Ref, To: recipient{PhoneNumber: msg.To}}},
		WhatsApp:     whatsApp{TemplateName: msg.Template, Language: msg.Language}}
	if !at.IsZero() {
		req.SendAt = at.UTC().Format(SendAtLayout)
	}
	placeholders := make([]string, len(msg.Body))
	for i, p := range msg.Body {
		placeholders[i] = p.Text
	}
	if len(msg.Header) == 0 && len(msg.Buttons) == 0 {
		req.WhatsApp.TemplateData = placeholders
		return req, nil
	}
	media := &mediaTemplateData{Body: body{Placeholders: placeholders}}
	if len(msg.Header) > 0 {
		h, err := newHeader(msg.Header)
		if err != nil {
			return nil, err
		}
		media.Header = h
	}
	buttons, err := newButtons(msg.Buttons)
	if err != nil {
		return nil, err
	}
	media.Buttons = buttons
	req.WhatsApp.MediaTemplateData = media
	return req, nil
}

// newHeader maps the header's one parameter to a HeaderObject.
func newHeader(params []providers.Param) (*header, error) {
	if len(params) != 1 {
		return nil, rowError("bad_header", fmt.Sprintf("the header has %d parameters: a WhatsApp header takes one", len(params)))
	}
	p := params[0]
	switch p.Kind {
	case providers.ParamText:
		return &header{TextPlaceholder: p.Text}, nil
	case providers.ParamImage:
		return &header{ImageURL: p.Text}, nil
	case providers.ParamVideo:
		return &header{VideoURL: p.Text}, nil
	case providers.ParamLocation:
		lat, err := coordinate(p.Latitude, "latitude", 90)
		if err != nil {
			return nil, err
		}
		lng, err := coordinate(p.Longitude, "longitude", 180)
		if err != nil {
			return nil, err
		}
		return &header{Latitude: lat, Longitude: lng}, nil
	}
	return nil, rowError("bad_header", fmt.Sprintf("the header parameter has kind %q: use text, image, video or location", p.Kind))
}

// coordinate checks a latitude or longitude against ±limit and returns it as a JSON number.
func coordinate(v, name string, limit float64) (json.Number, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > limit {
		return "", rowError("bad_location", fmt.Sprintf("the header's %s %q must be a number from -%g to %g", name, v, limit, limit))
	}
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
}

// newButtons lists the buttons that take a parameter, in the template's order: a dynamic URL button's suffix
// (urlPlaceholder) and every quick reply's payload (quickReplyPayload, which "is required for the quick reply
// button": herald's renderer gives a Huawei message one for each quick reply, the button's text when the
// template names none). A button that takes no parameter (a fixed link) is left out, as in the OMNI API this
// document follows ("only if quick reply or dynamic URL template buttons are used"): an empty object would be a
// quick reply without its payload.
func newButtons(params []providers.ButtonParams) ([]button, error) {
	if len(params) == 0 {
		return nil, nil
	}
	ordered := slices.SortedStableFunc(slices.Values(params), func(a, b providers.ButtonParams) int { return a.Index - b.Index })
	buttons := make([]button, len(ordered))
	for i, b := range ordered {
		switch {
		case b.Index < 0 || b.Index >= maxButtons:
			return nil, rowError("bad_button", fmt.Sprintf("button index %d is out of range: a template has buttons 0 to %d", b.Index, maxButtons-1))
		case i > 0 && ordered[i-1].Index == b.Index:
			return nil, rowError("bad_button", fmt.Sprintf("button %d is given twice", b.Index))
		}
		var v string
		if len(b.Params) > 0 {
			v = b.Params[0].Text
		}
		switch b.Kind {
		case providers.ButtonURL:
			buttons[i].URLPlaceholder = v
		case providers.ButtonQuickReply:
			if v == "" {
				return nil, rowError("missing_payload", fmt.Sprintf("quick reply button %d has no payload: Huawei CEC "+
					"requires quickReplyPayload for every quick reply", b.Index))
			}
			buttons[i].QuickReplyPayload = v
		default:
			return nil, rowError("bad_button", fmt.Sprintf("button %d has kind %q: use url or quick_reply", b.Index, b.Kind))
		}
	}
	return buttons, nil
}

// rowError is a message this row cannot be sent as: nothing was sent.
func rowError(code, msg string) *providers.Error {
	return &providers.Error{Class: providers.ClassPermanent, Code: code, Message: msg}
}
