package innopaas

import "herald/providers"

// MaxRecipients is the most numbers one request's recipientNumber may hold, as the document says.
const MaxRecipients = 1000

// Capabilities is what InnoPaaS's msg/submit document says it carries. Its HeaderDto is not published; the one
// header object it does show (the interactive message's) has the types text, image, video and document, so a
// location header is refused. bodyParams are strings (typed parameters go as their text); buttonParams are for
// dynamic link buttons; recipientNumber takes up to 1,000 comma-separated numbers; the free-form types are the
// document's messageType list, of which herald sends text, image, video, document (filename "required when
// messageType=document"), location and interactive (list, or reply buttons; the InteractiveHeader's types text,
// image, video and document, with no file name field). It publishes no send time.
func Capabilities() providers.Capabilities {
	return providers.Capabilities{
		Provider: "InnoPaaS",
		Source:   "InnoPaaS's msg/submit document",
		Headers: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamDocument},
		Buttons:   []providers.ButtonSupport{{Kind: providers.ButtonURL}},
		BatchSize: MaxRecipients,
		SessionTypes: []string{"text", "image", "video", "audio", "location", "document", "sticker", "contacts",
			"interactive"},
		Sessions: providers.SessionSupport{
			Source: "InnoPaaS's msg/submit document",
			Kinds: []providers.SessionKind{providers.SessionText, providers.SessionImage, providers.SessionVideo,
				providers.SessionDocument, providers.SessionLocation, providers.SessionInteractive},
			Interactive: []providers.InteractiveKind{providers.InteractiveButtons, providers.InteractiveList},
			InteractiveHeaders: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
				providers.ParamDocument},
			RequiresFilename: true,
		},
	}
}
