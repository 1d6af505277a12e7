package huawei

import "herald/providers"

// Capabilities is what Huawei CEC's sendWhatsappMessage document says it carries: a HeaderObject with a text
// placeholder, an image or video URL, or a location's coordinates (no document); body placeholders that are
// strings (typed parameters go as their text); buttons with a urlPlaceholder or a quickReplyPayload, which "is
// required for the quick reply button"; sendAt, a scheduled send time; and the whatsApp object's free-form
// fields (text, imageUrl, audioUrl, videoUrl, a location). The request takes a list of destinations, each
// answered on its own, but herald sends one a request (BatchSize 1) until a batch adapter is written for it.
func Capabilities() providers.Capabilities {
	return providers.Capabilities{
		Provider: "Huawei CEC",
		Source:   "Huawei CEC's sendWhatsappMessage",
		Headers: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamLocation},
		Buttons: []providers.ButtonSupport{{Kind: providers.ButtonURL},
			{Kind: providers.ButtonQuickReply, NeedsPayload: true}},
		BatchSize:    1,
		Schedules:    true,
		SessionTypes: []string{"text", "image", "audio", "video", "location"},
	}
}
