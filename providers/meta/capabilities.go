package meta

import "herald/providers"

// Capabilities is what Meta's Cloud API carries (meta-business-messaging-api_v23.0.yaml: header text, image,
// video, document and location parameters; body text, currency and date_time; url and quick_reply buttons; one
// recipient a request; the free-form message types, every one of which herald sends but audio, sticker and
// contacts).
func Capabilities() providers.Capabilities {
	return providers.Capabilities{
		Provider: "Meta Cloud API",
		Source:   "Meta's Cloud API",
		Headers: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamDocument, providers.ParamLocation},
		TypedBody: []providers.ParamKind{providers.ParamCurrency, providers.ParamDateTime},
		Buttons:   []providers.ButtonSupport{{Kind: providers.ButtonURL}, {Kind: providers.ButtonQuickReply}},
		BatchSize: 1,
		SessionTypes: []string{"text", "image", "audio", "video", "document", "sticker", "location", "contacts",
			"interactive"},
		Sessions: providers.SessionSupport{
			Source: "Meta's Cloud API",
			Kinds: []providers.SessionKind{providers.SessionText, providers.SessionImage, providers.SessionVideo,
				providers.SessionDocument, providers.SessionLocation, providers.SessionInteractive},
			Interactive: []providers.InteractiveKind{providers.InteractiveButtons, providers.InteractiveList},
			InteractiveHeaders: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
				providers.ParamDocument},
			HeaderFilename: true,
		},
	}
}
