package sandbox

import (
	"fmt"
	"herald/providers/sandbox/sessions"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// engagelabPath is EngageLab's documented Send Message API path.
const engagelabPath = "/v1/messages"

// engagelabError is EngageLab's failure body.
type engagelabError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// engagelabAccepted is EngageLab's success body.
type engagelabAccepted struct {
	MessageID string `json:"message_id"`
	RequestID string `json:"request_id,omitempty"`
}

// engagelabRateLimited is the body of a 429. EngageLab documents no rate-limit code, so it carries none.
type engagelabRateLimited struct {
	Message string `json:"message"`
}

// mountEngagelab serves the engagelab dialect: POST /v1/messages with Basic auth (dev_key:dev_secret).
func (s *Server) mountEngagelab(mux *http.ServeMux) {
	mux.HandleFunc("POST "+engagelabPath, s.engagelabSend)
}

// engagelabSend checks authentication, then the body, then admits each recipient and answers for the request
// as a whole: the first recipient whose action is not Accept decides the answer, and every recipient is
// recorded with it (a failed request sends nothing).
func (s *Server) engagelabSend(w http.ResponseWriter, r *http.Request) {
	acct := s.opts.Credentials["engagelab"]
	key, secret, ok := r.BasicAuth()
	if !ok || !secretEqual(key, acct.DevKey.Reveal()) || !secretEqual(secret, acct.DevSecret.Reveal()) {
		writeJSON(w, http.StatusUnauthorized, engagelabError{Code: 2001,
			Message: "authentication failed: the Authorization header must be Basic base64(dev_key:dev_secret) of a valid API key"})
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusBadRequest, engagelabError{Code: 3001, Message: "invalid request format: Content-Type must be application/json"})
		return
	}
	var body engagelabRequest
	if err := readJSON(r, &body, true); err != nil {
		writeJSON(w, http.StatusBadRequest, engagelabError{Code: 3001, Message: "invalid request format: " + err.Error()})
		return
	}
	if msg := body.check(); msg != "" {
		writeJSON(w, http.StatusBadRequest, engagelabError{Code: 3002, Message: msg})
		return
	}
	if body.From != "" && engagelabNumber(body.From) != engagelabNumber(acct.From) {
		writeJSON(w, http.StatusForbidden, engagelabError{Code: 2004,
			Message: "no permission: this API key may not send from " + body.From})
		return
	}
	reqs := make([]Request, len(body.To))
	for i, to := range body.To {
		n := engagelabNumber(to)
		if !isMSISDN(n) {
			writeJSON(w, http.StatusBadRequest, engagelabError{Code: 3003,
				Message: fmt.Sprintf("invalid parameter: to[%d] %q is not a phone number with its country code", i, to)})
			return
		}
		reqs[i] = Request{Dialect: "engagelab", To: n, Ref: body.RequestID}
		if t := body.Body.Template; t != nil {
			reqs[i].Template = t.Name
		} else {
			reqs[i].Session = sessions.Label(body.Body.Type, &body.Body.Content)
		}
	}
	act, culprit := Accept, 0
	for i, a := range s.admit(r.Context(), reqs) {
		if act == Accept {
			act, culprit = a, i
		}
	}
	s.engagelabAnswer(w, act, reqs, culprit, &body)
}

// engagelabAnswer records the request's recipients with act, then answers as EngageLab would: the document has
// one message_id for the request and one error for it, so the request is taken or refused as a whole, and an
// invalid number (reqs[culprit]) refuses the request with 3003 naming it.
func (s *Server) engagelabAnswer(w http.ResponseWriter, act Action, reqs []Request, culprit int, body *engagelabRequest) {
	var status int
	var id string
	var answer any
	switch act {
	case Accept:
		id = s.newID("")
		status, answer = http.StatusOK, engagelabAccepted{MessageID: id, RequestID: body.RequestID}
	case RateLimited:
		wait := strconv.Itoa(s.retryAfterSeconds())
		w.Header().Set("Retry-After", wait)
		status, answer = http.StatusTooManyRequests, engagelabRateLimited{Message: "too many requests: retry after " + wait + " seconds"}
	case RejectNumber:
		status, answer = http.StatusBadRequest, engagelabError{Code: 3003,
			Message: fmt.Sprintf("invalid parameter: to[%d] %s is not a valid WhatsApp number", culprit, reqs[culprit].To)}
	case TemplateMissing:
		t := body.Body.Template
		if t == nil {
			status, answer = http.StatusBadRequest, engagelabSessionRefused
			break
		}
		status, answer = http.StatusBadRequest, engagelabError{Code: 4001,
			Message: "resource does not exist: template " + t.Name + " (" + t.Language + ")"}
	case AuthFail:
		status, answer = http.StatusUnauthorized, engagelabError{Code: 2002,
			Message: "authentication failed: the token has expired or has been disabled"}
	case Drop:
		// No answer is written: the status stays 0.
	case HTMLPage:
		status = http.StatusBadGateway
	default: // Transient
		status, answer = http.StatusInternalServerError, engagelabError{Code: 1000, Message: "internal error"}
	}
	s.answer(w, reqs, act, status, id, answer)
}

