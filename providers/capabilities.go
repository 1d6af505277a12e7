package providers

import (
	"slices"
	"strings"
)

// Capabilities is what one provider's documents say its requests can carry and how it sends: the template
// header kinds, the typed body parameters it sends as such, the buttons whose parameters it fills and what each
// needs, how many recipients one request may name, whether it schedules, and the free-form (session) message
// types it sends. Each adapter package keeps its table in capabilities.go, beside its class table;
// open.Capabilities finds the table of a profile's provider, so that a campaign asks "can this profile carry
// this template?" without knowing any provider by name.
type Capabilities struct {
	// Provider names the provider as its users know it ("EngageLab", "Huawei CEC").
	Provider string
	// Source names the document the table is read from, for refusals ("EngageLab's Send Message API").
	Source string
	// Headers are the template header kinds its requests carry.
	Headers []ParamKind
	// TypedBody are the typed body parameters it sends as such (currency, date_time). Any other typed
	// parameter goes as its text, the fallback the recipient reads: a typed parameter is never refused.
	TypedBody []ParamKind
	// Buttons are the button kinds whose parameters it fills, with what each needs.
	Buttons []ButtonSupport
	// BatchSize is the most recipients one request may name; 1 when each request has one recipient.
	BatchSize int
	// Schedules is set when a request may carry a send time and the provider holds the message until then
	// (Huawei's sendAt); the provider's adapter is then a Scheduler.
	Schedules bool
	// SessionTypes are the free-form message types its documents list for the 24-hour window (text, image, ...).
	SessionTypes []string
	// Sessions is what herald sends through it of those: the zero value for none.
	Sessions SessionSupport
}

// ButtonSupport is one button kind a provider fills, and what it needs.
type ButtonSupport struct {
	Kind ButtonKind
	// NeedsPayload is set when every quick reply must carry a payload (Huawei's quickReplyPayload is required
	// for the quick reply button): when the template names none, the button's own text is sent.
	NeedsPayload bool
}

// Needs is what a template asks of a provider: its header kind ("" for none), the typed parameters of its body
// and the kinds of its buttons that take parameters; or, for a session message, what Session says.
type Needs struct {
	Header    ParamKind
	TypedBody []ParamKind
	Buttons   []ButtonKind
	// Session is a session message's needs; nil for a template message.
	Session *SessionNeeds
}

// NeedsOf is what one message asks of a provider, for an adapter's last check before it builds a request.
func NeedsOf(msg Message) Needs {
	var n Needs
	if msg.Session != nil {
		sn := msg.Session.Needs()
		n.Session = &sn
		return n
	}
	if len(msg.Header) > 0 {
		n.Header = msg.Header[0].Kind
	}
	for _, p := range msg.Body {
		if p.Kind != ParamText && p.Kind != "" && !slices.Contains(n.TypedBody, p.Kind) {
			n.TypedBody = append(n.TypedBody, p.Kind)
		}
	}
	for _, b := range msg.Buttons {
		if !slices.Contains(n.Buttons, b.Kind) {
			n.Buttons = append(n.Buttons, b.Kind)
		}
	}
	return n
}

// Carries reports whether a request can carry a header of kind k.
func (c Capabilities) Carries(k ParamKind) bool { return k == "" || slices.Contains(c.Headers, k) }

// SendsTyped reports whether the provider sends a body parameter of kind k as such; false means it goes as its
// text.
func (c Capabilities) SendsTyped(k ParamKind) bool {
	return k == ParamText || k == "" || slices.Contains(c.TypedBody, k)
}

// Button returns what the provider needs of a button of kind k, and whether it fills such buttons at all.
func (c Capabilities) Button(k ButtonKind) (ButtonSupport, bool) {
	for _, b := range c.Buttons {
		if b.Kind == k {
			return b, true
		}
	}
	return ButtonSupport{}, false
}

