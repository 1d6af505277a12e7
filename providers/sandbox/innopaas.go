package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The InnoPaaS dialect: POST /api/whatsapp/v3/msg/submit with the headers AppKey and Authorization (the token,
// no "Bearer"). InnoPaaS publishes its error codes but not its answer bodies nor their HTTP statuses, so this
// dialect's choices are: every documented code comes with HTTP 200 as {"code":N,"message":"..."}; a request
// whose recipients were all taken is {"code":0,"message":"success","data":{"messageIds":[...]}}, one id per
// recipient in the order of recipientNumber; a request of which some recipients were refused (an invalid
// number) and others taken is {"code":0,"message":"partial success","data":[{"recipientNumber":"...",
// "messageId":"..."}, {"recipientNumber":"...","code":108,"message":"..."}]}; a request whose every recipient
// was refused is {"code":108,...}; a body that is not a well-formed template request gets HTTP 400 with code
// 400; a transient failure is HTTP 500 with code 500; rate limiting is HTTP 429 with code 429 and Retry-After;
// a missing template is Meta's code 132001, relayed. A transient failure, a rate limit, an authentication
// failure or a missing template is the whole request's, as is a dropped connection: it speaks for every
// recipient.

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

// innopaasRequest is the body the sandbox accepts, a template message or a session message; unknown fields are
// refused.
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
	// A session message's fields (innopaas_session.go).
	innopaasSession
}

// innopaasHeader is the template header's variable or media.
type innopaasHeader struct {
	Type       string `json:"type"`
	ParamValue string `json:"paramValue"`
	Link       string `json:"link"`
	Filename   string `json:"filename"`
}

// innopaasButton is one dynamic button's value.
type innopaasButton struct {
	Index      int    `json:"index"`
	Type       string `json:"type"`
	ParamValue string `json:"paramValue"`
}

// innopaasAnswer is every answer body of the dialect. Data is an *innopaasAnswerData, or a list of
// innopaasRecipient for a partly refused request.
type innopaasAnswer struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// innopaasAnswerData carries the ids of a submitted request, one per recipient.
type innopaasAnswerData struct {
	MessageIDs []string `json:"messageIds"`
}

// innopaasRecipient is one recipient's outcome in a partly refused request: its id, or its code and message.
type innopaasRecipient struct {
	RecipientNumber string `json:"recipientNumber"`
	MessageID       string `json:"messageId,omitempty"`
	Code            int    `json:"code,omitempty"`
	Message         string `json:"message,omitempty"`
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

// innopaasSubmit authenticates, checks the body, then admits each recipient. A recipient refused as an invalid
// number is refused alone; any other action that is not Accept (the first one) is the whole request's answer.
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
	for i, to := range recipients {
		reqs[i] = Request{Dialect: "innopaas", To: to, Template: body.TemplateName, Ref: body.UID,
			Session: body.sessionLabel()}
	}
	acts := s.admit(r.Context(), reqs)
	act, taken := Accept, 0
	for i := range acts {
		switch {
		case acts[i] == Accept:
			taken++
		case acts[i] != RejectNumber && act == Accept:
			act = acts[i] // the first failure that is not one number's decides for the request
		}
	}
	if act == Accept && taken == 0 {
		act = RejectNumber
	}
	if act != Accept {
		status, ans := s.innopaasReply(act)
		if act == RateLimited {
			w.Header().Set("Retry-After", strconv.Itoa(s.retryAfterSeconds()))
		}
		s.answer(w, reqs, act, status, "", ans)
		return
	}
	s.innopaasAccepted(w, reqs, acts, taken)
}

// innopaasAccepted records and answers a request of which taken recipients were accepted and the others
// refused as invalid numbers.
func (s *Server) innopaasAccepted(w http.ResponseWriter, reqs []Request, acts []Action, taken int) {
	ids := make([]string, len(reqs))
	list := make([]innopaasRecipient, len(reqs))
	for i, req := range reqs {
		list[i] = innopaasRecipient{RecipientNumber: req.To}
		if acts[i] == Accept {
			ids[i] = s.newID("ipw")
			list[i].MessageID = ids[i]
		} else {
			list[i].Code, list[i].Message = innopaasBadNumber, "phone number format error"
		}
		// Recorded before answering, so that a client holding its answer finds the request in the log.
		s.record(req, acts[i], http.StatusOK, ids[i])
	}
	if taken == len(reqs) {
		writeJSON(w, http.StatusOK, innopaasAnswer{Code: innopaasOK, Message: "success", Data: innopaasAnswerData{MessageIDs: ids}})
		return
	}
	writeJSON(w, http.StatusOK, innopaasAnswer{Code: innopaasOK, Message: "partial success", Data: list})
}

// innopaasReply returns the HTTP status and the body that answer a whole request's failure act (status 0 for a
// dropped connection).
func (s *Server) innopaasReply(act Action) (int, innopaasAnswer) {
	switch act {
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
	if b.MessageType != "template" {
		return b.checkSession()
	}
	switch {
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
		case bt.Type != "url":
			return fmt.Sprintf("buttonParams[%d].type must be url (buttonParams are for dynamic link buttons), got %q", i, bt.Type)
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
		if h.ParamValue == "" || media {
			return "a text header takes paramValue only"
		}
	case "image", "video", "document":
		if !strings.HasPrefix(h.Link, "https://") && !strings.HasPrefix(h.Link, "http://") {
			return "a " + h.Type + " header needs an http(s) link"
		}
		if h.ParamValue != "" || (h.Filename != "" && h.Type != "document") {
			return "a " + h.Type + " header takes link (and filename for a document) only"
		}
	default:
		return "type must be text, image, video or document (the document's header types), got " + strconv.Quote(h.Type)
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
