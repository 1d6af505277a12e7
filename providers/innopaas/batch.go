package innopaas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"herald/providers"
)

// MaxBatch is the most recipients one request names: the document's 1,000.
func (a *Adapter) MaxBatch() int { return MaxRecipients }

// SendBatch submits msg to every number of to in one request (recipientNumber comma-separated, msg.Ref as the
// uid, InnoPaaS's "client batch number") and returns each recipient's outcome as parseAnswers reads it.
func (a *Adapter) SendBatch(ctx context.Context, msg providers.Message, to []string) ([]providers.BatchResult, error) {
	if len(to) == 0 || len(to) > MaxRecipients {
		return nil, badMessage("a request names %d recipients: InnoPaaS takes 1 to %d", len(to), MaxRecipients)
	}
	sr, err := a.buildRequest(msg)
	if err != nil {
		return nil, err
	}
	sr.RecipientNumber = strings.Join(to, ",")
	ans, err := a.submit(ctx, sr)
	if err != nil {
		return nil, err
	}
	return parseAnswers(ans, to)
}

// InnoPaaS does not publish its answer, let alone one per recipient. What herald assumes, and reads tolerantly:
//   - a refusal of the whole request carries a code other than 0 (101, 108, ...), as for one recipient;
//   - an accepted request carries its ids as data.messageIds (or messageIds), one per recipient in the order of
//     recipientNumber; or as a list of per-recipient objects (data itself, or data.messages, data.results,
//     data.list) that name the number (recipientNumber, recipient, phone, phoneNumber, to, mobile) with its
//     messageId (msgId, id), or with a code and message of its own when that recipient was refused;
//   - a recipient the answer gives no id for is unknown (code no_message_id): InnoPaaS probably sent it, and
//     its receipts cannot be matched. So is every recipient of an answer whose ids cannot be told apart (one id
//     for several recipients, a list of another length).

// recipientEntry is one object of a per-recipient list, every field raw so that an unexpected type is no error.
type recipientEntry struct {
	idFields
	RecipientNumber json.RawMessage `json:"recipientNumber"`
	Recipient       json.RawMessage `json:"recipient"`
	Phone           json.RawMessage `json:"phone"`
	PhoneNumber     json.RawMessage `json:"phoneNumber"`
	To              json.RawMessage `json:"to"`
	Mobile          json.RawMessage `json:"mobile"`
	Code            json.RawMessage `json:"code"`
	Message         json.RawMessage `json:"message"`
	Msg             json.RawMessage `json:"msg"`
}

// entryLists are the names a list of per-recipient objects may go by inside data.
type entryLists struct {
	Messages json.RawMessage `json:"messages"`
	Results  json.RawMessage `json:"results"`
	List     json.RawMessage `json:"list"`
}

// parseAnswers reads InnoPaaS's answer to a request naming the numbers to: a whole-request error, or one result
// per number in the order of to.
func parseAnswers(a providers.Answer, to []string) ([]providers.BatchResult, error) {
	var ans submitAnswer
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return nil, providers.NotJSON(a, fmt.Errorf("decoding the InnoPaaS answer: %w", err))
	}
	code, hasCode, err := readCode(ans.Code)
	if err != nil {
		return nil, providers.NotJSON(a, err)
	}
	ok := a.Status >= 200 && a.Status < 300
	if !ok || (hasCode && code != successCode) || (!hasCode && messageID(ans) == "" && len(entries(ans.Data)) == 0) {
		_, err := parseAnswer(a) // the whole request failed, or the answer says nothing: as for one recipient
		return nil, err
	}
	out := make([]providers.BatchResult, len(to))
	if ids := idList(ans); len(ids) == len(to) {
		for i, id := range ids {
			out[i] = result(a, id)
		}
		return out, nil
	}
	if list := entries(ans.Data); len(list) > 0 {
		byNumber := make(map[string]*recipientEntry, len(list))
		for i := range list {
			if n := digits(list[i].number()); n != "" {
				byNumber[n] = &list[i]
			}
		}
		if len(byNumber) == 0 && len(to) == 1 {
			byNumber[digits(to[0])] = &list[0] // one recipient, one unnamed entry: it is that recipient's
		}
		for i, n := range to {
			out[i] = entryResult(a, byNumber[digits(n)])
		}
		return out, nil
	}
	if len(to) == 1 {
		out[0] = result(a, messageID(ans))
		return out, nil
	}
	for i := range out {
		out[i] = result(a, "")
	}
	return out, nil
}

