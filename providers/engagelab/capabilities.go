package engagelab

import "herald/providers"

// MaxRecipients is the most numbers herald puts in one request's to[]. EngageLab's document types to as an
// array and publishes no bound; herald keeps a request to 1,000 recipients, as InnoPaaS documents for its own.
const MaxRecipients = 1000

// Capabilities is what EngageLab's Send Message API document says it carries: template parameters of type text,
// currency, date_time, image, video and document, "multimedia material types only in the header" (so a text,
// image, video or document header, and no location); url buttons (a text parameter; the document lists no
// payload parameter for a quick reply); to[], many recipients a request; and the body types text, image, audio,
// video, document and sticker for free-form messages, of which herald sends text, image, video and document (a
// document's filename is optional there). It publishes no send time.
func Capabilities() providers.Capabilities {
	return providers.Capabilities{
		Provider: "EngageLab",
		Source:   "EngageLab's Send Message API",
		Headers: []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamDocument},
		TypedBody:    []providers.ParamKind{providers.ParamCurrency, providers.ParamDateTime},
		Buttons:      []providers.ButtonSupport{{Kind: providers.ButtonURL}},
		BatchSize:    MaxRecipients,
		SessionTypes: []string{"text", "image", "audio", "video", "document", "sticker"},
		Sessions: providers.SessionSupport{
			Source: "EngageLab's Send Message API",
			Kinds: []providers.SessionKind{providers.SessionText, providers.SessionImage, providers.SessionVideo,
				providers.SessionDocument},
		},
	}
}
