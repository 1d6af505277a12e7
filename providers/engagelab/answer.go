package engagelab

import (
	"encoding/json"
	"fmt"
	"net/http"

	"herald/providers"
)

// maxEchoed bounds how much of the provider's own message or code an error repeats.
const maxEchoed = 200

// answer is EngageLab's answer: message_id (and the echoed request_id) on success, code and message on failure.
type answer struct {
	MessageID string `json:"message_id"`
	// Code is an int in the document; it is read raw so that a quoted code is understood too.
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// parseAnswer turns an HTTP answer into a receipt or a classified *providers.Error. Precedence: a 429 is
// always rate-limited; a message_id on a 2xx answer is success; a documented code is classified by codeTable;
// an unknown code falls back on the HTTP status, else permanent; a 2xx answer with neither is unknown (the
// message may have gone out).
func parseAnswer(a providers.Answer) (providers.Receipt, error) {
	var ans answer
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return providers.Receipt{}, providers.NotJSON(a, err)
	}
	ok := a.Status >= 200 && a.Status < 300
	if ok && ans.MessageID != "" {
		return providers.Receipt{MessageID: ans.MessageID}, nil
	}
	code := codeText(ans.Code)
	said := providers.Snippet([]byte(ans.Message), maxEchoed)
	if code == "" || (ok && code == "0") {
		if ok {
			return providers.Receipt{}, &providers.Error{Class: providers.ClassUnknown, Code: "bad_answer",
				HTTPStatus: a.Status, Message: fmt.Sprintf("EngageLab answered HTTP %d without a message_id: %q; the message may have been sent",
					a.Status, providers.Snippet(a.Body, 120))}
		}
		if said == "" {
			return providers.Receipt{}, providers.HTTPError(a, "")
		}
		return providers.Receipt{}, providers.HTTPError(a, fmt.Sprintf("EngageLab answered HTTP %d: %q", a.Status, said))
	}
	e := &providers.Error{Code: code, HTTPStatus: a.Status, RetryAfter: providers.RetryAfter(a.Header)}
	if m, known := codeTable[code]; known {
		e.Class, e.Message = m.Class, m.Sentence
	} else {
		e.Class = providers.ClassForStatus(a.Status)
		if e.Class == providers.ClassUnknown {
			e.Class = providers.ClassPermanent
		}
		e.Message = fmt.Sprintf("EngageLab answered HTTP %d with error code %s, which herald does not know", a.Status, code)
	}
	if a.Status == http.StatusTooManyRequests {
		e.Class = providers.ClassRateLimited
	}
	if said != "" {
		e.Message += fmt.Sprintf(" (EngageLab: %q)", said)
	}
	return providers.Receipt{}, e
}

// codeText returns the error code as text: a JSON number as written, a JSON string unquoted, "" when absent
// or not a number or string. It is bounded so that a hostile answer cannot make an error message huge.
func codeText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	s := string(raw)
	switch {
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return ""
		}
	case raw[0] != '-' && (raw[0] < '0' || raw[0] > '9'):
		return ""
	}
	return providers.Snippet([]byte(s), 32)
}
