package itniotech

import (
	"herald/providers"
	"herald/providers/cloudapi"
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

// template names the approved template and fills its variables. Itniotech documents the language as an object
// with a code only (no policy), and optional: it is left out when the message names none.
type template struct {
	Name       string               `json:"name"`
	Language   cloudapi.Language    `json:"language,omitzero"`
	Components []cloudapi.Component `json:"components,omitempty"`
}

// newSendRequest builds the request body for msg. Itniotech's components are the Cloud API's (header, body and
// button; a button's sub_type and index are forwarded to Meta). A parameter of a kind Itniotech cannot carry is a
// permanent error for the row; Message.Ref has no field to go in.
func newSendRequest(appID, businessPhone string, msg providers.Message) (*sendRequest, error) {
	components, err := cloudapi.Components(msg)
	if err != nil {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "Itniotech templates cannot carry this message: " + err.Error(), Err: err}
	}
	return &sendRequest{AppID: appID, BusinessPhone: businessPhone, Recipient: msg.To, ChannelType: channelWhatsApp,
		Template: template{Name: msg.Template, Language: cloudapi.Language{Code: msg.Language}, Components: components}}, nil
}
