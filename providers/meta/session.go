package meta

import (
	"herald/providers"
	"herald/providers/cloudapi"
)

// sessionRequest is the body of POST /{api_version}/{phone_number_id}/messages for a session message: the Cloud
// API's TextMessage, ImageMessage, DocumentMessage, VideoMessage, LocationMessage or InteractiveMessage, whose
// type and object sit at the top level beside the recipient.
type sessionRequest struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	cloudapi.Content
	// BizOpaqueCallbackData carries herald's client reference, as for a template message.
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data,omitempty"`
}

// buildSessionRequest turns msg's session message into the Cloud API body.
func buildSessionRequest(msg providers.Message) (*sessionRequest, error) {
	c, err := cloudapi.SessionContent(msg.Session)
	if err != nil {
		return nil, err
	}
	return &sessionRequest{MessagingProduct: "whatsapp", RecipientType: "individual", To: msg.To, Content: c,
		BizOpaqueCallbackData: msg.Ref}, nil
}
