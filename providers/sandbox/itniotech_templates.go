package sandbox

import (
	"herald/providers/sandbox/templateadd"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The itniotech dialect's template API: POST /wa/template/add creates a template, which starts PENDING and ends
// its review Options.TemplateReview later, on Options.TemplateClock: APPROVED, or REJECTED when its name starts
// with RejectedTemplatePrefix. POST /wa/template/query reports templates; Itniotech documents only its path and
// the statuses, so the sandbox takes {appId, channelType?, templateName?, language?} (no templateName: every
// template it created, as a list) and answers the template/add data object (a list when several match), with
// the review's reason under "reason". A template that is not there is -38, the documented "template was not
// found". A send on a template created here is refused with -2 (Incorrect template status) until it is
// APPROVED. Templates the sandbox did not create count as approved in the provider's console, so that sends
// need no create first; Options.StrictTemplates makes them missing instead.

// Template API paths.
const (
	itnioTemplateAddPath   = "/wa/template/add"
	itnioTemplateQueryPath = "/wa/template/query"
)

// RejectedTemplatePrefix starts the names of templates the sandbox's review rejects.
const RejectedTemplatePrefix = "rejected_"

// rejectedReason is the reason the sandbox gives a rejected template, in Meta's words.
const rejectedReason = "INVALID_FORMAT: the sandbox rejects every template whose name starts with " + RejectedTemplatePrefix

// itnioTemplateReasons are the documented reasons of the template API's codes (template/add's table).
var itnioTemplateReasons = map[string]string{
	"-2":   "Incorrect template status",
	"-18":  "The fileId cannot be blank",
	"-21":  "The header message is too long.",
	"-23":  "Button type cannot be empty",
	"-24":  "The quantity of buttons are too many",
	"-32":  "The current templateName and language already exist",
	"-33":  "The elementName format is incorrect.",
	"-34":  "Template content cannot have continuous variables",
	"-38":  "It is failed to delete the template,current template was not found.",
	"-74":  "The languageCode format err",
	"-75":  "The template type does not match the existing type.",
	"-76":  "Please enter the correct type",
	"-77":  "Please enter the correct format PhoneNumber and areaCode",
	"-78":  "Please enter the correct language",
	"-82":  "The bodyExample is too long",
	"-83":  "Please enter the correct format params",
	"-84":  "The text cannot be empty",
	"-86":  "Template body type cannot be null",
	"-87":  "Template footer type cannot be null",
	"-89":  "Template component cannot be null",
	"-90":  "The header cannot have continuous variables",
	"-91":  "The number of variables in the header text does not match the number of examples. or The number of variables in the header text can not greater than one",
	"-92":  "The text length cannot be greater than 25",
	"-99":  "The channelType error !",
	"-100": "header format cannot be empty case type is text",
	"-101": "Please enter the correct format value",
	"-102": "Please enter the correct of button type, only OTP is supported(type:3)",
	"-103": "Body text not be null when type not 0 (AUTHENTICATION)",
	"-104": "The body add security recommendation param error",
	"-105": "Template footer text length cannot more than 60",
	"-106": "code_expiration_minutes must be lower or equal to 90",
	"-108": "Button otp_type cannot be empty",
	"-109": "when template type is 0 (AUTHENTICATION), buttons cannot be empty",
}

// ItniotechTemplateCodes lists every status code the itniotech dialect's template endpoints (and the send's
// template gate) can answer, success excluded, sorted: tests prove each has a clear sentence.
func ItniotechTemplateCodes() []string {
	list := []string{"-1", "-4", "-7", "-8", "-10"}
	for code := range itnioTemplateReasons {
		list = append(list, code)
	}
	slices.Sort(list)
	return list
}

// itnioTemplateFault is an error answer of the template API, with detail after the documented reason.
func itnioTemplateFault(code, detail string) itnioAnswer {
	if reason, ok := itnioTemplateReasons[code]; ok {
		if detail != "" {
			reason += ": " + detail
		}
		return itnioAnswer{Status: code, Reason: reason}
	}
	return itnioFault(code, detail)
}

// itnioTemplateAnswer is a template answer: the envelope with one template object, or a list of them.
type itnioTemplateAnswer struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
	Data   any    `json:"data"`
}

// itnioTemplateData is template/add's documented data object, with the review's reason.
type itnioTemplateData struct {
	TemplateID   string `json:"templateId,omitempty"`
	TemplateName string `json:"templateName"`
	Type         string `json:"type,omitempty"`
	LanguageCode string `json:"languageCode"`
	Status       string `json:"status"`
	Reason       string `json:"reason,omitempty"`
}

// sandboxTemplate is one template created through template/add.
type sandboxTemplate struct {
	id, name, language string
	typ                int
	created            time.Time
}

// templateRegistry holds the templates created through the sandbox, in the order they were created.
type templateRegistry struct {
	mu   sync.Mutex
	list []sandboxTemplate
}

// add stores t unless a template of that name and language exists (-32) or the name exists with another
// type (-75); it returns the refusal's code, "" when stored.
func (r *templateRegistry) add(t sandboxTemplate) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range r.list {
		switch {
		case o.name == t.name && o.language == t.language:
			return "-32"
		case o.name == t.name && o.typ != t.typ:
			return "-75"
		}
	}
	r.list = append(r.list, t)
	return ""
}

// find returns the templates called name ("" for all) in language ("" for all), and whether any template of
// that name exists at all.
func (r *templateRegistry) find(name, language string) (found []sandboxTemplate, nameKnown bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.list {
		if name != "" && t.name != name {
			continue
		}
		nameKnown = true
		if language == "" || t.language == language {
			found = append(found, t)
		}
	}
	return found, nameKnown
}

