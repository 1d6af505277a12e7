// Package cloudapi is the WhatsApp Cloud API's template components model: the "components" array that Meta's
// messages endpoint takes and that Itniotech and EngageLab forward to Meta as it is. Components turns a
// providers.Message's header, body and buttons into that array; SessionContent turns its session message into
// the free-form message objects (text, image, document, video, location, interactive) the same three take.
//
// What differs between those providers stays with each adapter: the language above all (Meta's LanguageObject
// with policy "deterministic", Itniotech's object with a code only, EngageLab's plain string in a template object
// of its own), and how each encodes an empty media object.
package cloudapi

import (
	"fmt"
	"strconv"

	"herald/providers"
)

// Component is one filled part of a template: a header, the body or a button. SubType (url, quick_reply) and
// Index (the button's position among the template's buttons, as a string "0".."9") are set for buttons only.
type Component struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"`
	Parameters []Parameter `json:"parameters"`
}

// Parameter is one template parameter; exactly one of its value fields is set, the one Type names.
type Parameter struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Payload  string    `json:"payload,omitempty"`
	Image    *Media    `json:"image,omitempty"`
	Video    *Media    `json:"video,omitempty"`
	Document *Media    `json:"document,omitempty"`
	Location *Location `json:"location,omitempty"`
	Currency *Currency `json:"currency,omitempty"`
	DateTime *DateTime `json:"date_time,omitempty"`
}

// Currency is a currency parameter (the CurrencyObject): the text shown if localization fails, the ISO 4217
// code and the amount x 1000.
type Currency struct {
	FallbackValue string `json:"fallback_value"`
	Code          string `json:"code"`
	Amount1000    int64  `json:"amount_1000"`
}

// DateTime is a date_time parameter (the DateTimeObject): its fallback text, which the Cloud API always shows.
type DateTime struct {
	FallbackValue string `json:"fallback_value"`
}

// Media is an image, video or document given by link (the MediaObject); Filename is a document's only, Caption
// a session message's only (a template's media has none).
type Media struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"`
	Caption  string `json:"caption,omitempty"`
}

// Location is a location header's parameter. The coordinates are strings, as the documents write them.
type Location struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// Template is the template object of Meta's and Itniotech's requests: the approved template's name, its language
// and the filled components. Language is left out when it is zero: Itniotech documents it as optional, and
// Meta's always carries its policy.
type Template struct {
	Name       string      `json:"name"`
	Language   Language    `json:"language,omitzero"`
	Components []Component `json:"components,omitempty"`
}

// Language is the LanguageObject: the template's language code and, for Meta, the policy its API requires
// ("deterministic"). The providers that take an object with a code only leave Policy empty.
type Language struct {
	Policy string `json:"policy,omitempty"`
	Code   string `json:"code"`
}

// Components returns the header, body and button components of msg, in that order, with all their parameters
// in one backing array; nil when msg has no parameters. A header takes text, image, video, document or location
// parameters; the body text, currency and date_time; a url button its suffix and a quick_reply button its payload, both text. A
// parameter of kind "" is text. Anything else is an error naming the part, the parameter and its kind, and
// nothing is built: the adapter returns it as a permanent error for the row.
func Components(msg providers.Message) ([]Component, error) {
	count, n := len(msg.Buttons), len(msg.Header)+len(msg.Body)
	if len(msg.Header) > 0 {
		count++
	}
	if len(msg.Body) > 0 {
		count++
	}
	if count == 0 {
		return nil, nil
	}
	for _, b := range msg.Buttons {
		n += len(b.Params)
	}
	bl := builder{params: make([]Parameter, 0, n), comps: make([]Component, 0, count)}
	if len(msg.Header) > 0 {
		if err := bl.add(Component{Type: "header"}, msg.Header, headerParameter); err != nil {
			return nil, fmt.Errorf("header %w", err)
		}
	}
	if len(msg.Body) > 0 {
		if err := bl.add(Component{Type: "body"}, msg.Body, bodyParameter); err != nil {
			return nil, fmt.Errorf("body %w", err)
		}
	}
	for _, b := range msg.Buttons {
		convert := urlParameter
		switch b.Kind {
		case providers.ButtonURL:
		case providers.ButtonQuickReply:
			convert = payloadParameter
		default:
			return nil, fmt.Errorf("button %d has kind %q: only url and quick_reply buttons take parameters", b.Index, b.Kind)
		}
		c := Component{Type: "button", SubType: string(b.Kind), Index: strconv.Itoa(b.Index)}
		if err := bl.add(c, b.Params, convert); err != nil {
			return nil, fmt.Errorf("button %d %w", b.Index, err)
		}
	}
	return bl.comps, nil
}

// builder appends components whose parameters share one backing array.
type builder struct {
	params []Parameter
	comps  []Component
}

// add converts in with convert and appends c with those parameters. The error names the parameter, from 1.
func (bl *builder) add(c Component, in []providers.Param, convert func(providers.Param) (Parameter, error)) error {
	start := len(bl.params)
	for i, p := range in {
		pp, err := convert(p)
		if err != nil {
			return fmt.Errorf("parameter %d: %w", i+1, err)
		}
		bl.params = append(bl.params, pp)
	}
	c.Parameters = bl.params[start:len(bl.params):len(bl.params)]
	bl.comps = append(bl.comps, c)
	return nil
}

