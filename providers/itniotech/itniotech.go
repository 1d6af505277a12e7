// Package itniotech sends WhatsApp template messages through Itniotech's template API
// (POST https://api.itniotech.com/wa/template/sendMsg), and session messages through its custom message API
// (POST /wa/custom/sendMsg, session.go), signing each request as Itniotech documents:
// Sign = lowercase hex md5(apiKey + apiSecret + Timestamp), Timestamp in epoch seconds.
//
// Itniotech has no client-reference field, so Message.Ref is not sent. It publishes no rate limit; an HTTP 429
// (what herald's sandbox answers when it rate-limits) is classified by its status.
package itniotech

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"herald/providers"
)

// DefaultBaseURL is Itniotech's documented scheme://host.
const DefaultBaseURL = "https://api.itniotech.com"

// SendPath is the documented path of the template send endpoint.
const SendPath = "/wa/template/sendMsg"

// contentType is the documented Content-Type header, shared read-only by every request.
var contentType = []string{"application/json;charset=UTF-8"}

// Adapter sends template messages through one Itniotech account. It is safe for concurrent use.
type Adapter struct {
	client *http.Client
	// url is the template send endpoint; sessionURL the custom (session) message endpoint.
	url, sessionURL string
	appID           string
	businessPhone   string
	// keys is behind a pointer so that printing an Adapter shows an address, never the secrets (fmt cannot
	// call Secret.String on unexported fields).
	keys *keyPair
	// now is the clock the Timestamp header is read from (time.Now; tests replace it).
	now func() time.Time
	// stamp caches the signed headers of the current second: the signature only changes when the second does.
	stamp atomic.Pointer[signature]
}

// keyPair is the account's api key and secret, revealed for signing only.
type keyPair struct {
	apiKey, apiSecret string
}

// signature is the Timestamp, Sign and Api-Key header values for one second. The slices are shared read-only by
// every request sent within that second.
type signature struct {
	unix      int64
	timestamp []string
	sign      []string
	apiKey    []string
}

// New returns an adapter for profile p (provider itniotech). A nil client gets providers.NewHTTPClient sized by
// the profile's concurrency and timeout. The profile's base_url, when set, replaces the documented host.
func New(p providers.Profile, client *http.Client) (*Adapter, error) {
	base, client, err := providers.Prepare(p, "itniotech", DefaultBaseURL, client)
	if err != nil {
		return nil, fmt.Errorf("itniotech: %w", err)
	}
	keys := &keyPair{apiKey: p.APIKey.Reveal(), apiSecret: p.APISecret.Reveal()}
	return &Adapter{client: client, url: base + SendPath, sessionURL: base + SessionPath, appID: p.AppID,
		businessPhone: p.BusinessPhone, keys: keys, now: time.Now}, nil
}

// Send posts msg to Itniotech (a session message to custom/sendMsg) and returns the message id it assigned, or a
// classified *providers.Error.
func (a *Adapter) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	if msg.Session != nil {
		return a.sendSession(ctx, msg)
	}
	payload, err := newSendRequest(a.appID, a.businessPhone, msg)
	if err != nil {
		return providers.Receipt{}, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "the message could not be encoded as JSON: check the row's values", Err: err}
	}
	answer, err := a.post(ctx, a.url, body)
	if err != nil {
		return providers.Receipt{}, err
	}
	return parseAnswer(answer)
}

// post sends body to url, signed, and reads the answer. Every Itniotech endpoint is a signed JSON POST.
func (a *Adapter) post(ctx context.Context, url string, body []byte) (providers.Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return providers.Answer{}, fmt.Errorf("itniotech: building the request: %w", err)
	}
	sig := a.signature()
	req.Header = http.Header{"Content-Type": contentType, "Api-Key": sig.apiKey, "Timestamp": sig.timestamp,
		"Sign": sig.sign}
	return providers.Do(ctx, a.client, req)
}

// Close closes the client's idle connections.
func (a *Adapter) Close() error {
	a.client.CloseIdleConnections()
	return nil
}

// signature returns the signed headers for the clock's current second, signing afresh when the second changed
// (so a retry after "-4 timestamp expired" carries a new timestamp).
func (a *Adapter) signature() *signature {
	unix := a.now().Unix()
	if s := a.stamp.Load(); s != nil && s.unix == unix {
		return s
	}
	ts := strconv.FormatInt(unix, 10)
	s := &signature{unix: unix, timestamp: []string{ts}, sign: []string{sign(a.keys.apiKey, a.keys.apiSecret, ts)},
		apiKey: []string{a.keys.apiKey}}
	a.stamp.Store(s)
	return s
}

// sign returns Itniotech's request signature: lowercase hex md5(apiKey + apiSecret + timestamp).
func sign(apiKey, apiSecret, timestamp string) string {
	h := md5.New()
	h.Write([]byte(apiKey))
	h.Write([]byte(apiSecret))
	h.Write([]byte(timestamp))
	return hex.EncodeToString(h.Sum(nil))
}
