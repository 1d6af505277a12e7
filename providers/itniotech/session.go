package itniotech

import (
	"context"
	"encoding/json"

	"herald/providers"
	"herald/providers/cloudapi"
)

// SessionPath is the documented path of the custom (session) message endpoint (itniotech-custom-sendMsg.txt):
// "custom messages can only be sent after the recipient actively replies", within 24 hours.
const SessionPath = "/wa/custom/sendMsg"

// sessionRequest is the body of POST /wa/custom/sendMsg: the account fields of a template send, then the
// message's type and its object (text, image, document, video, location or interactive) as the Cloud API
// shapes them, which is how the document shows each of them.
type sessionRequest struct {
	AppID         string `json:"appId"`
	BusinessPhone string `json:"businessPhone"`
	Recipient     string `json:"recipient"`
	ChannelType   int    `json:"channelType"`
	cloudapi.Content
}

// sendSession posts msg's session message to custom/sendMsg. The answer's envelope and status codes are the
// template send's (the document lists the same codes, -114 to -135 for a session message's missing parts).
func (a *Adapter) sendSession(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	if r := Capabilities().Refuse(providers.NeedsOf(msg)); r != nil {
		return providers.Receipt{}, r.AsError()
	}
	content, err := cloudapi.SessionContent(msg.Session)
	if err != nil {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "Itniotech's custom messages cannot carry this message: " + err.Error(), Err: err}
	}
	body, err := json.Marshal(&sessionRequest{AppID: a.appID, BusinessPhone: a.businessPhone, Recipient: msg.To,
		ChannelType: channelWhatsApp, Content: content})
	if err != nil {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "the message could not be encoded as JSON: check the row's values", Err: err}
	}
	answer, err := a.post(ctx, a.sessionURL, body)
	if err != nil {
		return providers.Receipt{}, err
	}
	return parseAnswer(answer)
}
