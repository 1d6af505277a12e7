package meta

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"herald/providers"
)

// answerBody is what the messages endpoint answers: messages[0].id (the wamid) on success, the Graph error
// object otherwise.
type answerBody struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Error *graphError `json:"error"`
}

// graphError is the Graph API error object. ErrorData stays raw: the Cloud API sends an object with details,
// older Graph answers a string, and neither must make the whole answer unreadable.
type graphError struct {
	Message     string          `json:"message"`
	Type        string          `json:"type"`
	Code        int             `json:"code"`
	Subcode     int             `json:"error_subcode"`
	IsTransient bool            `json:"is_transient"`
	ErrorData   json.RawMessage `json:"error_data"`
	FBTraceID   string          `json:"fbtrace_id"`
}

// maxProviderText bounds how much of Meta's own wording an error carries.
const maxProviderText = 300

// redacted replaces a secret found in an answer (a proxy echoing the request's headers) before any of it can
// reach an error message.
const redacted = "[redacted]"

// errNoMessageID is why a 2xx answer that parsed as JSON is still not a receipt.
var errNoMessageID = errors.New("the answer has no messages[0].id")

// parseAnswer reads the messages endpoint's answer: a receipt with the wamid, or a classified *providers.Error.
// Any occurrence of secret in the body is redacted first, so no error text can carry it.
func parseAnswer(ans providers.Answer, secret []byte) (providers.Receipt, error) {
	if len(secret) > 0 && bytes.Contains(ans.Body, secret) {
		ans.Body = bytes.ReplaceAll(ans.Body, secret, []byte(redacted))
	}
	success := ans.Status >= 200 && ans.Status < 300
	if success {
		if id, ok := acceptedID(ans.Body); ok {
			return providers.Receipt{MessageID: id}, nil
		}
	}
	var body answerBody
	if err := json.Unmarshal(ans.Body, &body); err != nil {
		return providers.Receipt{}, providers.NotJSON(ans, err)
	}
	if body.Error != nil {
		return providers.Receipt{}, classify(ans, body.Error)
	}
	if success && len(body.Messages) > 0 && body.Messages[0].ID != "" {
		return providers.Receipt{MessageID: body.Messages[0].ID}, nil
	}
	if success {
		// Meta may well have accepted the message: without its id the outcome is unknown.
		return providers.Receipt{}, providers.NotJSON(ans, errNoMessageID)
	}
	return providers.Receipt{}, providers.HTTPError(ans, "")
}

// classify turns a Graph error object into a classified error: the documented code's row of errorClasses, else
// the HTTP status (a transient-flagged error is retried), else permanent.
func classify(ans providers.Answer, e *graphError) *providers.Error {
	row, known := lookupClass(e.Code, e.Subcode)
	if !known {
		row = errorClass{class: providers.ClassForStatus(ans.Status), sentence: "Meta answered with an error herald does not know"}
		if e.IsTransient && (row.class == providers.ClassUnknown || row.class == providers.ClassPermanent) {
			row.class = providers.ClassRetryable
		}
		if row.class == providers.ClassUnknown {
			row.class = providers.ClassPermanent
		}
	}
	code := "http_" + strconv.Itoa(ans.Status)
	if e.Code != 0 {
		code = strconv.Itoa(e.Code)
	}
	return &providers.Error{Class: row.class, Code: code, Message: describe(row.sentence, e), HTTPStatus: ans.Status,
		RetryAfter: providers.RetryAfter(ans.Header)}
}

// describe joins herald's sentence with Meta's own words: the message, the details and the fbtrace_id that
// Meta's support asks for.
func describe(sentence string, e *graphError) string {
	var b strings.Builder
	b.WriteString(sentence)
	if e.Message != "" {
		b.WriteString("; Meta says: ")
		b.WriteString(providers.Snippet([]byte(e.Message), maxProviderText))
	}
	if d := details(e.ErrorData); d != "" {
		b.WriteString(" (")
		b.WriteString(providers.Snippet([]byte(d), maxProviderText))
		b.WriteString(")")
	}
	if e.FBTraceID != "" {
		b.WriteString(" [fbtrace_id ")
		b.WriteString(providers.Snippet([]byte(e.FBTraceID), 64))
		b.WriteString("]")
	}
	return b.String()
}

// details returns error_data.details, or error_data itself when it is a string.
func details(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var obj struct {
		Details string `json:"details"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Details
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}