// Refuse returns the first thing of n the provider cannot carry, nil when it carries it all. Typed body
// parameters are never refused: a provider without them gets their text.
func (c Capabilities) Refuse(n Needs) *Refusal {
	if n.Session != nil {
		return c.refuseSession(n.Session)
	}
	if slices.Contains(templateHeaders, n.Header) && !c.Carries(n.Header) {
		return &Refusal{Provider: c.Provider, Code: "unsupported_header", Feature: articled(string(n.Header)) + " header",
			Reason:  c.Source + " lists " + kindList(c.Headers, "and") + " headers only",
			Fix:     "use an approved template whose header is " + kindList(c.Headers, "or") + " (or none)",
			carries: func(o Capabilities) bool { return o.Carries(n.Header) }}
	}
	for _, k := range n.Buttons {
		if _, ok := c.Button(k); !ok && (k == ButtonURL || k == ButtonQuickReply) {
			return &Refusal{Provider: c.Provider, Code: "unsupported_button", Feature: articled(string(k)) + " button with a parameter",
				Reason:  c.Source + " has no parameter for a " + string(k) + " button",
				Fix:     "use an approved template whose " + string(k) + " buttons are fixed",
				carries: func(o Capabilities) bool { _, ok := o.Button(k); return ok }}
		}
	}
	return nil
}

// templateHeaders are the header kinds a WhatsApp template has; Refuse judges those alone (and url and
// quick_reply buttons): anything else is a malformed message, which the adapter refuses for the row.
var templateHeaders = []ParamKind{ParamText, ParamImage, ParamVideo, ParamDocument, ParamLocation}

// Refusal is a template feature a provider cannot carry: a sentence naming the provider, the feature and the
// fix. It is an input error: the campaign refuses it before anything is sent.
type Refusal struct {
	// Provider is the provider's name; Feature what it cannot carry ("a location header").
	Provider string
	Feature  string
	// Code is the code a row would show if it came to sending (unsupported_header, unsupported_button).
	Code string
	// Reason says why, from the provider's document; Fix what to do.
	Reason string
	Fix    string
	// Alternatives are other providers that carry the feature (set by Alternatives).
	Alternatives []string
	carries      func(Capabilities) bool
}

// Error is the whole sentence: "EngageLab cannot carry a location header: <reason> - <fix>, or send through a
// profile whose provider can (Itniotech, Meta Cloud API)".
func (r *Refusal) Error() string {
	var b strings.Builder
	b.WriteString(r.Provider + " cannot carry " + r.Feature + ": " + r.Reason + " - " + r.Fix)
	if len(r.Alternatives) > 0 {
		b.WriteString(", or send through a profile whose provider can (" + strings.Join(r.Alternatives, ", ") + ")")
	}
	return b.String()
}

// WithAlternatives returns r naming, among all, the providers that carry what r refuses.
func (r *Refusal) WithAlternatives(all []Capabilities) *Refusal {
	out := *r
	out.Alternatives = nil
	for _, c := range all {
		if c.Provider != r.Provider && r.carries != nil && r.carries(c) && !slices.Contains(out.Alternatives, c.Provider) {
			out.Alternatives = append(out.Alternatives, c.Provider)
		}
	}
	return &out
}

// AsError is the refusal as an adapter returns it when a message reaches it anyway: fatal for the campaign,
// since every row of the template would be refused alike. Nothing was sent.
func (r *Refusal) AsError() *Error {
	return &Error{Class: ClassFatal, Code: r.Code, Message: r.Error()}
}

// kindList writes kinds as "text, image, video or document" (conj "or") or "... and document".
func kindList(kinds []ParamKind, conj string) string { return wordList(kinds, conj) }

// wordList writes words as "a, b or c" (conj "or") or "a, b and c"; "no" for none.
func wordList[T ~string](words []T, conj string) string {
	s := make([]string, len(words))
	for i, k := range words {
		s[i] = string(k)
	}
	switch len(s) {
	case 0:
		return "no"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

// articled puts "a" or "an" before a word.
func articled(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}
