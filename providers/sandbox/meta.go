package sandbox

import (
	"crypto/subtle"
	"fmt"
	"herald/providers/sandbox/sessions"
	"net/http"
	"strconv"
	"strings"
)

// metaDialect serves Meta's Cloud API: POST /{api_version}/{phone_number_id}/messages with
// Authorization: Bearer {access_token}, one template or session message per request.
type metaDialect struct {
	s       *Server
	token   []byte
	phoneID string
}

// mountMeta serves the meta dialect on its documented path, against the "meta" account of the credentials.
func (s *Server) mountMeta(mux *http.ServeMux) {
	acct := s.opts.Credentials["meta"]
	d := &metaDialect{s: s, token: []byte(acct.AccessToken.Reveal()), phoneID: acct.PhoneNumberID}
	mux.HandleFunc("POST /{version}/{phoneNumberID}/messages", d.serve)
}

// metaError is the Graph API error object, as the Cloud API sends it.
type metaError struct {
	Message     string         `json:"message"`
	Type        string         `json:"type"`
	Code        int            `json:"code"`
	Subcode     int            `json:"error_subcode,omitempty"`
	IsTransient bool           `json:"is_transient,omitempty"`
	ErrorData   *metaErrorData `json:"error_data,omitempty"`
	FBTraceID   string         `json:"fbtrace_id"`
}

// metaErrorData carries the Cloud API's details sentence.
type metaErrorData struct {
	MessagingProduct string `json:"messaging_product"`
	Details          string `json:"details"`
}

// metaAnswer is one error answer: its HTTP status and its error object.
type metaAnswer struct {
	status int
	err    metaError
}

// The sandbox's fixed answers, worded as the Graph API words them. Never written after init.
var (
	metaNoToken = metaAnswer{http.StatusUnauthorized, metaError{Type: "OAuthException", Code: 104,
		Message: "An access token is required to request this resource."}}
	metaBadToken = metaAnswer{http.StatusUnauthorized, metaError{Type: "OAuthException", Code: 190,
		Message: "Invalid OAuth access token - Cannot parse access token"}}
	metaRevokedToken = metaAnswer{http.StatusUnauthorized, metaError{Type: "OAuthException", Code: 190, Subcode: 460,
		Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."}}
	metaTransient = metaAnswer{http.StatusInternalServerError, metaError{Type: "OAuthException", Code: 2, IsTransient: true,
		Message: "An unexpected error occurred. Please retry your request"}}
	metaRateLimited = metaAnswer{http.StatusBadRequest, metaError{Type: "OAuthException", Code: 130429,
		Message:   "(#130429) Rate limit hit",
		ErrorData: &metaErrorData{"whatsapp", "Cloud API message throughput has been reached."}}}
	metaUndeliverable = metaAnswer{http.StatusBadRequest, metaError{Type: "OAuthException", Code: 131026,
		Message: "(#131026) Message Undeliverable.",
		ErrorData: &metaErrorData{"whatsapp", "Message failed to send because the recipient's phone number is not a WhatsApp " +
			"phone number, has not accepted the latest terms, or uses an old WhatsApp version."}}}
)

// serve authenticates, checks the body, lets the server decide and answers as the Cloud API does.
func (d *metaDialect) serve(w http.ResponseWriter, r *http.Request) {
	if a, failed := d.authenticate(r); failed {
		d.answerError(w, a)
		return
	}
	if id := r.PathValue("phoneNumberID"); id != d.phoneID {
		d.answerError(w, metaAnswer{http.StatusBadRequest, metaError{Type: "GraphMethodException", Code: 100, Subcode: 33,
			Message: fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to "+
				"missing permissions, or does not support this operation.", id)}})
		return
	}
	if media, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.EqualFold(strings.TrimSpace(media), "application/json") {
		d.answerError(w, invalidParameter(100, "the body must be JSON with Content-Type: application/json"))
		return
	}
	var body metaSend
	if err := readJSON(r, &body, true); err != nil {
		d.answerError(w, invalidParameter(100, err.Error()))
		return
	}
	if a, bad := checkMetaSend(&body); bad {
		d.answerError(w, a)
		return
	}
	req := Request{Dialect: "meta", To: strings.TrimPrefix(body.To, "+"), Ref: body.BizOpaqueCallbackData}
	if body.Template != nil {
		req.Template = body.Template.Name
	} else {
		req.Session = sessions.Label(body.Type, &body.Content)
	}
	act := d.s.admitOne(r.Context(), &req)
	d.act(w, act, req, &body)
}

// authenticate checks the access token from the Authorization header (or the access_token parameter Graph
// also accepts) against the account, in constant time. It returns the answer to give when it fails.
func (d *metaDialect) authenticate(r *http.Request) (metaAnswer, bool) {
	token := ""
	if h := r.Header.Get("Authorization"); len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ") {
		token = h[len("Bearer "):]
	} else if h == "" {
		token = r.URL.Query().Get("access_token")
	}
	switch {
	case token == "":
		return metaNoToken, true
	case len(d.token) == 0 || subtle.ConstantTimeCompare([]byte(token), d.token) != 1:
		return metaBadToken, true
	}
	return metaAnswer{}, false
}

