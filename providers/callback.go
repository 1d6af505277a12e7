package providers

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Delivery states a provider reports after it accepted a message, from the earliest: the state of a message only
// ever moves forward in this order (a late "sent" never undoes "read").
const (
	DeliverySent      = "sent"
	DeliveryFailed    = "failed"
	DeliveryDelivered = "delivered"
	DeliveryRead      = "read"
)

// DeliveryRank orders the delivery states: sent < failed < delivered < read. An unknown state ranks 0.
func DeliveryRank(state string) int {
	switch state {
	case DeliverySent:
		return 1
	case DeliveryFailed:
		return 2
	case DeliveryDelivered:
		return 3
	case DeliveryRead:
		return 4
	}
	return 0
}

// DeliveryEvent is one status callback: what became of a message the provider accepted earlier.
type DeliveryEvent struct {
	// MessageID is the id the send answered (a wamid for Meta, EngageLab's message_id).
	MessageID string
	// Status is one of the Delivery* states.
	Status string
	// At is when the provider says it happened; zero when the callback did not say.
	At time.Time
	// Recipient is the number the message went to, digits, when the callback names it.
	Recipient string
	// ErrorCode and ErrorTitle describe a failure reported afterwards (131049, "...").
	ErrorCode  string
	ErrorTitle string
}

// Inbound is one message a recipient sent to the business: a reply, a quick-reply tap, a picture.
type Inbound struct {
	// ID is the provider's id of the inbound message; duplicates of a callback carry the same one.
	ID string
	// From is the sender's number, digits, country code first.
	From string
	// At is when the provider says it was sent; zero when the callback did not say.
	At time.Time
	// Type is the provider's message type: text, button, interactive, image, ...
	Type string
	// Text is what the recipient wrote: a text's body, a media caption, a tapped button's label.
	Text string
	// ButtonPayload and ButtonText are set for a tap on a quick-reply (or interactive) button.
	ButtonPayload string
	ButtonText    string
	// ContextID is the id of the business message this one answers, when the recipient replied to it.
	ContextID string
}

// Callbacks are what one callback request carried: any number of delivery events and inbound messages.
type Callbacks struct {
	Deliveries []DeliveryEvent
	Inbound    []Inbound
}

// Len is the number of events the callback carried.
func (c Callbacks) Len() int { return len(c.Deliveries) + len(c.Inbound) }

// UnixTime reads a provider's timestamp: unix seconds (Meta), or milliseconds when it is too large to be
// seconds (some BSPs). An empty or unreadable value is the zero time.
func UnixTime(v int64) time.Time {
	switch {
	case v <= 0:
		return time.Time{}
	case v > 1e12:
		return time.UnixMilli(v).UTC()
	}
	return time.Unix(v, 0).UTC()
}

// FlexInt is an integer a provider's JSON writes bare (1733450000) or quoted ("1733450000"), as timestamps
// are; null or "" is 0.
type FlexInt int64

// UnmarshalJSON reads a quoted or bare integer; anything else is an error.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*f = FlexInt(v)
	return nil
}

// Digits keeps the digits of a number as a provider wrote it ("+44 7400 123593" -> "447400123593"), dropping
// a leading 00.
func Digits(n string) string {
	var b strings.Builder
	for i := 0; i < len(n); i++ {
		if n[i] >= '0' && n[i] <= '9' {
			b.WriteByte(n[i])
		}
	}
	return strings.TrimPrefix(b.String(), "00")
}

// SandboxCallbacks are the knobs of the sandbox's callbacks: after accepting a message it posts, in the
// provider's own callback format, delivered (then read for some), a later failure for some, and a STOP reply
// for some. A profile that sets none gets DefaultSandboxCallbacks; Off turns them off.
type SandboxCallbacks struct {
	// URL is where the built-in sandbox posts its callbacks: set by herald for the run, never by the config.
	URL string `yaml:"-"`
	// Off disables the callbacks.
	Off bool `yaml:"off"`
	// Delay is the wait before a message's first callback; Jitter adds a uniform 0..Jitter to each callback.
	Delay  time.Duration `yaml:"delay"`
	Jitter time.Duration `yaml:"jitter"`
	// Read is the share (0..1) of delivered messages that are read; Failed the share of accepted messages that
	// fail later (131049); Stop the share of delivered messages whose recipient replies STOP; Reply the share
	// whose recipient (among the others) replies with a question, which opens their 24-hour window for a
	// follow-up.
	Read   float64 `yaml:"read"`
	Failed float64 `yaml:"failed"`
	Stop   float64 `yaml:"stop"`
	Reply  float64 `yaml:"reply"`
	// Duplicates is the share of callbacks posted twice; Shuffle posts callbacks in random order (read before
	// delivered, a reply before its message is known).
	Duplicates float64 `yaml:"duplicates"`
	Shuffle    bool    `yaml:"shuffle"`
}

// DefaultSandboxCallbacks are the built-in sandbox's knobs when its profile sets none: most messages delivered
// within a second or two, more than half read, a few failing later, a few answered STOP and some answered with a
// question.
var DefaultSandboxCallbacks = SandboxCallbacks{Delay: 200 * time.Millisecond, Jitter: 800 * time.Millisecond,
	Read: 0.6, Failed: 0.03, Stop: 0.02, Reply: 0.2, Duplicates: 0.05}

// Knobs returns the knobs to use: c's, or the defaults when c sets none (its URL aside).
func (c SandboxCallbacks) Knobs() SandboxCallbacks {
	url := c.URL
	c.URL = ""
	if c == (SandboxCallbacks{}) {
		c = DefaultSandboxCallbacks
	}
	c.URL = url
	return c
}