// result is a recipient's outcome when the request was accepted: its receipt, or unknown without an id.
func result(a providers.Answer, id string) providers.BatchResult {
	if id == "" {
		return providers.BatchResult{Err: noMessageID(a.Status)}
	}
	return providers.BatchResult{Receipt: providers.Receipt{MessageID: id}}
}

// entryResult is a recipient's outcome from its entry of a per-recipient list (nil: not listed).
func entryResult(a providers.Answer, e *recipientEntry) providers.BatchResult {
	if e == nil {
		return result(a, "")
	}
	if id := firstID(e.idFields); id != "" {
		return result(a, id)
	}
	code, hasCode, err := readCode(e.Code)
	if err != nil || !hasCode || code == successCode {
		return result(a, "")
	}
	return providers.BatchResult{Err: classify(a, code, entryText(e))}
}

// noMessageID is the outcome of a recipient InnoPaaS accepted without an id to match receipts by.
func noMessageID(status int) *providers.Error {
	return &providers.Error{Class: providers.ClassUnknown, Code: "no_message_id", HTTPStatus: status,
		Message: "InnoPaaS accepted the message but its answer holds no message id for this recipient: " +
			"it was probably sent, and delivery receipts cannot be matched to it"}
}

// idList returns data.messageIds (else a top-level messageIds) when it is a list of ids, nil otherwise.
func idList(ans submitAnswer) []string {
	raws := []json.RawMessage{ans.MessageIDs}
	if d := bytes.TrimSpace(ans.Data); len(d) > 0 && d[0] == '{' {
		var f idFields
		if json.Unmarshal(d, &f) == nil {
			raws = append([]json.RawMessage{f.MessageIDs}, raws...)
		}
	}
	for _, raw := range raws {
		var list []json.RawMessage
		if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &list) != nil {
			continue
		}
		ids := make([]string, len(list))
		for i, r := range list {
			if ids[i] = providers.Snippet([]byte(scalar(r)), maxIDLen); ids[i] == "" {
				return nil
			}
		}
		return ids
	}
	return nil
}

// entries returns the per-recipient objects of data: data itself when it is a list of objects, else its
// messages, results or list.
func entries(data json.RawMessage) []recipientEntry {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil
	}
	if data[0] == '{' {
		var l entryLists
		if json.Unmarshal(data, &l) != nil {
			return nil
		}
		for _, raw := range []json.RawMessage{l.Messages, l.Results, l.List} {
			if list := entries(raw); len(list) > 0 {
				return list
			}
		}
		return nil
	}
	var list []json.RawMessage
	if data[0] != '[' || json.Unmarshal(data, &list) != nil {
		return nil
	}
	out := make([]recipientEntry, 0, len(list))
	for _, raw := range list {
		var e recipientEntry
		if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &e) != nil {
			return nil // not a list of objects
		}
		out = append(out, e)
	}
	return out
}

// number is the recipient an entry names.
func (e *recipientEntry) number() string {
	for _, raw := range []json.RawMessage{e.RecipientNumber, e.Recipient, e.PhoneNumber, e.Phone, e.To, e.Mobile} {
		if s := scalar(raw); s != "" {
			return s
		}
	}
	return ""
}

// entryText is an entry's own message, cut to maxMessageLen bytes.
func entryText(e *recipientEntry) string {
	for _, raw := range []json.RawMessage{e.Message, e.Msg} {
		if s := scalar(raw); s != "" {
			return providers.Snippet([]byte(s), maxMessageLen)
		}
	}
	return ""
}

// digits keeps a number's digits, so that +44 7911 and 0044... name the same recipient as 447911...
func digits(n string) string {
	n = strings.TrimPrefix(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, n), "+")
	return strings.ReplaceAll(strings.TrimPrefix(n, "00"), "+", "")
}