// act records the admitted request and answers it per action. The log entry is written before any answer byte
// leaves, so a client holding its answer always finds it in the log.
func (d *metaDialect) act(w http.ResponseWriter, act Action, req Request, body *metaSend) {
	var a metaAnswer
	switch act {
	case Transient:
		a = metaTransient
	case RateLimited:
		w.Header().Set("Retry-After", strconv.Itoa(d.s.retryAfterSeconds()))
		a = metaRateLimited
	case RejectNumber:
		a = metaUndeliverable
	case AuthFail:
		a = metaRevokedToken
	case TemplateMissing:
		if body.Template == nil {
			a = metaOutsideWindow
			break
		}
		a = metaAnswer{http.StatusNotFound, metaError{Type: "OAuthException", Code: 132001,
			Message: "(#132001) Template name does not exist in the translation",
			ErrorData: &metaErrorData{"whatsapp", fmt.Sprintf("template name (%s) does not exist in %s",
				body.Template.Name, body.Template.Language.Code)}}}
	case Drop:
		d.s.record(req, act, 0, "")
		drop(w)
		return
	case HTMLPage:
		d.s.record(req, act, http.StatusBadGateway, "")
		writeHTML(w)
		return
	default:
		id := d.s.newID("wamid.")
		d.s.record(req, act, http.StatusOK, id)
		writeMetaSuccess(w, body.To, id)
		return
	}
	d.s.record(req, act, a.status, "")
	d.answerError(w, a)
}

// answerError writes a Graph error answer with a fresh fbtrace_id.
func (d *metaDialect) answerError(w http.ResponseWriter, a metaAnswer) {
	a.err.FBTraceID = d.s.newID("A")
	writeJSON(w, a.status, struct {
		Error metaError `json:"error"`
	}{a.err})
}

