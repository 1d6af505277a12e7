package huawei

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"herald/providers"
)

// sendAnswer is the part of sendWhatsappMessage's 200 answer (Table 12) herald reads: each message's id and
// status.
type sendAnswer struct {
	Messages []answerMessage `json:"messages"`
}

// answerMessage is the MessageObject (Table 9).
type answerMessage struct {
	MessageID string         `json:"messageId"`
	Status    *messageStatus `json:"status"`
}

// messageStatus is the StatusObject (Table 11). GroupID is kept raw: the document types it as a number, and a
// deployment that quotes it must not make a good answer unreadable.
type messageStatus struct {
	GroupID     json.RawMessage `json:"groupId"`
	GroupName   string          `json:"groupName"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Action      string          `json:"action"`
}

// fabricError is the body of a non-200 answer. The CEC's API Fabric answers {"errorCode", "exceptionInfo"}; the
// gateway in front of it (Huawei Cloud's API Gateway) answers {"error_code", "error_msg"}, and other deployments
// {"code", "message"} or {"resultCode", "resultDesc"}: every one is read, so that the reason is kept whatever
// the shape. Codes are kept raw, as a string or a number.
type fabricError struct {
	ErrorCode     json.RawMessage `json:"errorCode"`
	ExceptionInfo string          `json:"exceptionInfo"`
	GatewayCode   json.RawMessage `json:"error_code"`
	GatewayMsg    string          `json:"error_msg"`
	Code          json.RawMessage `json:"code"`
	Message       string          `json:"message"`
	Msg           string          `json:"msg"`
	ResultCode    json.RawMessage `json:"resultCode"`
	ResultDesc    string          `json:"resultDesc"`
	Description   string          `json:"description"`
	// raw is the body, for an error whose JSON names its reason under none of these.
	raw []byte
}

// errNoMessages is why a 2xx answer that parsed as JSON is still not a receipt.
var errNoMessages = errors.New("the answer has no messages[0]")

// parseAnswer reads sendWhatsappMessage's answer: a receipt with the message id (the request's messageId, ref,
// when the answer names none), or a classified *providers.Error whose text holds none of secrets.
func parseAnswer(ans providers.Answer, ref string, secrets [][]byte) (providers.Receipt, error) {
	ans.Body = redact(ans.Body, secrets)
	r, e := readAnswer(ans, ref)
	if e != nil {
		return providers.Receipt{}, scrub(e, secrets)
	}
	return r, nil
}

// readAnswer is parseAnswer before the error text is scrubbed.
func readAnswer(ans providers.Answer, ref string) (providers.Receipt, *providers.Error) {
	if ans.Status < 200 || ans.Status > 299 {
		fe := fabricError{raw: ans.Body}
		if err := json.Unmarshal(ans.Body, &fe); err != nil {
			return providers.Receipt{}, providers.NotJSON(ans, err)
		}
		return providers.Receipt{}, httpError(ans, &fe)
	}
	var body sendAnswer
	err := json.Unmarshal(ans.Body, &body)
	if err == nil && len(body.Messages) == 0 {
		err = errNoMessages
	}
	if err != nil {
		// The CEC may well have accepted the message: without its status the outcome is unknown.
		return providers.Receipt{}, providers.NotJSON(ans, err)
	}
	m := &body.Messages[0]
	if e := statusError(ans, m.Status); e != nil {
		return providers.Receipt{}, e
	}
	if m.MessageID == "" {
		return providers.Receipt{MessageID: ref}, nil
	}
	return providers.Receipt{MessageID: m.MessageID}, nil
}

// statusError classifies a destination's status: nil when the message was taken (any group but the failed
// ones: the document's own example succeeds with groupName "send-test"), else the row of its name, or of its
// group when the name is not in the table.
func statusError(ans providers.Answer, st *messageStatus) *providers.Error {
	if st == nil {
		return nil
	}
	group := strings.ToUpper(st.GroupName)
	if group == "" {
		group = failedGroupIDs[string(bytes.Trim(st.GroupID, `"`))]
	}
	row, failed := failedGroups[group]
	if !failed {
		return nil
	}
	code := group
	if name := strings.ToUpper(st.Name); name != "" {
		code = name
		if r, ok := codeClasses[name]; ok {
			row = r
		}
	}
	detail := st.Description
	if st.Action != "" {
		detail += " (" + st.Action + ")"
	}
	return &providers.Error{Class: row.class, Code: code, Message: describe(row.sentence, detail),
		HTTPStatus: ans.Status, RetryAfter: providers.RetryAfter(ans.Header)}
}

// httpError classifies a non-2xx answer by its status: the row of the documented status, else the default
// status table, else permanent (a well-formed error answer that names no known cause).
func httpError(ans providers.Answer, fe *fabricError) *providers.Error {
	code := "http_" + strconv.Itoa(ans.Status)
	row, ok := codeClasses[code]
	if !ok {
		row = codeClass{providers.ClassForStatus(ans.Status), "the CEC answered with an HTTP status herald does not know"}
		if row.class == providers.ClassUnknown {
			row.class = providers.ClassPermanent
		}
	}
	return &providers.Error{Class: row.class, Code: code, Message: describe(row.sentence, fe.detail()),
		HTTPStatus: ans.Status, RetryAfter: providers.RetryAfter(ans.Header)}
}

// detail is the CEC's own words: its message and its code, under whichever names the answer gave them; the
// answer itself when it names them under none.
func (fe *fabricError) detail() string {
	var code string
	for _, raw := range []json.RawMessage{fe.ErrorCode, fe.GatewayCode, fe.Code, fe.ResultCode} {
		if c := string(bytes.Trim(bytes.TrimSpace(raw), `"`)); c != "" && c != "null" {
			code = c
			break
		}
	}
	var msg string
	for _, m := range []string{fe.ExceptionInfo, fe.GatewayMsg, fe.Message, fe.Msg, fe.ResultDesc, fe.Description} {
		if m = strings.TrimSpace(m); m != "" {
			msg = m
			break
		}
	}
	switch {
	case code == "" && msg == "":
		if raw := providers.Snippet(fe.raw, maxProviderText); raw != "{}" && raw != "null" {
			return raw
		}
		return ""
	case code == "":
		return msg
	case msg == "":
		return "errorCode " + code
	}
	return msg + " (errorCode " + code + ")"
}

// maxProviderText bounds how much of the CEC's own wording an error carries.
const maxProviderText = 300

// describe joins herald's sentence with the CEC's own words, when it gave any.
func describe(sentence, detail string) string {
	if detail = providers.Snippet([]byte(detail), maxProviderText); detail == "" {
		return sentence
	}
	return sentence + "; the CEC says: " + detail
}