// engagelabNumber strips the "+" or "00" EngageLab accepts before a number's country code.
func engagelabNumber(n string) string {
	if strings.HasPrefix(n, "+") {
		return n[1:]
	}
	return strings.TrimPrefix(n, "00")
}

// engagelabRequest is the body of POST /v1/messages, decoded strictly so that a misspelt field is caught.
type engagelabRequest struct {
	From       string         `json:"from"`
	To         []string       `json:"to"`
	Body       *engagelabBody `json:"body"`
	RequestID  string         `json:"request_id"`
	CustomArgs map[string]any `json:"custom_args"`
}

type engagelabBody struct {
	Type     string             `json:"type"`
	Template *engagelabTemplate `json:"template"`
	// A session message's object (engagelab_session.go), in place of the template.
	sessions.Content
}

type engagelabTemplate struct {
	Name       string               `json:"name"`
	Language   string               `json:"language"`
	Components []engagelabComponent `json:"components"`
}

type engagelabComponent struct {
	Type       string               `json:"type"`
	SubType    string               `json:"sub_type"`
	Index      string               `json:"index"`
	Parameters []engagelabParameter `json:"parameters"`
}

type engagelabParameter struct {
	Type     string          `json:"type"`
	Text     string          `json:"text"`
	Image    *engagelabMedia `json:"image"`
	Video    *engagelabMedia `json:"video"`
	Document *engagelabMedia `json:"document"`
	Currency map[string]any  `json:"currency"`
	DateTime map[string]any  `json:"date_time"`
}

type engagelabMedia struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

// engagelabParameterTypes lists, by component type (a button's by sub_type), the parameter types it takes. The
// document lists text, currency, date_time, image, video and document, the media "only in the header": so no
// location header, and no payload parameter (a quick reply button takes none).
var engagelabParameterTypes = map[string][]string{
	"header": {"text", "image", "video", "document"},
	"body":   {"text", "currency", "date_time"},
	"url":    {"text"},
}

// check returns what is wrong with the request's shape, naming the field, or "" when it is a well-formed
// template message. Field paths are only formatted for a failure: the handler is on the benchmark's hot path.
func (b *engagelabRequest) check() string {
	switch {
	case len(b.To) == 0:
		return "to is required: an array of at least one phone number"
	case b.Body == nil:
		return "body is required"
	case b.Body.Type != "template":
		return b.Body.checkSession()
	case b.Body.Template == nil:
		return "whatsapp.template field must be set correctly when type is template"
	case !engagelabTemplateName(b.Body.Template.Name):
		return fmt.Sprintf("body.template.name %q must be lowercase letters, digits and underscores", b.Body.Template.Name)
	case b.Body.Template.Language == "":
		return "body.template.language is required"
	}
	var header, body bool
	for i, c := range b.Body.Template.Components {
		msg := c.check()
		if msg == "" && (c.Type == "header" && header || c.Type == "body" && body) {
			msg = ": a template has at most one " + c.Type + " component"
		}
		if msg != "" {
			return fmt.Sprintf("body.template.components[%d]%s", i, msg)
		}
		header, body = header || c.Type == "header", body || c.Type == "body"
	}
	return ""
}

// check returns what is wrong with one component, as a path suffix and a sentence, or "".
func (c *engagelabComponent) check() string {
	key := c.Type
	switch c.Type {
	case "header", "body":
	case "button":
		if n, err := strconv.Atoi(c.Index); err != nil || n < 0 || n > 9 || c.Index != strconv.Itoa(n) {
			return fmt.Sprintf(".index %q must be the button's position, \"0\" to \"9\"", c.Index)
		}
		if c.SubType != "url" {
			return fmt.Sprintf(".sub_type %q must be url: the document lists no parameter for other buttons", c.SubType)
		}
		key = c.SubType
	default:
		return fmt.Sprintf(".type %q must be header, body or button", c.Type)
	}
	switch {
	case len(c.Parameters) == 0:
		return ".parameters is required: at least one parameter"
	case c.Type == "header" && len(c.Parameters) != 1:
		return ": a header takes exactly one parameter"
	}
	allowed := engagelabParameterTypes[key]
	for j, p := range c.Parameters {
		if !slices.Contains(allowed, p.Type) {
			return fmt.Sprintf(".parameters[%d].type %q is not allowed in a %s component: use one of %s",
				j, p.Type, c.Type, strings.Join(allowed, ", "))
		}
		if missing := p.missing(); missing != "" {
			return fmt.Sprintf(".parameters[%d].%s must be set when type is %s", j, missing, p.Type)
		}
	}
	return ""
}

// missing names the field a parameter of a known type lacks, or "".
func (p *engagelabParameter) missing() string {
	switch p.Type {
	case "text":
		if p.Text == "" {
			return "text"
		}
	case "image", "video", "document":
		m := p.Image
		if p.Type == "video" {
			m = p.Video
		} else if p.Type == "document" {
			m = p.Document
		}
		if m == nil || (m.ID == "" && m.Link == "") {
			return p.Type + ".link"
		}
	case "currency":
		if p.Currency == nil {
			return "currency"
		}
	case "date_time":
		if p.DateTime == nil {
			return "date_time"
		}
	}
	return ""
}

// engagelabTemplateName reports whether name is a WhatsApp template name: lowercase letters, digits and underscores.
func engagelabTemplateName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
