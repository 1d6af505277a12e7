package sandbox

import (
	"herald/providers/sandbox/sessions"
	"net/http"
	"strings"
)

// itnioSessionPath is Itniotech's custom (session) message path.
const itnioSessionPath = "/wa/custom/sendMsg"

// itnioSessionRules are the custom message types herald sends, as itniotech-custom-sendMsg.txt shows them: a
// document's filename and a location's name and address are required, an interactive header is text.
var itnioSessionRules = sessions.Rules{Types: []string{"text", "image", "video", "document", "location", "interactive"},
	Interactive: []string{"button", "list"}, Headers: []string{"text"}, RequireFilename: true, RequirePlace: true}

// itnioSessionRequest is the body of POST /wa/custom/sendMsg; unknown fields are a JSON error.
type itnioSessionRequest struct {
	AppID         string `json:"appId"`
	BusinessPhone string `json:"businessPhone"`
	Recipient     string `json:"recipient"`
	ChannelType   *int   `json:"channelType"`
	Type          string `json:"type"`
	Context       *struct {
		RefMessageID string `json:"refMessageId"`
	} `json:"context"`
	sessions.Content
}

// itnioSessionCodes are the documented codes of a missing part, by the path the check names.
var itnioSessionCodes = map[string]string{"text": "-114", "text.body": "-115", "image": "-116", "image.link": "-117",
	"video": "-120", "video.link": "-121", "document": "-124", "document.link": "-125", "location": "-127",
	"location.longitude": "-128", "location.latitude": "-129"}

// itniotechSession serves a custom message: signed like a template send, its type's object checked, the one
// recipient admitted, answered in the same envelope.
func (s *Server) itniotechSession(w http.ResponseWriter, r *http.Request) {
	acc := s.opts.Credentials["itniotech"]
	var body itnioSessionRequest
	if !itnioRead(w, r, acc, &body) {
		return
	}
	if code, detail := itnioCheckAccount(body.AppID, body.BusinessPhone, body.Recipient, body.ChannelType, acc); code != "" {
		writeJSON(w, http.StatusOK, itnioFault(code, detail))
		return
	}
	if p := sessions.Check(body.Type, &body.Content, itnioSessionRules); p != nil {
		code, detail := itnioSessionCodes[p.Path], ""
		switch {
		case p.Path == "type":
			code, detail = "-132", p.Msg
		case !p.Missing && strings.HasSuffix(p.Path, ".link"):
			code = "-133"
		case code == "" || !p.Missing:
			code, detail = "-8", p.Msg
		}
		writeJSON(w, http.StatusOK, itnioFault(code, detail))
		return
	}
	req := Request{Dialect: "itniotech", To: body.Recipient, Session: sessions.Label(body.Type, &body.Content)}
	s.itnioRespond(w, req, s.admitOne(r.Context(), &req))
}
