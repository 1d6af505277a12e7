// Package engagelab is herald's adapter for EngageLab's WhatsApp Send Message API: POST {base}/v1/messages with
// HTTP Basic authentication (dev_key:dev_secret) and a template message body, to one recipient (Send) or many
// (SendBatch: the to[] array). It turns each documented error code into a providers.Class (classes.go) so the
// send engine knows whether to retry, slow down, fail the row or stop the campaign; what it can carry is in
// capabilities.go.
package engagelab

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"

	"herald/providers"
)

// DefaultBaseURL is the scheme and host of EngageLab's documented WhatsApp API.
const DefaultBaseURL = "https://wa.api.engagelab.cc"

// SendPath is the documented path of the Send Message API, kept when a profile sets base_url.
const SendPath = "/v1/messages"

// contentTypeJSON is shared, read-only, by every request's header map.
var contentTypeJSON = []string{"application/json"}

// Adapter sends template messages through one EngageLab account. It is safe for concurrent use.
type Adapter struct {
	client *http.Client
	url    string
	// authorization is the precomputed Authorization header value, shared read-only by every request.
	authorization []string
	from          string
	// secrets are the credentials as they could come back in an answer (base64 pair, dev_secret, dev_key).
	secrets [][]byte
}

// New returns an adapter for profile p (provider engagelab: dev_key, dev_secret and from are required) sending
// with client. A nil client gets providers.NewHTTPClient sized from the profile.
func New(p providers.Profile, client *http.Client) (*Adapter, error) {
	base, client, err := providers.Prepare(p, "engagelab", DefaultBaseURL, client)
	if err != nil {
		return nil, fmt.Errorf("engagelab: %w", err)
	}
	cred := base64.StdEncoding.EncodeToString([]byte(p.DevKey.Reveal() + ":" + p.DevSecret.Reveal()))
	return &Adapter{
		client:        client,
		url:           base + SendPath,
		authorization: []string{"Basic " + cred},
		from:          p.From,
		secrets:       [][]byte{[]byte(cred), []byte(p.DevSecret.Reveal()), []byte(p.DevKey.Reveal())},
	}, nil
}

// Send posts msg as a template message and returns EngageLab's message_id, or a classified *providers.Error.
func (a *Adapter) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	ans, err := a.post(ctx, msg, []string{msg.To})
	if err != nil {
		return providers.Receipt{}, err
	}
	rc, err := parseAnswer(ans)
	rc.MessageID = RecipientMessageID(rc.MessageID, msg.To)
	return rc, err
}

// RecipientMessageID is the id herald keeps for one recipient of an EngageLab request: its message_id, then
// ":" and the recipient's digits. EngageLab answers a request (of one recipient or many) with one message_id and
// names each recipient's outcome in its status callbacks by message_id and to, so this id is unique per row and
// the callbacks find their row by it. "" stays "".
func RecipientMessageID(messageID, to string) string {
	if messageID == "" {
		return ""
	}
	return messageID + ":" + providers.Digits(to)
}

// MaxBatch is the most recipients herald names in one request's to[].
func (a *Adapter) MaxBatch() int { return MaxRecipients }

// SendBatch posts msg once to every number of to. EngageLab's document answers a request as a whole: one
// message_id, or one error. So every recipient gets that message_id with its number (RecipientMessageID: the
// status callbacks name each recipient's outcome by message_id and to), and an error is the whole request's.
func (a *Adapter) SendBatch(ctx context.Context, msg providers.Message, to []string) ([]providers.BatchResult, error) {
	if len(to) == 0 || len(to) > MaxRecipients {
		return nil, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: fmt.Sprintf("a request names %d recipients: herald sends 1 to %d a request", len(to), MaxRecipients)}
	}
	ans, err := a.post(ctx, msg, to)
	if err != nil {
		return nil, err
	}
	rc, err := parseAnswer(ans)
	if err != nil {
		return nil, err
	}
	out := make([]providers.BatchResult, len(to))
	for i := range out {
		out[i].Receipt = providers.Receipt{MessageID: RecipientMessageID(rc.MessageID, to[i])}
	}
	return out, nil
}

// post sends msg to the numbers to and returns the answer, its echoed credentials taken out.
func (a *Adapter) post(ctx context.Context, msg providers.Message, to []string) (providers.Answer, error) {
	body, err := encodeRequest(a.from, msg, to)
	if err != nil {
		return providers.Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return providers.Answer{}, &providers.Error{Class: providers.ClassFatal, Code: "bad_request",
			Message: fmt.Sprintf("building the request to %s: %v", a.url, err), Err: err}
	}
	// The header values are shared slices: net/http only reads them.
	req.Header = http.Header{"Content-Type": contentTypeJSON, "Authorization": a.authorization}
	ans, err := providers.Do(ctx, a.client, req)
	if err != nil {
		return providers.Answer{}, err
	}
	return a.scrubbed(ans), nil
}

// redacted replaces a credential that an answer echoed.
const redacted = "[redacted]"

// scrubbed returns ans with every credential it echoes replaced, so that no error quoting the answer can leak
// one. An answer that echoes none (the usual case) is returned as it is, without copying.
func (a *Adapter) scrubbed(ans providers.Answer) providers.Answer {
	for _, s := range a.secrets {
		if bytes.Contains(ans.Body, s) {
			ans.Body = bytes.ReplaceAll(ans.Body, s, []byte(redacted))
		}
	}
	return ans
}

// Close releases the client's idle connections.
func (a *Adapter) Close() error {
	a.client.CloseIdleConnections()
	return nil
}
