package engagelab

import (
	"encoding/json"
	"fmt"

	"herald/providers"
	"herald/providers/cloudapi"
)

// sendRequest is the body of POST /v1/messages, as EngageLab's document shows it.
type sendRequest struct {
	From string `json:"from"`
	// To is the recipients: one for Send, up to MaxRecipients for SendBatch.
	To   []string    `json:"to"`
	Body messageBody `json:"body"`
	// RequestID is EngageLab's client request id, echoed in the answer: it carries Message.Ref.
	RequestID string `json:"request_id,omitempty"`
}

// messageBody is the document's body object for a template message.
type messageBody struct {
	Type     string          `json:"type"`
	Template templateMessage `json:"template"`
}

// templateMessage is the document's template object. Its language is a plain string (the code), not the Cloud
// API's LanguageObject; its components are the Cloud API's.
type templateMessage struct {
	Name       string               `json:"name"`
	Language   string               `json:"language"`
	Components []cloudapi.Component `json:"components,omitempty"`
}

// encodeRequest builds the JSON body for msg (a template message, or a session message: session.go) sent from
// from to the numbers to. What EngageLab cannot carry at all (a location header: see Capabilities) is a fatal
// refusal, the same for every row; a parameter of a kind no template takes
// is a permanent error for the row.
func encodeRequest(from string, msg providers.Message, to []string) ([]byte, error) {
	if r := Capabilities().Refuse(providers.NeedsOf(msg)); r != nil {
		return nil, r.AsError()
	}
	if msg.Session != nil {
		return encodeSession(from, msg, to)
	}
	comps, err := cloudapi.Components(msg)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "unsupported_parameter",
			Message: "EngageLab templates cannot carry this message: " + err.Error(), Err: err}
	}
	omitEmptyMedia(comps)
	req := sendRequest{
		From:      from,
		To:        to,
		Body:      messageBody{Type: "template", Template: templateMessage{Name: msg.Template, Language: msg.Language, Components: comps}},
		RequestID: msg.Ref,
	}
	b, err := json.Marshal(&req)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: fmt.Sprintf("encoding the EngageLab request: %v", err), Err: err}
	}
	return b, nil
}

// omitEmptyMedia leaves out the media and location objects that hold nothing, as EngageLab's encoding always
// has (its media fields are omitzero): an image parameter without a link goes as {"type":"image"}, where the
// Cloud API's encoding sends {"type":"image","image":{"link":""}}.
func omitEmptyMedia(comps []cloudapi.Component) {
	for i := range comps {
		for j := range comps[i].Parameters {
			p := &comps[i].Parameters[j]
			p.Image, p.Video, p.Document = nonEmpty(p.Image), nonEmpty(p.Video), nonEmpty(p.Document)
			if p.Location != nil && *p.Location == (cloudapi.Location{}) {
				p.Location = nil
			}
		}
	}
}

// nonEmpty returns m, or nil when m holds nothing.
func nonEmpty(m *cloudapi.Media) *cloudapi.Media {
	if m != nil && *m == (cloudapi.Media{}) {
		return nil
	}
	return m
}
