package sandbox

import "herald/providers/sandbox/sessions"

// engagelabSessionRules are the body types of EngageLab's Send Message API that herald sends besides template
// (the document's audio and sticker are not simulated): text, image, video and document, a document's filename
// optional.
var engagelabSessionRules = sessions.Rules{Types: []string{"text", "image", "video", "document"}}

// engagelabSessionRefused is EngageLab's answer to a session message WhatsApp would not deliver (the recipient
// has not written in 24 hours): what the sandbox answers a session message a Decide hook refuses as
// TemplateMissing.
var engagelabSessionRefused = engagelabError{Code: 3003,
	Message: "invalid parameter: messages other than template require the user to have replied within 24 hours"}

// checkSession checks a session message's body: no template, and the object its type names, well formed.
func (b *engagelabBody) checkSession() string {
	if b.Template != nil {
		return "body.template must not be set when body.type is " + b.Type
	}
	if p := sessions.Check(b.Type, &b.Content, engagelabSessionRules); p != nil {
		return "body." + p.Msg
	}
	return ""
}
