package innopaas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"herald/providers"
)

// InnoPaaS does not publish the body of its /msg/submit answer. The parser reads what such answers commonly hold,
// tolerantly: a code that is a number or a string (0 = submitted), a message or msg, and the message id as data
// (a string, a number, an object with messageId / msgId / id, or a list of those) or as a top-level field.
// encoding/json matches field names case-insensitively, so MessageId or CODE are read as well.

// idFields are the names a message id may go by.
type idFields struct {
	MessageID  json.RawMessage `json:"messageId"`
	MessageIDs json.RawMessage `json:"messageIds"`
	MsgID      json.RawMessage `json:"msgId"`
	ID         json.RawMessage `json:"id"`
}

// submitAnswer is an InnoPaaS answer, every field kept raw so that an unexpected type is not an error.
type submitAnswer struct {
	Code    json.RawMessage `json:"code"`
	Message json.RawMessage `json:"message"`
	Msg     json.RawMessage `json:"msg"`
	Data    json.RawMessage `json:"data"`
	idFields
}

// Bounds on what an answer may put into an error, so that a hostile or broken answer cannot flood a log.
const (
	maxCodeLen    = 32
	maxMessageLen = 200
	maxIDLen      = 128
)

// parseAnswer turns an InnoPaaS answer into a receipt or a classified *providers.Error.
func parseAnswer(a providers.Answer) (providers.Receipt, error) {
	var ans submitAnswer
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return providers.Receipt{}, providers.NotJSON(a, fmt.Errorf("decoding the InnoPaaS answer: %w", err))
	}
	code, hasCode, err := readCode(ans.Code)
	if err != nil {
		return providers.Receipt{}, providers.NotJSON(a, err)
	}
	ok := a.Status >= 200 && a.Status < 300
	id := messageID(ans)
	switch {
	case ok && id != "" && (code == successCode || !hasCode):
		return providers.Receipt{MessageID: id}, nil
	case ok && code == successCode:
		// Submitted, but with no id to match receipts by: say so rather than record a silent "sent".
		return providers.Receipt{}, noMessageID(a.Status)
	case hasCode && code != successCode:
		return providers.Receipt{}, classify(a, code, answerText(ans))
	case ok:
		// A 2xx answer with neither a code nor an id: the message may have been accepted.
		return providers.Receipt{}, providers.NotJSON(a, errors.New("the InnoPaaS answer has neither a code nor a message id"))
	default:
		// An error status whose body has no error code (a gateway's own JSON): the status says it all.
		return providers.Receipt{}, providers.HTTPError(a, "")
	}
}

// classify builds the error for an answer carrying a code other than success: a 429 is rate-limited whatever the
// code, then the code table decides, then the HTTP status; a well-formed error answer on a 2xx is permanent.
func classify(a providers.Answer, code, providerMsg string) *providers.Error {
	e := &providers.Error{Code: code, HTTPStatus: a.Status, RetryAfter: providers.RetryAfter(a.Header)}
	meaning, known := codeTable[code]
	switch {
	case a.Status == http.StatusTooManyRequests:
		e.Class, e.Message = providers.ClassRateLimited, "InnoPaaS says requests come too fast: herald slows down"
	case known:
		e.Class, e.Message = meaning.class, meaning.human
	default:
		e.Class = providers.ClassForStatus(a.Status)
		if e.Class == providers.ClassUnknown {
			e.Class = providers.ClassPermanent
		}
		e.Message = fmt.Sprintf("InnoPaaS answered code %s (HTTP %d), which herald does not know", code, a.Status)
	}
	if providerMsg != "" {
		e.Message += fmt.Sprintf(" (InnoPaaS: %q)", providerMsg)
	}
	return e
}

// readCode returns the answer's code as a canonical string ("0", "101"): a JSON number or a string holding one.
// hasCode is false when the field is absent, null or an empty string; any other type is an error.
func readCode(raw json.RawMessage) (code string, hasCode bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, nil
	}
	var s string
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, fmt.Errorf("reading the code of the InnoPaaS answer: %w", err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return "", false, nil
		}
	case '{', '[', 't', 'f':
		return "", false, fmt.Errorf("the code of the InnoPaaS answer is %s, not a number or a string", providers.Snippet(raw, maxCodeLen))
	default:
		s = string(raw)
	}
	return canonicalCode(s), true, nil
}

// canonicalCode writes an integer code in its plain form ("0", not "0.0" or "-0" or "00"), so that the table and
// the success check see one spelling. Anything else is cut to maxCodeLen bytes, with spaces and control
// characters replaced by '_' so that a code stays one word in a log line or a CSV cell.
func canonicalCode(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return r
		}
		return '_'
	}, providers.Snippet([]byte(s), maxCodeLen))
}

// answerText is the provider's own message (message, else msg), cut to maxMessageLen bytes.
func answerText(ans submitAnswer) string {
	for _, raw := range []json.RawMessage{ans.Message, ans.Msg} {
		if s := scalar(raw); s != "" {
			return providers.Snippet([]byte(s), maxMessageLen)
		}
	}
	return ""
}

// messageID finds the message id: in data first, then at the top level.
func messageID(ans submitAnswer) string {
	if id := idIn(ans.Data, 2); id != "" {
		return id
	}
	return firstID(ans.idFields)
}

// idIn reads an id from a data value: a string or number, an object with an id field, or a list whose first
// element is one of those. depth bounds the nesting it follows.
func idIn(raw json.RawMessage, depth int) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth < 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		var f idFields
		if json.Unmarshal(raw, &f) != nil {
			return ""
		}
		return firstID(f)
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
			return ""
		}
		return idIn(list[0], depth-1)
	default:
		return providers.Snippet([]byte(scalar(raw)), maxIDLen)
	}
}

// firstID returns the first id field that holds a string or a number.
func firstID(f idFields) string {
	for _, raw := range []json.RawMessage{f.MessageID, f.MsgID, f.ID} {
		if s := scalar(raw); s != "" {
			return providers.Snippet([]byte(s), maxIDLen)
		}
	}
	return idIn(f.MessageIDs, 1)
}

// scalar returns a JSON string's text or a JSON number's digits, trimmed; "" for anything else.
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch {
	case raw[0] == '"':
		if plain := raw[1 : len(raw)-1]; bytes.IndexByte(plain, '\\') < 0 && utf8.Valid(plain) {
			return strings.TrimSpace(string(plain)) // the common case: no escape to decode
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return string(raw)
	}
	return ""
}
