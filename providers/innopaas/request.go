package innopaas

import (
	"fmt"

	"herald/providers"
)

// submitRequest is the body of POST /api/whatsapp/v3/msg/submit, fields in the order of
// innopaas-msg-submit.txt: a template message's (language, templateName and the parameters), or a session
// message's (body for text, media, location or interactive: session.go).
type submitRequest struct {
	WabaID          string          `json:"wabaId"`
	MessageType     string          `json:"messageType"`
	UID             string          `json:"uid,omitempty"`
	SendNumber      string          `json:"sendNumber"`
	RecipientNumber string          `json:"recipientNumber"`
	Body            string          `json:"body,omitempty"`
	Language        string          `json:"language,omitempty"`
	TemplateName    string          `json:"templateName,omitempty"`
	Header          *headerDto      `json:"header,omitempty"`
	BodyParams      []string        `json:"bodyParams,omitempty"`
	ButtonParams    []parameterDto  `json:"buttonParams,omitempty"`
	Media           *mediaDto       `json:"media,omitempty"`
	Location        *locationDto    `json:"location,omitempty"`
	Interactive     *interactiveDto `json:"interactive,omitempty"`
}

// headerDto is the template header's variable or media (the document's HeaderDto, whose fields InnoPaaS does not
// publish). Its shape follows the header object the same document does show, the interactive message's header
// (type text, image, video or document; link; paramValue), with the media message's filename. That object has
// no location, so neither does herald's (a location header is refused: see Capabilities).
type headerDto struct {
	Type       string `json:"type"`
	ParamValue string `json:"paramValue,omitempty"`
	Link       string `json:"link,omitempty"`
	Filename   string `json:"filename,omitempty"`
}

// parameterDto is one button's value (the document's ParameterDto, unpublished; buttonParams are "required when
// the template button is a dynamic link"): the button's index among the template's buttons, its type (url) and
// its value (the URL suffix), named like the header's variable.
type parameterDto struct {
	Index      int    `json:"index"`
	Type       string `json:"type"`
	ParamValue string `json:"paramValue"`
}

// buildRequest turns msg into the submit body. What InnoPaaS cannot carry at all (a location header, a quick
// reply's payload: see Capabilities) is a fatal refusal, the same for every row; a message herald's renderer
// should never produce (a media body parameter, a button without its value) is a permanent error. Typed body
// parameters go as their text: bodyParams are strings.
func (a *Adapter) buildRequest(msg providers.Message) (submitRequest, error) {
	if r := Capabilities().Refuse(providers.NeedsOf(msg)); r != nil {
		return submitRequest{}, r.AsError()
	}
	if msg.Session != nil {
		return a.sessionRequest(msg)
	}
	req := submitRequest{
		WabaID:          a.wabaID,
		MessageType:     "template",
		UID:             msg.Ref,
		SendNumber:      a.sendNumber,
		RecipientNumber: msg.To,
		Language:        msg.Language,
		TemplateName:    msg.Template,
	}
	if len(msg.Header) > 0 {
		h, err := header(msg.Header[0])
		if err != nil {
			return submitRequest{}, err
		}
		req.Header = h
	}
	if len(msg.Body) > 0 {
		req.BodyParams = make([]string, len(msg.Body))
		for i, p := range msg.Body {
			switch p.Kind {
			case providers.ParamText, providers.ParamCurrency, providers.ParamDateTime:
			default:
				return submitRequest{}, badMessage("body parameter %d is of kind %q: a template body takes text only", i+1, p.Kind)
			}
			req.BodyParams[i] = p.Text
		}
	}
	if len(msg.Buttons) > 0 {
		req.ButtonParams = make([]parameterDto, len(msg.Buttons))
		for i, b := range msg.Buttons {
			if b.Kind != providers.ButtonURL {
				return submitRequest{}, badMessage("button %d is of kind %q: InnoPaaS takes url values only", b.Index, b.Kind)
			}
			if len(b.Params) != 1 {
				return submitRequest{}, badMessage("button %d has %d parameters: a %s button takes exactly one", b.Index, len(b.Params), b.Kind)
			}
			req.ButtonParams[i] = parameterDto{Index: b.Index, Type: string(b.Kind), ParamValue: b.Params[0].Text}
		}
	}
	return req, nil
}

// header converts the template header's one parameter.
func header(p providers.Param) (*headerDto, error) {
	h := &headerDto{Type: string(p.Kind)}
	switch p.Kind {
	case providers.ParamText:
		h.ParamValue = p.Text
	case providers.ParamImage, providers.ParamVideo:
		h.Link = p.Text
	case providers.ParamDocument:
		h.Link, h.Filename = p.Text, p.Filename
	default:
		return nil, badMessage("the header parameter is of kind %q: use text, image, video or document", p.Kind)
	}
	return h, nil
}

// badMessage is the permanent error for a message the adapter cannot put into an InnoPaaS request.
func badMessage(format string, args ...any) *providers.Error {
	return &providers.Error{Class: providers.ClassPermanent, Code: "bad_message", Message: fmt.Sprintf(format, args...)}
}
