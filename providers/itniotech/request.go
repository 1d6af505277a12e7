package itniotech

import (
	"fmt"
	"strconv"

	"herald/providers"
)

// channelWhatsApp is the documented channelType for WhatsApp, the only one.
const channelWhatsApp = 0

// sendRequest is the body of POST /wa/template/sendMsg.
type sendRequest struct {
	AppID         string   `json:"appId"`
	BusinessPhone string   `json:"businessPhone"`
	Recipient     string   `json:"recipient"`
	ChannelType   int      `json:"channelType"`
	Template      template `json:"template"`
}

// template names the approved template and fills its variables.
type template struct {
	Name       string      `json:"name"`
	Language   language    `json:"language,omitzero"`
	Components []component `json:"components,omitempty"`
}

// language is the template's language code (en_US).
type language struct {
	Code string `json:"code"`
}

// component fills one part of the template. Itniotech's summary lists header, body and button; a button also
// carries WhatsApp's sub_type and index (a string, "0".."9"), which Itniotech forwards to Meta.
type component struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one variable's value; exactly one of the value fields is set, named by Type.
type parameter struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Payload  string    `json:"payload,omitempty"`
	Image    *media    `json:"image,omitempty"`
	Video    *media    `json:"video,omitempty"`
	Document *media    `json:"document,omitempty"`
	Location *location `json:"location,omitempty"`
}

// media is an image, video or document header given by link.
type media struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"`
}

// location is a location header; Itniotech documents the coordinates as strings.
type location struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// newSendRequest builds the request body for msg. A parameter of a kind Itniotech cannot carry is a permanent
// error for the row; Message.Ref has no field to go in.
func newSendRequest(appID, businessPhone string, msg providers.Message) (*sendRequest, error) {
	components := make([]component, 0, 2+len(msg.Buttons))
	if len(msg.Header) > 0 {
		params, err := parameters("header", msg.Header)
		if err != nil {
			return nil, err
		}
		components = append(components, component{Type: "header", Parameters: params})
	}
	if len(msg.Body) > 0 {
		params, err := parameters("body", msg.Body)
		if err != nil {
			return nil, err
		}
		components = append(components, component{Type: "body", Parameters: params})
	}
	for _, b := range msg.Buttons {
		c, err := button(b)
		if err != nil {
			return nil, err
		}
		components = append(components, c)
	}
	return &sendRequest{AppID: appID, BusinessPhone: businessPhone, Recipient: msg.To, ChannelType: channelWhatsApp,
		Template: template{Name: msg.Template, Language: language{Code: msg.Language}, Components: components}}, nil
}

// parameters converts the parameters of one component (header or body), in order.
func parameters(where string, ps []providers.Param) ([]parameter, error) {
	out := make([]parameter, len(ps))
	for i, p := range ps {
		switch p.Kind {
		case providers.ParamText, "":
			out[i] = parameter{Type: "text", Text: p.Text}
		case providers.ParamImage:
			out[i] = parameter{Type: "image", Image: &media{Link: p.Text}}
		case providers.ParamVideo:
			out[i] = parameter{Type: "video", Video: &media{Link: p.Text}}
		case providers.ParamDocument:
			out[i] = parameter{Type: "document", Document: &media{Link: p.Text, Filename: p.Filename}}
		case providers.ParamLocation:
			out[i] = parameter{Type: "location", Location: &location{Latitude: p.Latitude, Longitude: p.Longitude,
				Name: p.Name, Address: p.Address}}
		default:
			return nil, badMessage("%s parameter %d is of kind %q, which Itniotech templates do not take: use text, image, video, document or location in the template file",
				where, i+1, p.Kind)
		}
	}
	return out, nil
}

// button converts one button's parameters: a URL button's suffix as text, a quick reply's payload.
func button(b providers.ButtonParams) (component, error) {
	if b.Kind != providers.ButtonURL && b.Kind != providers.ButtonQuickReply {
		return component{}, badMessage("button %d is of kind %q, which takes no parameters: only url and quick_reply buttons are filled",
			b.Index, b.Kind)
	}
	c := component{Type: "button", SubType: string(b.Kind), Index: strconv.Itoa(b.Index),
		Parameters: make([]parameter, len(b.Params))}
	for i, p := range b.Params {
		if b.Kind == providers.ButtonQuickReply {
			c.Parameters[i] = parameter{Type: "payload", Payload: p.Text}
		} else {
			c.Parameters[i] = parameter{Type: "text", Text: p.Text}
		}
	}
	return c, nil
}

// badMessage is the permanent error for a message Itniotech cannot carry.
func badMessage(format string, args ...any) *providers.Error {
	return &providers.Error{Class: providers.ClassPermanent, Code: "bad_message", Message: fmt.Sprintf(format, args...)}
}
