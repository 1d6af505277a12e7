package meta

import (
	"fmt"
	"strconv"

	"herald/providers"
)

// sendRequest is the body of POST /{api_version}/{phone_number_id}/messages for a template message, as the
// Cloud API's TemplateMessage schema describes it.
type sendRequest struct {
	MessagingProduct string   `json:"messaging_product"`
	RecipientType    string   `json:"recipient_type"`
	To               string   `json:"to"`
	Type             string   `json:"type"`
	Template         template `json:"template"`
	// BizOpaqueCallbackData is an arbitrary string (at most 512 characters) Meta returns in the status
	// webhooks of the message: herald's client reference.
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data,omitempty"`
}

// template is the TemplateObject: the approved template's name, its language and the filled components.
type template struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components,omitempty"`
}

// language is the LanguageObject; the spec lists policy as required and "deterministic" as its only value.
type language struct {
	Policy string `json:"policy"`
	Code   string `json:"code"`
}

// component is a header, body or button component with its parameters. SubType and Index are set for buttons
// only.
type component struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one template parameter: exactly one of its value fields is set, the one its Type names.
type parameter struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Payload  string    `json:"payload,omitempty"`
	Image    *media    `json:"image,omitempty"`
	Video    *media    `json:"video,omitempty"`
	Document *media    `json:"document,omitempty"`
	Location *location `json:"location,omitempty"`
}

// media is a MediaObject given by link; Filename is for documents only.
type media struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"`
}

// location is a location header's parameter.
type location struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// buildRequest turns msg into the Cloud API body. It fails only on a message the campaign should never build
// (an unknown parameter or button kind); the error says which part of the message is wrong.
func buildRequest(msg providers.Message) (sendRequest, error) {
	n := len(msg.Buttons)
	if len(msg.Header) > 0 {
		n++
	}
	if len(msg.Body) > 0 {
		n++
	}
	components := make([]component, 0, n)
	if len(msg.Header) > 0 {
		params, err := headerParameters(msg.Header)
		if err != nil {
			return sendRequest{}, err
		}
		components = append(components, component{Type: "header", Parameters: params})
	}
	if len(msg.Body) > 0 {
		params := make([]parameter, len(msg.Body))
		for i, p := range msg.Body {
			if p.Kind != providers.ParamText {
				return sendRequest{}, fmt.Errorf("body parameter %d is a %q parameter: WhatsApp template bodies take text parameters only", i+1, p.Kind)
			}
			params[i] = parameter{Type: "text", Text: p.Text}
		}
		components = append(components, component{Type: "body", Parameters: params})
	}
	for _, b := range msg.Buttons {
		c, err := buttonComponent(b)
		if err != nil {
			return sendRequest{}, err
		}
		components = append(components, c)
	}
	return sendRequest{
		MessagingProduct: "whatsapp",
		RecipientType:    "individual",
		To:               msg.To,
		Type:             "template",
		Template: template{
			Name:       msg.Template,
			Language:   language{Policy: "deterministic", Code: msg.Language},
			Components: components,
		},
		BizOpaqueCallbackData: msg.Ref,
	}, nil
}

// headerParameters converts the header's parameters: text, image, video, document (link and file name) or
// location.
func headerParameters(header []providers.Param) ([]parameter, error) {
	params := make([]parameter, len(header))
	for i, p := range header {
		switch p.Kind {
		case providers.ParamText:
			params[i] = parameter{Type: "text", Text: p.Text}
		case providers.ParamImage:
			params[i] = parameter{Type: "image", Image: &media{Link: p.Text}}
		case providers.ParamVideo:
			params[i] = parameter{Type: "video", Video: &media{Link: p.Text}}
		case providers.ParamDocument:
			params[i] = parameter{Type: "document", Document: &media{Link: p.Text, Filename: p.Filename}}
		case providers.ParamLocation:
			params[i] = parameter{Type: "location", Location: &location{Latitude: p.Latitude, Longitude: p.Longitude,
				Name: p.Name, Address: p.Address}}
		default:
			return nil, fmt.Errorf("header parameter %d has kind %q: use text, image, video, document or location", i+1, p.Kind)
		}
	}
	return params, nil
}

// buttonComponent converts one button: a URL button's suffix is its text parameter, a quick reply's payload its
// payload parameter.
func buttonComponent(b providers.ButtonParams) (component, error) {
	var typ string
	switch b.Kind {
	case providers.ButtonURL:
		typ = "text"
	case providers.ButtonQuickReply:
		typ = "payload"
	default:
		return component{}, fmt.Errorf("button %d has kind %q: use url or quick_reply", b.Index, b.Kind)
	}
	params := make([]parameter, len(b.Params))
	for i, p := range b.Params {
		if typ == "text" {
			params[i] = parameter{Type: typ, Text: p.Text}
		} else {
			params[i] = parameter{Type: typ, Payload: p.Text}
		}
	}
	return component{Type: "button", SubType: string(b.Kind), Index: strconv.Itoa(b.Index), Parameters: params}, nil
}
