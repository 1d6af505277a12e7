package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The InnoPaaS dialect: POST /api/whatsapp/v3/msg/submit with the headers AppKey and Authorization (the token,
// no "Bearer"). InnoPaaS publishes its error codes but not its answer bodies nor their HTTP statuses, so this
// dialect's choices are: every documented code comes with HTTP 200 as {"code":N,"message":"..."}; success is
// {"code":0,"message":"success","data":{"messageId":"..."}}; a body that is not a well-formed template request
// gets HTTP 400 with code 400; a transient failure is HTTP 500 with code 500; rate limiting is HTTP 429 with code
// 429 and Retry-After; a missing template is Meta's code 132001, relayed.

// innopaasSubmitPath is the documented send path.
const innopaasSubmitPath = "/api/whatsapp/v3/msg/submit"

// The InnoPaaS codes the sandbox answers with.
const (
	innopaasOK              = 0
	innopaasNoAccount       = 101
	innopaasWrongPassword   = 102
	innopaasUIDTooLong      = 105
	innopaasBadNumber       = 108
	innopaasNumberCount     = 109
	innopaasNoSendNumber    = 118
	innopaasBadRequest      = 400
	innopaasTooFast         = 429
	innopaasSystemError     = 500
	innopaasTemplateMissing = 132001
)

// innopaasMaxRecipients is the most recipients one request may name.
const innopaasMaxRecipients = 1000

// innopaasRequest is the template-message body the sandbox accepts; unknown fields are refused.
type innopaasRequest struct {
	WabaID          string           `json:"wabaId"`
	MessageType     string           `json:"messageType"`
	UID             string           `json:"uid"`
	SendNumber      string           `json:"sendNumber"`
	RecipientNumber string           `json:"recipientNumber"`
	Language        string           `json:"language"`
	TemplateName    string           `json:"templateName"`
	Header          *innopaasHeader  `json:"header"`
	BodyParams      []string         `json:"bodyParams"`
	ButtonParams    []innopaasButton `json:"buttonParams"`
}

// innopaasHeader is the template header's variable or media.
type innopaasHeader struct {
	Type       string            `json:"type"`
	ParamValue string            `json:"paramValue"`
	Link       string            `json:"link"`
	Filename   string            `json:"filename"`
	Location   *innopaasLocation `json:"location"`
}

// innopaasLocation is a location header's place.
type innopaasLocation struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// innopaasButton is one dynamic button's value.
type innopaasButton struct {
	Index      int    `json:"index"`
	Type       string `json:"type"`
	ParamValue string `json:"paramValue"`
}

// innopaasAnswer is every answer body of the dialect.
type innopaasAnswer struct {
	Code    int                 `json:"code"`
	Message string              `json:"message"`
	Data    *innopaasAnswerData `json:"data,omitempty"`
}

// innopaasAnswerData carries the id of a submitted message.
type innopaasAnswerData struct {
	MessageID string `json:"messageId"`
}

// innopaasFailure is a rejected request: the HTTP status and the answer's code and message.
type innopaasFailure struct {
	status  int
	code    int
	message string
}

// write answers the failure.
func (f *innopaasFailure) write(w http.ResponseWriter) {
	writeJSON(w, f.status, innopaasAnswer{Code: f.code, Message: f.message})
}

// mountInnopaas serves the innopaas dialect on its documented path.
func (s *Server) mountInnopaas(mux *http.ServeMux) {
	mux.HandleFunc("POST "+innopaasSubmitPath, s.innopaasSubmit)
}

// innopaasSubmit authenticates, checks the body, then admits each recipient. A request is all or nothing: the
// first recipient whose action is not Accept decides the answer for all of them, and one message id covers the
// accepted request (uid is InnoPaaS's batch number).
func (s *Server) innopaasSubmit(w http.ResponseWriter, r *http.Request) {
	acct := s.opts.Credentials["innopaas"]
	if f := innopaasAuth(r, acct.AppKey.Reveal(), acct.Token.Reveal()); f != nil {
		f.write(w)
		return
	}
	var body innopaasRequest
	if err := readJSON(r, &body, true); err != nil {
		(&innopaasFailure{http.StatusBadRequest, innopaasBadRequest, err.Error()}).write(w)
		return
	}
	recipients, f := innopaasCheck(&body, acct.WabaID, acct.SendNumber)
	if f != nil {
		f.write(w)
		return
	}
	reqs := make([]Request, len(recipients))
	act := Accept
	for i, to := range recipients {
		reqs[i] = Request{Dialect: "innopaas", To: to, Template: body.TemplateName, Ref: body.UID}
		a := s.admit(r.Context(), &reqs[i])
		if act == Accept {
			act = a // the first recipient refused decides for the request
		}
	}
	status, ans := s.innopaasReply(act)
	var id string
	if ans.Data != nil {
		id = ans.Data.MessageID
	}
	if act == RateLimited {
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfterSeconds()))
	}
	s.answer(w, reqs, act, status, id, ans)
}