// writeMetaSuccess writes the Cloud API's success answer. It is the benchmark path, so the JSON is appended by
// hand: to holds only digits and an optional leading '+' (checkMetaSend made sure) and the id is hex, so
// neither needs escaping.
func writeMetaSuccess(w http.ResponseWriter, to, id string) {
	b := make([]byte, 0, 160)
	b = append(b, `{"messaging_product":"whatsapp","contacts":[{"input":"`...)
	b = append(b, to...)
	b = append(b, `","wa_id":"`...)
	b = append(b, strings.TrimPrefix(to, "+")...)
	b = append(b, `"}],"messages":[{"id":"`...)
	b = append(b, id...)
	b = append(b, `","message_status":"accepted"}]}`+"\n"...)
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// invalidParameter is the Cloud API's bad-request answer: 100 for a body that is not the expected JSON,
// 131008 for a missing required parameter, 131009 for a value that is not valid, 132018 for a template
// parameter WhatsApp refuses; details says which field.
func invalidParameter(code int, details string) metaAnswer {
	msg := "(#100) Invalid parameter"
	switch code {
	case 131008:
		msg = "(#131008) Required parameter is missing"
	case 131009:
		msg = "(#131009) Parameter value is not valid"
	case 132018:
		msg = "(#132018) There was an issue with the parameters in your template."
	}
	return metaAnswer{http.StatusBadRequest, metaError{Type: "OAuthException", Code: code, Message: msg,
		ErrorData: &metaErrorData{"whatsapp", details}}}
}

// metaSend is the body of a template message as the Cloud API's TemplateMessage schema describes it, or of a
// session message (meta_session.go). Unknown fields are refused.
type metaSend struct {
	MessagingProduct      string        `json:"messaging_product"`
	RecipientType         string        `json:"recipient_type"`
	To                    string        `json:"to"`
	Type                  string        `json:"type"`
	Template              *metaTemplate `json:"template"`
	BizOpaqueCallbackData string        `json:"biz_opaque_callback_data"`
	// A session message's object (meta_session.go), in place of the template.
	sessions.Content
}

// metaTemplate is the TemplateObject.
type metaTemplate struct {
	Name     string `json:"name"`
	Language *struct {
		Policy string `json:"policy"`
		Code   string `json:"code"`
	} `json:"language"`
	Components []metaComponent `json:"components"`
}

// metaComponent is a header, body or button component.
type metaComponent struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type"`
	Index      string      `json:"index"`
	Parameters []metaParam `json:"parameters"`
}

// metaParam is one parameter; the field its type names must be set.
type metaParam struct {
	Type     string     `json:"type"`
	Text     string     `json:"text"`
	Payload  string     `json:"payload"`
	Image    *metaMedia `json:"image"`
	Video    *metaMedia `json:"video"`
	Document *metaMedia `json:"document"`
	Location *struct {
		Latitude  string `json:"latitude"`
		Longitude string `json:"longitude"`
		Name      string `json:"name"`
		Address   string `json:"address"`
	} `json:"location"`
	Currency *struct {
		FallbackValue string `json:"fallback_value"`
		Code          string `json:"code"`
		Amount1000    int64  `json:"amount_1000"`
	} `json:"currency"`
	DateTime *struct {
		FallbackValue string `json:"fallback_value"`
	} `json:"date_time"`
}

// metaMedia is a MediaObject: an uploaded media id or a link.
type metaMedia struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Filename string `json:"filename"`
	Caption  string `json:"caption"`
}

// checkMetaSend checks the body as the Cloud API does and returns its bad-request answer when it is wrong.
func checkMetaSend(m *metaSend) (metaAnswer, bool) {
	switch {
	case m.MessagingProduct != "whatsapp":
		return invalidParameter(100, "messaging_product must be \"whatsapp\""), true
	case m.RecipientType != "" && m.RecipientType != "individual":
		return invalidParameter(131009, "recipient_type must be \"individual\""), true
	case m.To == "":
		return invalidParameter(131008, "parameter 'to' is required"), true
	case !isMSISDN(strings.TrimPrefix(m.To, "+")):
		return invalidParameter(131009, "parameter 'to' must be a phone number: digits, country code first"), true
	case m.Type != "template":
		return checkMetaSession(m)
	case m.Template == nil:
		return invalidParameter(131008, "parameter 'template' is required"), true
	case m.Template.Name == "":
		return invalidParameter(131008, "parameter 'template.name' is required"), true
	case m.Template.Language == nil || m.Template.Language.Code == "":
		return invalidParameter(131008, "parameter 'template.language.code' is required"), true
	case m.Template.Language.Policy != "" && m.Template.Language.Policy != "deterministic":
		return invalidParameter(131009, "template.language.policy must be \"deterministic\""), true
	case len(m.BizOpaqueCallbackData) > 512:
		return invalidParameter(131009, "biz_opaque_callback_data is longer than 512 characters"), true
	}
	for i := range m.Template.Components {
		if a, bad := checkMetaComponent(&m.Template.Components[i], i); bad {
			return a, true
		}
	}
	return metaAnswer{}, false
}

