// Package providers holds the vocabulary every provider adapter speaks: the Provider interface the send engine
// calls, the Message it sends, the Receipt it gets back and the classified Error that tells the engine what to do
// next. Each provider lives in its own sub-package (itniotech, huawei, engagelab, innopaas, meta), every one laid
// out alike: <name>.go (the adapter, New, Send, Close), request.go, answer.go, classes.go, the table that maps
// its documented answers to an error Class, and capabilities.go, the table of what its documents say it can
// carry (huawei adds token.go; innopaas batch.go, its per-recipient answers). cloudapi holds the Cloud API
// template components that meta, itniotech and engagelab send; open turns a profile into a Provider and finds
// its Capabilities; sandbox is a real HTTP simulator of all of them. A provider whose requests take many
// recipients also implements Batcher (batch.go).
//
// Every request goes through Do, which never follows a redirect and makes a TLS failure fatal: credentials go to
// the host of the profile and nowhere else.
//
// This package imports nothing of herald's: the campaign engine builds on it, never the other way round.
package providers

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Provider sends one message: a template message, or a session message where its capabilities say it sends
// them. Implementations are safe for concurrent use by many workers.
type Provider interface {
	// Send delivers msg to the provider. It returns the provider's receipt, or an *Error (possibly wrapped)
	// whose Class tells the engine whether to retry, slow down, fail the row, stop the campaign or record an
	// unknown outcome. Any other error is treated as ClassUnknown.
	Send(ctx context.Context, msg Message) (Receipt, error)
	// Close releases idle connections and any background work (token refresh, an in-process sandbox).
	Close() error
}

// ParamKind says what a template parameter carries.
type ParamKind string

// The parameter kinds WhatsApp templates accept in the parameters this tool fills: text, the header's media and
// location, and the body's typed parameters (currency, date_time).
const (
	ParamText     ParamKind = "text"
	ParamImage    ParamKind = "image"
	ParamVideo    ParamKind = "video"
	ParamDocument ParamKind = "document"
	ParamLocation ParamKind = "location"
	// ParamCurrency is an amount in a currency: CurrencyCode and Amount1000, with Text as its fallback ("$12.50").
	ParamCurrency ParamKind = "currency"
	// ParamDateTime is a date or time; Text is its fallback, the text the recipient reads.
	ParamDateTime ParamKind = "date_time"
)

// Param is one filled template parameter, in the order the template expects it.
type Param struct {
	Kind ParamKind `json:"kind"`
	// Text is the text of a text parameter, the link of an image, video or document, or the fallback text of a
	// currency or date_time parameter: what the recipient reads, and what a provider without typed parameters
	// sends as text.
	Text string `json:"text,omitempty"`
	// CurrencyCode (ISO 4217, "USD") and Amount1000 (the amount x 1000: 12.50 is 12500) are a currency
	// parameter's.
	CurrencyCode string `json:"currency_code,omitempty"`
	Amount1000   int64  `json:"amount_1000,omitempty"`
	// Filename is a document's file name as the recipient sees it.
	Filename string `json:"filename,omitempty"`
	// Location fields, for a location header.
	Latitude  string `json:"latitude,omitempty"`
	Longitude string `json:"longitude,omitempty"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// ButtonKind is the sub-type of a template button that takes a parameter.
type ButtonKind string

// The button kinds that carry parameters.
const (
	ButtonURL        ButtonKind = "url"
	ButtonQuickReply ButtonKind = "quick_reply"
)

// ButtonParams holds the parameters of one template button. Only buttons that take parameters are listed:
// a dynamic URL button (its one text parameter is the URL suffix) or a quick reply with a payload.
type ButtonParams struct {
	// Index is the button's position among all the template's buttons, from 0.
	Index int        `json:"index"`
	Kind  ButtonKind `json:"kind"`
	// Params are the button's parameters: the URL suffix for a URL button, the payload for a quick reply.
	Params []Param `json:"params"`
}

// Message is one message to one recipient, as every provider needs it: a template message (Template, Language
// and the parameters), or a session message (Session).
type Message struct {
	// To is the recipient: digits only, country code first, no '+' (447911123456).
	To string `json:"to"`
	// Template is the approved template's name at the provider; Language its language code (en_US).
	Template string `json:"template"`
	Language string `json:"language"`
	// Header holds the header's parameters (at most one); Body the body's, in order ({{1}} first).
	Header  []Param        `json:"header,omitempty"`
	Body    []Param        `json:"body,omitempty"`
	Buttons []ButtonParams `json:"buttons,omitempty"`
	// Session is a session message's content; nil for a template message, which every field above describes.
	Session *Session `json:"session,omitempty"`
	// Ref is the client reference, unique per row attempt: [A-Za-z0-9_-], at most 32 characters. Adapters use it
	// where the provider has a client id (bulkId, messageId, uid, custom_args).
	Ref string `json:"ref"`
}

// Receipt is what a provider answered for an accepted message.
type Receipt struct {
	// MessageID is the provider's id for the message (a wamid for Meta).
	MessageID string
}

// Class is what an error means for the campaign. The engine acts on classes, never on provider codes.
type Class int

// The error classes, from the mildest.
const (
	// ClassUnknown: the request may have left and no answer came (timeout, connection reset after writing).
	// The row is recorded unknown and not resent unless the user asks.
	ClassUnknown Class = iota
	// ClassRetryable: a transient failure (5xx, network failure before the request left, documented transient
	// codes). Retry with backoff, honouring RetryAfter.
	ClassRetryable
	// ClassRateLimited: the provider says we are too fast. Retry the row and slow the whole campaign down.
	ClassRateLimited
	// ClassPermanent: this row can never succeed as it is (bad number, parameter mismatch). The row fails.
	ClassPermanent
	// ClassFatal: no row can succeed (authentication, balance, template missing or paused, IP not allowed).
	// The campaign stops at once.
	ClassFatal
)

// String names the class in lower case, as the results CSV and the events show it.
func (c Class) String() string {
	switch c {
	case ClassRetryable:
		return "retryable"
	case ClassRateLimited:
		return "rate_limited"
	case ClassPermanent:
		return "permanent"
	case ClassFatal:
		return "fatal"
	default:
		return "unknown"
	}
}

// Error is a classified provider failure. Its text never holds a secret.
type Error struct {
	Class Class
	// Code is the provider's own error code ("131026", "-4", "2001") or, when there is none, "http_<status>" or
	// a herald code such as "timeout" or "bad_response".
	Code string
	// Message is a human sentence: the provider's message, or what went wrong.
	Message string
	// HTTPStatus is the HTTP status of the answer, 0 when none came.
	HTTPStatus int
	// RetryAfter is the wait the provider asked for (Retry-After), 0 when it did not say.
	RetryAfter time.Duration
	// Err is the underlying error, if any (a network error, a JSON error).
	Err error
}

// Error formats the class, code and message.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Code != "" {
		return fmt.Sprintf("%s error %s: %s", e.Class, e.Code, msg)
	}
	return fmt.Sprintf("%s error: %s", e.Class, msg)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Classify returns the class of err: the Class of an *Error anywhere in its chain, ClassUnknown otherwise
// (context cancellation included: a cancelled request may have left).
func Classify(err error) Class {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class
	}
	return ClassUnknown
}

// AsError returns the *Error in err's chain, or wraps err as a ClassUnknown error.
func AsError(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Class: ClassUnknown, Code: "unknown", Message: err.Error(), Err: err}
}
