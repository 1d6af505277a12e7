package itniotech

import (
	"herald/providers"
	"herald/providers/cloudapi"
)

// channelWhatsApp is the documented channelType for WhatsApp, the only one.
const channelWhatsApp = 0

// sendRequest is the body of POST /wa/template/sendMsg.
type sendRequest struct {
	AppID         string            `json:"appId"`
	BusinessPhone string            `json:"businessPhone"`
	Recipient     string            `json:"recipient"`
	ChannelType   int               `json:"channelType"`
	Template      cloudapi.Template `json:"template"`
}

// newSendRequest builds the request body for msg. Itniotech's template object is the Cloud API's (header, body
// and button components; a button's sub_type and index are forwarded to Meta), its language an object with a
// code only, left out when the message names none. A parameter of a kind Itniotech cannot carry is a
// permanent error for the row; Message.Ref has no field to go in.
func newSendRequest(appID, businessPhone string, msg providers.Message) (*sendRequest, error) {
	components, err := cloudapi.Components(msg)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "Itniotech templates cannot carry this message: " + err.Error(), Err: err}
	}
	return &sendRequest{AppID: appID, BusinessPhone: businessPhone, Recipient: msg.To, ChannelType: channelWhatsApp,
		Template: cloudapi.Template{Name: msg.Template, Language: cloudapi.Language{Code: msg.Language}, Components: components}}, nil
}
