package providers

import (
	"context"
	"strconv"
	"strings"
)

// Batcher is a Provider whose one request may carry one message to many recipients (InnoPaaS's comma-separated
// recipientNumber, EngageLab's to[]). The engine checks for it with a type assertion and groups rows whose
// messages are identical (Message.BatchKey) into requests of at most MaxBatch recipients; a provider without it,
// or with MaxBatch 1, gets one request per row through Send.
type Batcher interface {
	Provider
	// MaxBatch is the most recipients one request may name (the BatchSize of the provider's capabilities).
	MaxBatch() int
	// SendBatch sends msg (its To is ignored; its Ref is the request's client reference) to every number of to,
	// in one request. An error is the whole request's: nothing was sent to anyone, or, for ClassUnknown, the
	// outcome of every recipient is unknown. Otherwise it returns one result per recipient, in the order of to:
	// a receipt, or that recipient's classified error while the others went.
	SendBatch(ctx context.Context, msg Message, to []string) ([]BatchResult, error)
}

// BatchResult is one recipient's outcome in a batch request.
type BatchResult struct {
	Receipt Receipt
	// Err is the recipient's classified error (*Error), nil when the provider took the message for it.
	Err error
}

// BatchKey identifies what a message says, apart from its recipient and reference: two messages with the same
// key are the same message, and may go to their recipients in one batch request.
func (m Message) BatchKey() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	params := func(part string, ps []Param) {
		b.WriteString(part)
		b.WriteString(strconv.Itoa(len(ps)))
		for _, p := range ps {
			field(string(p.Kind))
			field(p.Text)
			field(p.Filename)
			field(p.Latitude)
			field(p.Longitude)
			field(p.Name)
			field(p.Address)
			field(p.CurrencyCode)
			field(strconv.FormatInt(p.Amount1000, 10))
		}
	}
	field(m.Template)
	field(m.Language)
	params("h", m.Header)
	params("b", m.Body)
	for _, bt := range m.Buttons {
		b.WriteString("k" + strconv.Itoa(bt.Index))
		field(string(bt.Kind))
		params("p", bt.Params)
	}
	if m.Session != nil {
		writeSessionKey(&b, m.Session)
	}
	return b.String()
}

// MatchResults checks a batch's per-recipient results against its size: a provider that answered for another number
// of recipients gets every recipient an unknown outcome (the request left; what became of each is not known).
func MatchResults(results []BatchResult, n int) []BatchResult {
	if len(results) == n {
		return results
	}
	out := make([]BatchResult, n)
	for i := range out {
		out[i].Err = &Error{Class: ClassUnknown, Code: "bad_batch_answer",
			Message: "the provider answered for " + strconv.Itoa(len(results)) + " recipients of a request naming " +
				strconv.Itoa(n) + ": this message may have been sent"}
	}
	return out
}
