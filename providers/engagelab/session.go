package engagelab

import (
	"encoding/json"
	"fmt"

	"herald/providers"
	"herald/providers/cloudapi"
)

// sessionRequest is the body of POST /v1/messages for a session message: the body object's type is text,
// image, video or document, with that type's object ("other types of messages require users to reply to
// messages within 24 hours before they can be delivered"). Many recipients may share one request, as for a
// template.
type sessionRequest struct {
	From      string           `json:"from"`
	To        []string         `json:"to"`
	Body      cloudapi.Content `json:"body"`
	RequestID string           `json:"request_id,omitempty"`
}

// encodeSession builds the JSON body of msg's session message to the numbers to.
func encodeSession(from string, msg providers.Message, to []string) ([]byte, error) {
	content, err := cloudapi.SessionContent(msg.Session)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "EngageLab cannot carry this session message: " + err.Error(), Err: err}
	}
	b, err := json.Marshal(&sessionRequest{From: from, To: to, Body: content, RequestID: msg.Ref})
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: fmt.Sprintf("encoding the EngageLab request: %v", err), Err: err}
	}
	return b, nil
}