// checkMetaComponent checks one component and its parameters against the types its kind allows. Field paths
// are formatted only for an answer: this runs for every request.
func checkMetaComponent(c *metaComponent, i int) (metaAnswer, bool) {
	var allowed string
	switch c.Type {
	case "header":
		allowed = "text, image, video, document or location"
	case "body":
		allowed = "text, currency or date_time"
	case "button":
		switch c.SubType {
		case "url":
			allowed = "text"
		case "quick_reply":
			allowed = "payload"
		default:
			return invalidParameter(131009, fmt.Sprintf("template.components[%d].sub_type must be url or quick_reply", i)), true
		}
		if len(c.Index) != 1 || c.Index[0] < '0' || c.Index[0] > '9' {
			return invalidParameter(131009, fmt.Sprintf("template.components[%d].index must be a string from \"0\" to \"9\"", i)), true
		}
	default:
		return invalidParameter(131009, fmt.Sprintf("template.components[%d].type must be header, body or button", i)), true
	}
	if len(c.Parameters) == 0 && c.Type != "body" {
		return invalidParameter(131008, fmt.Sprintf("template.components[%d].parameters is required", i)), true
	}
	for j := range c.Parameters {
		p := &c.Parameters[j]
		missing, known := metaParamMissing(p)
		switch {
		case !known || !strings.Contains(allowed, p.Type):
			return invalidParameter(131009, fmt.Sprintf("template.components[%d].parameters[%d].type must be %s", i, j, allowed)), true
		case missing != "":
			return invalidParameter(131008, fmt.Sprintf("template.components[%d].parameters[%d].%s is required", i, j, missing)), true
		case p.Type == "text" && !textParamAllowed(p.Text):
			return invalidParameter(132018, "Param text cannot have new-line/tab characters or more than 4 consecutive spaces"), true
		}
	}
	return metaAnswer{}, false
}

// metaParamMissing names the field a parameter of its type lacks ("" when none), and reports whether the type
// is a parameter type at all.
func metaParamMissing(p *metaParam) (string, bool) {
	var m *metaMedia
	switch p.Type {
	case "text":
		return ifEmpty(p.Text, "text"), true
	case "payload":
		return ifEmpty(p.Payload, "payload"), true
	case "location":
		if p.Location == nil || p.Location.Latitude == "" || p.Location.Longitude == "" {
			return "location.latitude and longitude", true
		}
		return "", true
	case "currency":
		if p.Currency == nil || p.Currency.FallbackValue == "" || p.Currency.Code == "" {
			return "currency.fallback_value and code", true
		}
		return "", true
	case "date_time":
		if p.DateTime == nil {
			return "date_time.fallback_value", true
		}
		return ifEmpty(p.DateTime.FallbackValue, "date_time.fallback_value"), true
	case "image":
		m = p.Image
	case "video":
		m = p.Video
	case "document":
		m = p.Document
	default:
		return "", false
	}
	if m == nil || (m.ID == "" && m.Link == "") {
		return p.Type + ".link", true
	}
	return "", true
}

// ifEmpty returns name when value is empty, else "".
func ifEmpty(value, name string) string {
	if value == "" {
		return name
	}
	return ""
}

// textParamAllowed reports whether WhatsApp accepts a text parameter: no newline, no tab, at most 4
// consecutive spaces.
func textParamAllowed(s string) bool {
	return !strings.ContainsAny(s, "\n\t") && !strings.Contains(s, "     ")
}
