package meta

import (
	"encoding/json"
	"fmt"

	"herald/providers"
	"herald/providers/cloudapi"
)

// encode is the JSON body of msg: a template message (appended by hand, every message's path), or a session
// message (session.go). A message herald should never build is a permanent error for its row.
func encode(msg providers.Message) ([]byte, error) {
	if msg.Session == nil {
		body, err := buildRequest(msg)
		if err != nil {
			return nil, &providers.Error{Class: providers.ClassPermanent, Code: "invalid_message",
				Message: fmt.Sprintf("template %q: %v", msg.Template, err), Err: err}
		}
		return body.appendJSON(make([]byte, 0, requestSizeHint)), nil
	}
	what := "the session " + string(msg.Session.Kind) + " message"
	body, err := buildSessionRequest(msg)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "invalid_message",
			Message: fmt.Sprintf("%s: %v", what, err), Err: err}
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "invalid_message",
			Message: fmt.Sprintf("encoding %s as JSON: %v", what, err), Err: err}
	}
	return payload, nil
}

// sendRequest is the body of POST /{api_version}/{phone_number_id}/messages for a template message, as the
// Cloud API's TemplateMessage schema describes it.
type sendRequest struct {
	MessagingProduct string            `json:"messaging_product"`
	RecipientType    string            `json:"recipient_type"`
	To               string            `json:"to"`
	Type             string            `json:"type"`
	Template         cloudapi.Template `json:"template"`
	// BizOpaqueCallbackData is an arbitrary string (at most 512 characters) Meta returns in the status
	// webhooks of the message: herald's client reference.
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data,omitempty"`
}

// languagePolicy is the LanguageObject's policy: the spec lists it as required, "deterministic" its only value.
const languagePolicy = "deterministic"

// buildRequest turns msg into the Cloud API body. It fails only on a message the campaign should never build
// (an unknown parameter or button kind); the error says which part of the message is wrong.
func buildRequest(msg providers.Message) (*sendRequest, error) {
	components, err := cloudapi.Components(msg)
	if err != nil {
		return nil, err
	}
	return &sendRequest{
		MessagingProduct: "whatsapp",
		RecipientType:    "individual",
		To:               msg.To,
		Type:             "template",
		Template: cloudapi.Template{
			Name:       msg.Template,
			Language:   cloudapi.Language{Policy: languagePolicy, Code: msg.Language},
			Components: components,
		},
		BizOpaqueCallbackData: msg.Ref,
	}, nil
}

// appendJSON appends the request's JSON, byte for byte as json.Marshal writes it (request_test.go proves it),
// without reflection: this is every message's body.
func (r *sendRequest) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"messaging_product":`...)
	dst = providers.AppendJSONString(dst, r.MessagingProduct)
	dst = append(dst, `,"recipient_type":`...)
	dst = providers.AppendJSONString(dst, r.RecipientType)
	dst = append(dst, `,"to":`...)
	dst = providers.AppendJSONString(dst, r.To)
	dst = append(dst, `,"type":`...)
	dst = providers.AppendJSONString(dst, r.Type)
	dst = append(dst, `,"template":`...)
	dst = r.Template.AppendJSON(dst)
	if r.BizOpaqueCallbackData != "" {
		dst = append(dst, `,"biz_opaque_callback_data":`...)
		dst = providers.AppendJSONString(dst, r.BizOpaqueCallbackData)
	}
	return append(dst, '}')
}