// templateNow is the clock template reviews are timed on.
func (s *Server) templateNow() time.Time {
	if s.opts.TemplateClock != nil {
		return s.opts.TemplateClock()
	}
	return time.Now()
}

// templateState is where t's review stands now: PENDING until Options.TemplateReview has passed, then
// APPROVED, or REJECTED with a reason for a name starting with RejectedTemplatePrefix.
func (s *Server) templateState(t sandboxTemplate) (status, reason string) {
	if s.templateNow().Before(t.created.Add(s.opts.TemplateReview)) {
		return "PENDING", ""
	}
	if strings.HasPrefix(t.name, RejectedTemplatePrefix) {
		return "REJECTED", rejectedReason
	}
	return "APPROVED", ""
}

// templateData is t as the template API shows it.
func (s *Server) templateData(t sandboxTemplate) itnioTemplateData {
	status, reason := s.templateState(t)
	return itnioTemplateData{TemplateID: t.id, TemplateName: t.name, Type: strconv.Itoa(t.typ), LanguageCode: t.language,
		Status: status, Reason: reason}
}

// templateSendable reports whether a send on template name in language ("" for any) may go out: always for a
// template the sandbox did not create (unless StrictTemplates), else only when it is APPROVED.
func (s *Server) templateSendable(name, language string) bool {
	found, known := s.templates.find(name, language)
	if !known {
		return !s.opts.StrictTemplates
	}
	for _, t := range found {
		if status, _ := s.templateState(t); status == "APPROVED" {
			return true
		}
	}
	return false
}

// itniotechTemplateAdd serves POST /wa/template/add.
func (s *Server) itniotechTemplateAdd(w http.ResponseWriter, r *http.Request) {
	acc := s.opts.Credentials["itniotech"]
	var body templateadd.Body
	if code, detail := itnioTemplateRequest(r, acc, &body); code != "" {
		writeJSON(w, http.StatusOK, itnioTemplateFault(code, detail))
		return
	}
	if code, detail := body.Check(acc.AppID); code != "" {
		writeJSON(w, http.StatusOK, itnioTemplateFault(code, detail))
		return
	}
	t := sandboxTemplate{id: s.newID("tpl"), name: body.TemplateName, language: body.Language, typ: *body.Type,
		created: s.templateNow()}
	if code := s.templates.add(t); code != "" {
		writeJSON(w, http.StatusOK, itnioTemplateFault(code, ""))
		return
	}
	data := s.templateData(t)
	data.Status, data.Reason = "PENDING", "" // the review starts with the answer
	writeJSON(w, http.StatusOK, itnioTemplateAnswer{Status: "0", Reason: itnioReasons["0"], Data: data})
}

// itnioTemplateQuery is the body the sandbox takes on POST /wa/template/query (an assumption: see above).
type itnioTemplateQuery struct {
	AppID        string `json:"appId"`
	ChannelType  *int   `json:"channelType"`
	TemplateName string `json:"templateName"`
	Language     string `json:"language"`
}

// itniotechTemplateQuery serves POST /wa/template/query.
func (s *Server) itniotechTemplateQuery(w http.ResponseWriter, r *http.Request) {
	acc := s.opts.Credentials["itniotech"]
	var q itnioTemplateQuery
	if code, detail := itnioTemplateRequest(r, acc, &q); code != "" {
		writeJSON(w, http.StatusOK, itnioTemplateFault(code, detail))
		return
	}
	switch {
	case q.AppID == "":
		writeJSON(w, http.StatusOK, itnioTemplateFault("-8", "appId is required"))
		return
	case q.AppID != acc.AppID:
		writeJSON(w, http.StatusOK, itnioTemplateFault("-10", ""))
		return
	case q.ChannelType != nil && *q.ChannelType != 0:
		writeJSON(w, http.StatusOK, itnioTemplateFault("-99", ""))
		return
	case q.Language != "" && !templateadd.LanguageCode(q.Language):
		writeJSON(w, http.StatusOK, itnioTemplateFault("-74", ""))
		return
	}
	found, known := s.templates.find(q.TemplateName, q.Language)
	var data any
	switch {
	case q.TemplateName != "" && !known && !s.opts.StrictTemplates:
		// Not created here: as if it had been created and approved in the provider's console.
		data = itnioTemplateData{TemplateName: q.TemplateName, LanguageCode: q.Language, Status: "APPROVED"}
	case q.TemplateName != "" && len(found) == 0:
		writeJSON(w, http.StatusOK, itnioTemplateFault("-38", ""))
		return
	case q.TemplateName != "" && len(found) == 1:
		data = s.templateData(found[0])
	default:
		list := make([]itnioTemplateData, 0, len(found))
		for _, t := range found {
			list = append(list, s.templateData(t))
		}
		data = list
	}
	writeJSON(w, http.StatusOK, itnioTemplateAnswer{Status: "0", Reason: itnioReasons["0"], Data: data})
}

// itnioTemplateRequest authenticates a template API request and decodes its body strictly into v; it returns
// the refusal's code and detail, "" when the request is fine.
func itnioTemplateRequest(r *http.Request, acc Account, v any) (code, detail string) {
	if code := itnioAuth(r.Header, acc, time.Now()); code != "" {
		return code, ""
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return "-7", "Content-Type must be application/json"
	}
	if err := readJSON(r, v, true); err != nil {
		return "-7", err.Error()
	}
	return "", ""
}