// headerParameter converts a header parameter: text, image, video, document (link and file name) or location.
func headerParameter(p providers.Param) (Parameter, error) {
	switch p.Kind {
	case providers.ParamText, "":
		return Parameter{Type: "text", Text: p.Text}, nil
	case providers.ParamImage:
		return Parameter{Type: "image", Image: &Media{Link: p.Text}}, nil
	case providers.ParamVideo:
		return Parameter{Type: "video", Video: &Media{Link: p.Text}}, nil
	case providers.ParamDocument:
		return Parameter{Type: "document", Document: &Media{Link: p.Text, Filename: p.Filename}}, nil
	case providers.ParamLocation:
		return Parameter{Type: "location", Location: &Location{Latitude: p.Latitude, Longitude: p.Longitude,
			Name: p.Name, Address: p.Address}}, nil
	}
	return Parameter{}, fmt.Errorf("kind %q is not a header parameter: use text, image, video, document or location", p.Kind)
}

// bodyParameter converts a body parameter: text, currency (its fallback text, code and amount x 1000) or
// date_time (its fallback text).
func bodyParameter(p providers.Param) (Parameter, error) {
	switch p.Kind {
	case providers.ParamText, "":
		return Parameter{Type: "text", Text: p.Text}, nil
	case providers.ParamCurrency:
		return Parameter{Type: "currency", Currency: &Currency{FallbackValue: p.Text, Code: p.CurrencyCode,
			Amount1000: p.Amount1000}}, nil
	case providers.ParamDateTime:
		return Parameter{Type: "date_time", DateTime: &DateTime{FallbackValue: p.Text}}, nil
	}
	return Parameter{}, fmt.Errorf("kind %q is not allowed here: a template body takes text, currency and date_time parameters", p.Kind)
}

// urlParameter converts a URL button's suffix: text only.
func urlParameter(p providers.Param) (Parameter, error) {
	if p.Kind != providers.ParamText && p.Kind != "" {
		return Parameter{}, fmt.Errorf("kind %q is not allowed here: a URL button's suffix is a text parameter", p.Kind)
	}
	return Parameter{Type: "text", Text: p.Text}, nil
}

// payloadParameter converts a quick reply button's payload: text only.
func payloadParameter(p providers.Param) (Parameter, error) {
	if p.Kind != providers.ParamText && p.Kind != "" {
		return Parameter{}, fmt.Errorf("kind %q is not a quick reply payload: use a text parameter", p.Kind)
	}
	return Parameter{Type: "payload", Payload: p.Text}, nil
}

// AppendJSON appends t's JSON, byte for byte as json.Marshal writes it, without reflection: the Meta adapter
// builds every request body with it.
func (t *Template) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"name":`...)
	dst = providers.AppendJSONString(dst, t.Name)
	if t.Language != (Language{}) {
		dst = append(dst, `,"language":{`...)
		if t.Language.Policy != "" {
			dst = append(dst, `"policy":`...)
			dst = providers.AppendJSONString(dst, t.Language.Policy)
			dst = append(dst, ',')
		}
		dst = append(dst, `"code":`...)
		dst = providers.AppendJSONString(dst, t.Language.Code)
		dst = append(dst, '}')
	}
	if len(t.Components) > 0 {
		dst = append(dst, `,"components":[`...)
		for i := range t.Components {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = t.Components[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendJSON appends c's JSON as json.Marshal writes it.
func (c *Component) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = providers.AppendJSONString(dst, c.Type)
	dst = appendStringField(dst, "sub_type", c.SubType)
	dst = appendStringField(dst, "index", c.Index)
	if c.Parameters == nil {
		return append(dst, `,"parameters":null}`...)
	}
	dst = append(dst, `,"parameters":[`...)
	for i := range c.Parameters {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = c.Parameters[i].appendJSON(dst)
	}
	return append(dst, "]}"...)
}

// appendJSON appends p's JSON as json.Marshal writes it.
func (p *Parameter) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = providers.AppendJSONString(dst, p.Type)
	dst = appendStringField(dst, "text", p.Text)
	dst = appendStringField(dst, "payload", p.Payload)
	dst = appendMedia(dst, "image", p.Image)
	dst = appendMedia(dst, "video", p.Video)
	dst = appendMedia(dst, "document", p.Document)
	if l := p.Location; l != nil {
		dst = append(dst, `,"location":{"latitude":`...)
		dst = providers.AppendJSONString(dst, l.Latitude)
		dst = append(dst, `,"longitude":`...)
		dst = providers.AppendJSONString(dst, l.Longitude)
		dst = appendStringField(dst, "name", l.Name)
		dst = appendStringField(dst, "address", l.Address)
		dst = append(dst, '}')
	}
	if c := p.Currency; c != nil {
		dst = append(dst, `,"currency":{"fallback_value":`...)
		dst = providers.AppendJSONString(dst, c.FallbackValue)
		dst = append(dst, `,"code":`...)
		dst = providers.AppendJSONString(dst, c.Code)
		dst = append(dst, `,"amount_1000":`...)
		dst = strconv.AppendInt(dst, c.Amount1000, 10)
		dst = append(dst, '}')
	}
	if d := p.DateTime; d != nil {
		dst = append(dst, `,"date_time":{"fallback_value":`...)
		dst = providers.AppendJSONString(dst, d.FallbackValue)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// appendMedia appends `,"key":{...}` for a media object, nothing for nil.
func appendMedia(dst []byte, key string, m *Media) []byte {
	if m == nil {
		return dst
	}
	dst = append(dst, `,"`...)
	dst = append(dst, key...)
	dst = append(dst, `":{"link":`...)
	dst = providers.AppendJSONString(dst, m.Link)
	dst = appendStringField(dst, "filename", m.Filename)
	return append(dst, '}')
}

// appendStringField appends `,"key":"value"` unless value is empty (the omitempty fields).
func appendStringField(dst []byte, key, value string) []byte {
	if value == "" {
		return dst
	}
	dst = append(dst, `,"`...)
	dst = append(dst, key...)
	dst = append(dst, `":`...)
	return providers.AppendJSONString(dst, value)
}
