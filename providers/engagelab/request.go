package engagelab

import (
	"encoding/json"
	"fmt"
	"strconv"

	"herald/providers"
)

// sendRequest is the body of POST /v1/messages for one recipient, as EngageLab's document shows it.
type sendRequest struct {
	From string `json:"from"`
	// To is an array in the API; one recipient per request keeps each row's outcome its own.
	To   [1]string   `json:"to"`
	Body messageBody `json:"body"`
	// RequestID is EngageLab's client request id, echoed in the answer: it carries Message.Ref.
	RequestID string `json:"request_id,omitempty"`
}

type messageBody struct {
	Type     string          `json:"type"`
	Template templateMessage `json:"template"`
}

type templateMessage struct {
	Name       string      `json:"name"`
	Language   string      `json:"language"`
	Components []component `json:"components,omitempty"`
}

// component is a header, body or button component. SubType and Index are set for buttons only.
type component struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one template parameter; exactly one of the value fields is set, as Type says.
type parameter struct {
	Type     string   `json:"type"`
	Text     string   `json:"text,omitempty"`
	Payload  string   `json:"payload,omitempty"`
	Image    media    `json:"image,omitzero"`
	Video    media    `json:"video,omitzero"`
	Document media    `json:"document,omitzero"`
	Location location `json:"location,omitzero"`
}

type media struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"`
}

type location struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// encodeRequest builds the JSON body for msg sent from from. A parameter of a kind EngageLab does not take is a
// permanent error for the row.
func encodeRequest(from string, msg providers.Message) ([]byte, error) {
	req := sendRequest{
		From:      from,
		To:        [1]string{msg.To},
		Body:      messageBody{Type: "template", Template: templateMessage{Name: msg.Template, Language: msg.Language}},
		RequestID: msg.Ref,
	}
	comps, err := components(msg)
	if err != nil {
		return nil, err
	}
	req.Body.Template.Components = comps
	b, err := json.Marshal(&req)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: fmt.Sprintf("encoding the EngageLab request for %s: %v", msg.To, err), Err: err}
	}
	return b, nil
}

// components returns the header, body and button components of msg, in that order, with all their parameters
// in one backing array.
func components(msg providers.Message) ([]component, error) {
	n, count := len(msg.Body), len(msg.Buttons)
	if len(msg.Header) > 0 {
		count++
	}
	if len(msg.Body) > 0 {
		count++
	}
	n += len(msg.Header)
	for _, b := range msg.Buttons {
		n += len(b.Params)
	}
	if count == 0 {
		return nil, nil
	}
	params := make([]parameter, 0, n)
	comps := make([]component, 0, count)
	add := func(c component, in []providers.Param, where string, kind func(providers.Param) (parameter, error)) error {
		start := len(params)
		for i, p := range in {
			pp, err := kind(p)
			if err != nil {
				return &providers.Error{Class: providers.ClassPermanent, Code: "unsupported_parameter",
					Message: fmt.Sprintf("%s parameter %d: %v", where, i+1, err)}
			}
			params = append(params, pp)
		}
		c.Parameters = params[start:len(params):len(params)]
		comps = append(comps, c)
		return nil
	}
	if len(msg.Header) > 0 {
		if err := add(component{Type: "header"}, msg.Header, "header", headerParameter); err != nil {
			return nil, err
		}
	}
	if len(msg.Body) > 0 {
		if err := add(component{Type: "body"}, msg.Body, "body", textParameter); err != nil {
			return nil, err
		}
	}
	for _, b := range msg.Buttons {
		c := component{Type: "button", SubType: string(b.Kind), Index: strconv.Itoa(b.Index)}
		kind := textParameter
		switch b.Kind {
		case providers.ButtonURL:
		case providers.ButtonQuickReply:
			kind = payloadParameter
		default:
			return nil, &providers.Error{Class: providers.ClassPermanent, Code: "unsupported_parameter",
				Message: fmt.Sprintf("button %d has kind %q: EngageLab buttons take url or quick_reply parameters", b.Index, b.Kind)}
		}
		if err := add(c, b.Params, "button "+strconv.Itoa(b.Index), kind); err != nil {
			return nil, err
		}
	}
	return comps, nil
}

// headerParameter converts a header parameter: text, image, video, document or location.
func headerParameter(p providers.Param) (parameter, error) {
	switch p.Kind {
	case providers.ParamText:
		return parameter{Type: "text", Text: p.Text}, nil
	case providers.ParamImage:
		return parameter{Type: "image", Image: media{Link: p.Text}}, nil
	case providers.ParamVideo:
		return parameter{Type: "video", Video: media{Link: p.Text}}, nil
	case providers.ParamDocument:
		return parameter{Type: "document", Document: media{Link: p.Text, Filename: p.Filename}}, nil
	case providers.ParamLocation:
		return parameter{Type: "location", Location: location{Latitude: p.Latitude, Longitude: p.Longitude,
			Name: p.Name, Address: p.Address}}, nil
	}
	return parameter{}, fmt.Errorf("kind %q is not a header parameter: use text, image, video, document or location", p.Kind)
}

// textParameter converts a body parameter or a URL button's suffix: text only.
func textParameter(p providers.Param) (parameter, error) {
	if p.Kind != providers.ParamText {
		return parameter{}, fmt.Errorf("kind %q is not allowed here: only text parameters are", p.Kind)
	}
	return parameter{Type: "text", Text: p.Text}, nil
}

// payloadParameter converts a quick reply button's payload.
func payloadParameter(p providers.Param) (parameter, error) {
	if p.Kind != providers.ParamText {
		return parameter{}, fmt.Errorf("kind %q is not a quick reply payload: use a text parameter", p.Kind)
	}
	return parameter{Type: "payload", Payload: p.Text}, nil
}
