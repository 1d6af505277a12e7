package itniotech

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"herald/providers"
)

// statusSent is the envelope status of an accepted message.
const statusSent = "0"

// envelope is every Itniotech answer: {"status":"0","reason":"success","data":{...}}. Data is decoded only on
// success, so an error answer with an odd data field is still read.
type envelope struct {
	Status looseString     `json:"status"`
	Reason string          `json:"reason"`
	Data   json.RawMessage `json:"data"`
}

// sentData is the data of a success answer.
type sentData struct {
	MessageID looseString `json:"messageId"`
}

// looseString reads a JSON string or number as its text: Itniotech documents status and messageId as strings,
// and a number there must not make a sent message look like a failure.
type looseString string

// UnmarshalJSON accepts a string, a number or null.
func (s *looseString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("reading a string: %w", err)
		}
		*s = looseString(v)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a string or a number: %w", err)
	}
	*s = looseString(n)
	return nil
}

// maxCodeLen bounds a status code: longer is not an Itniotech code, and would not fit the results CSV's code
// column.
const maxCodeLen = 32

// errNoStatus is why a JSON answer without a usable status is not the expected envelope.
var errNoStatus = errors.New("the answer has no status code")

// parseAnswer reads an Itniotech answer: a receipt for status "0" with a messageId, otherwise a classified error.
func parseAnswer(a providers.Answer) (providers.Receipt, error) {
	var env envelope
	if err := json.Unmarshal(a.Body, &env); err != nil {
		return providers.Receipt{}, providers.NotJSON(a, err)
	}
	status := strings.TrimSpace(string(env.Status))
	if status == "" || len(status) > maxCodeLen {
		return providers.Receipt{}, providers.NotJSON(a, errNoStatus)
	}
	if status != statusSent {
		return providers.Receipt{}, statusError(a, status, env.Reason)
	}
	var data sentData
	if len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, &data); err != nil {
			return providers.Receipt{}, providers.NotJSON(a, err)
		}
	}
	if data.MessageID == "" {
		// Itniotech said success: the message may well have gone, so it must not be resent blindly.
		return providers.Receipt{}, &providers.Error{Class: providers.ClassUnknown, Code: "no_message_id",
			HTTPStatus: a.Status,
			Message: fmt.Sprintf("Itniotech answered success (HTTP %d) without a messageId, so the message may have been sent: check the Itniotech console before resending",
				a.Status)}
	}
	return providers.Receipt{MessageID: string(data.MessageID)}, nil
}