// innopaasReply returns the HTTP status and the body that answer act (status 0 for a dropped connection).
func (s *Server) innopaasReply(act Action) (int, innopaasAnswer) {
	switch act {
	case Accept:
		return http.StatusOK, innopaasAnswer{Code: innopaasOK, Message: "success",
			Data: &innopaasAnswerData{MessageID: s.newID("ipw")}}
	case Transient:
		return http.StatusInternalServerError, innopaasAnswer{Code: innopaasSystemError, Message: "system error, please try again later"}
	case RateLimited:
		return http.StatusTooManyRequests, innopaasAnswer{Code: innopaasTooFast, Message: "request too frequent"}
	case RejectNumber:
		return http.StatusOK, innopaasAnswer{Code: innopaasBadNumber, Message: "phone number format error"}
	case AuthFail:
		return http.StatusOK, innopaasAnswer{Code: innopaasWrongPassword, Message: "wrong password"}
	case TemplateMissing:
		return http.StatusOK, innopaasAnswer{Code: innopaasTemplateMissing, Message: "template name does not exist in the translation"}
	case Drop:
		return 0, innopaasAnswer{}
	case HTMLPage:
		return http.StatusBadGateway, innopaasAnswer{}
	default:
		return http.StatusInternalServerError, innopaasAnswer{Code: innopaasSystemError, Message: "sandbox: unhandled action " + act.String()}
	}
}

// innopaasAuth checks the AppKey and Authorization headers as InnoPaaS does: an unknown AppKey is an account that
// does not exist (101), a wrong token a wrong password (102). An account without credentials accepts nobody.
func innopaasAuth(r *http.Request, appKey, token string) *innopaasFailure {
	if appKey == "" || !secretEqual(r.Header.Get("AppKey"), appKey) {
		return &innopaasFailure{http.StatusOK, innopaasNoAccount, "account does not exist"}
	}
	if token == "" || !secretEqual(r.Header.Get("Authorization"), token) {
		return &innopaasFailure{http.StatusOK, innopaasWrongPassword, "wrong password"}
	}
	return nil
}

// innopaasCheck checks a template request against the account and returns its recipients.
func innopaasCheck(b *innopaasRequest, wabaID, sendNumber string) ([]string, *innopaasFailure) {
	switch {
	case b.WabaID != wabaID:
		return nil, &innopaasFailure{http.StatusOK, innopaasNoAccount, "account does not exist: wabaId " + strconv.Quote(b.WabaID)}
	case b.SendNumber != sendNumber:
		return nil, &innopaasFailure{http.StatusOK, innopaasNoSendNumber, "send number does not exist"}
	case len(b.UID) > 32:
		return nil, &innopaasFailure{http.StatusOK, innopaasUIDTooLong, "uid exceeds 32 characters"}
	}
	if msg := innopaasShape(b); msg != "" {
		return nil, &innopaasFailure{http.StatusBadRequest, innopaasBadRequest, msg}
	}
	recipients := strings.Split(b.RecipientNumber, ",")
	if b.RecipientNumber == "" || len(recipients) > innopaasMaxRecipients {
		return nil, &innopaasFailure{http.StatusOK, innopaasNumberCount, "wrong number of phone numbers"}
	}
	for _, to := range recipients {
		if !isMSISDN(to) {
			return nil, &innopaasFailure{http.StatusOK, innopaasBadNumber, "phone number format error: " + strconv.Quote(to)}
		}
	}
	return recipients, nil
}

// innopaasShape returns what is wrong with a template request's fields, or "".
func innopaasShape(b *innopaasRequest) string {
	switch {
	case b.MessageType != "template":
		return "messageType must be template, got " + strconv.Quote(b.MessageType)
	case !innopaasTemplateName(b.TemplateName):
		return "templateName must be lower-case letters, digits and underscores, got " + strconv.Quote(b.TemplateName)
	case b.Language == "":
		return "language is required for messageType=template"
	}
	if b.Header != nil {
		if msg := innopaasHeaderShape(b.Header); msg != "" {
			return "header: " + msg
		}
	}
	for i, p := range b.BodyParams {
		if strings.TrimSpace(p) == "" {
			return fmt.Sprintf("bodyParams[%d] is empty", i)
		}
	}
	for i, bt := range b.ButtonParams {
		switch {
		case bt.Index < 0 || bt.Index > 9:
			return fmt.Sprintf("buttonParams[%d].index %d is not between 0 and 9", i, bt.Index)
		case bt.Type != "url" && bt.Type != "quick_reply":
			return fmt.Sprintf("buttonParams[%d].type must be url or quick_reply, got %q", i, bt.Type)
		case bt.ParamValue == "":
			return fmt.Sprintf("buttonParams[%d].paramValue is empty", i)
		}
	}
	return ""
}

// innopaasHeaderShape checks a header against its type.
func innopaasHeaderShape(h *innopaasHeader) string {
	media := h.Link != "" || h.Filename != ""
	switch h.Type {
	case "text":
		if h.ParamValue == "" || media || h.Location != nil {
			return "a text header takes paramValue only"
		}
	case "image", "video", "document":
		if !strings.HasPrefix(h.Link, "https://") && !strings.HasPrefix(h.Link, "http://") {
			return "a " + h.Type + " header needs an http(s) link"
		}
		if h.ParamValue != "" || h.Location != nil || (h.Filename != "" && h.Type != "document") {
			return "a " + h.Type + " header takes link (and filename for a document) only"
		}
	case "location":
		if h.Location == nil || h.Location.Latitude == "" || h.Location.Longitude == "" || media || h.ParamValue != "" {
			return "a location header takes location with latitude and longitude only"
		}
	default:
		return "type must be text, image, video, document or location, got " + strconv.Quote(h.Type)
	}
	return ""
}

// innopaasTemplateName reports whether name is a valid template name: lower-case letters, digits, underscores.
func innopaasTemplateName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
