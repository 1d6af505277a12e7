package sandbox

import (
	"herald/providers/sandbox/sessions"
	"net/http"
)

// metaSessionRules are the session messages of Meta's Cloud API that herald sends (TextMessage, ImageMessage,
// VideoMessage, DocumentMessage, LocationMessage, InteractiveMessage of type button or list).
var metaSessionRules = sessions.Rules{Types: []string{"text", "image", "video", "document", "location", "interactive"},
	Interactive: []string{"button", "list"}, Headers: []string{"text", "image", "video", "document"},
	HeaderFilename: true}

// metaOutsideWindow is the Cloud API's refusal of a session message to someone who has not written in the last
// 24 hours: what the sandbox answers a session message a Decide hook refuses as TemplateMissing.
var metaOutsideWindow = metaAnswer{http.StatusBadRequest, metaError{Type: "OAuthException", Code: 131047,
	Message: "(#131047) Re-engagement message", ErrorData: &metaErrorData{"whatsapp",
		"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}}

// checkMetaSession checks a session message: no template, and the object its type names, well formed. A missing
// field is 131008, a wrong one 131009.
func checkMetaSession(m *metaSend) (metaAnswer, bool) {
	if m.Template != nil {
		return invalidParameter(131009, "template must not be set when type is "+m.Type), true
	}
	if p := sessions.Check(m.Type, &m.Content, metaSessionRules); p != nil {
		code := 131009
		if p.Missing {
			code = 131008
		}
		return invalidParameter(code, p.Msg), true
	}
	return metaAnswer{}, false
}
