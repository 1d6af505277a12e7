package itniotech

import "herald/providers"

// Capabilities is what Itniotech's documents say it carries (itniotech-template-sendMsg.txt: header text, image,
// video, document, location; body text, currency, date_time; button payload/text; one recipient a request;
// itniotech-custom-sendMsg.txt: the session message types). It publishes no send time.
func Capabilities() providers.Capabilities {
	return providers.Capabilities{
		Provider: "Itniotech",
		Source:   "Itniotech's template/sendMsg",
		Headers: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamDocument, providers.ParamLocation},
		TypedBody: []providers.ParamKind{providers.ParamCurrency, providers.ParamDateTime},
		Buttons:   []providers.ButtonSupport{{Kind: providers.ButtonURL}, {Kind: providers.ButtonQuickReply}},
		BatchSize: 1,
		SessionTypes: []string{"text", "image", "audio", "video", "location", "document", "sticker", "interactive",
			"contacts"},
	}
}
