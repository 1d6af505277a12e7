package itniotech

import "herald/providers"

// Capabilities is what Itniotech's documents say it carries (itniotech-template-sendMsg.txt: header text, image,
// video, document, location; body text, currency, date_time; button payload/text; one recipient a request;
// itniotech-custom-sendMsg.txt: the session message types). It publishes no send time.
//
// Of the custom message types herald sends text, image, video, document, location and interactive (a list, or
// reply buttons): the document marks a document's filename "required when sending a document message" and a
// location's name and address required too, and shows an interactive header of type text only.
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
		Sessions: providers.SessionSupport{
			Source: "Itniotech's custom/sendMsg",
			Kinds: []providers.SessionKind{providers.SessionText, providers.SessionImage, providers.SessionVideo,
				providers.SessionDocument, providers.SessionLocation, providers.SessionInteractive},
			Interactive:        []providers.InteractiveKind{providers.InteractiveButtons, providers.InteractiveList},
			InteractiveHeaders: []providers.ParamKind{providers.ParamText},
			RequiresFilename:   true,
			RequiresPlace:      true,
		},
	}
}
