// Package huawei sends WhatsApp template messages through Huawei Cloud CEC (AICC), as its documents describe
// (huawei-cec-sendWhatsappMessage.txt and the token section of provider-notes.md):
//
//   - an access token from POST {base}/apigovernance/api/oauth/tokenByAkSk (X-Token-Expire header, body
//     {"app_key","app_secret"}), cached and shared by every worker, refreshed before it expires and once after
//     the CEC refuses it;
//   - each message as POST {base}/apiaccess/rest/ccmessaging/omni/1/advanced with Authorization: Bearer {token}
//     and x-app-key: {app_key}, one destination per request, bulkId and messageId set to Message.Ref;
//   - sendAt, when the engine schedules a row for its send window (SendAt: providers.Scheduler).
//
// base_url is required: every CEC tenant has its own domain, and some deployments publish it on port 28070.
package huawei

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"herald/providers"
)

// DefaultBaseURL is the domain the CEC documents as its example. A huawei profile must set base_url, so it only
// stands in for the documented host.
const DefaultBaseURL = "https://service.besclouds.com"

// TokenPath is the documented path of the API Fabric token endpoint.
const TokenPath = "/apigovernance/api/oauth/tokenByAkSk"

// SendPath is the documented path of sendWhatsappMessage.
const SendPath = "/apiaccess/rest/ccmessaging/omni/1/advanced"

// Adapter sends template messages through one CEC tenant. It is safe for concurrent use: every worker shares
// one access token.
type Adapter struct {
	client   *http.Client
	sendURL  string
	tokenURL string
	profile  string
	creds    *credentials
	tokens   tokenCache
}

// The adapter schedules: --send-window hands it rows with their send time.
var _ providers.Scheduler = (*Adapter)(nil)

// credentials are the profile's app_key and app_secret, revealed only to fetch a token. They sit behind a
// pointer: fmt cannot call Secret.String on an unexported field and would print them raw, but it prints a
// nested pointer as an address.
type credentials struct {
	appKey    providers.Secret
	appSecret providers.Secret
}

// New returns an adapter for profile p (provider huawei, base_url, app_key and app_secret set). A nil client
// gets providers.NewHTTPClient sized by the profile's concurrency and timeout.
func New(p providers.Profile, client *http.Client) (*Adapter, error) {
	base, client, err := providers.Prepare(p, "huawei", DefaultBaseURL, client)
	if err != nil {
		return nil, fmt.Errorf("huawei: %w", err)
	}
	a := &Adapter{client: client, sendURL: base + SendPath, tokenURL: base + TokenPath, profile: p.Name,
		creds: &credentials{appKey: p.AppKey, appSecret: p.AppSecret}}
	a.tokens = tokenCache{fetch: a.fetchToken, now: time.Now}
	return a, nil
}

// Send posts msg to the CEC and returns the message id it answered, or a classified *providers.Error. When
// the CEC refuses the access token (401, or the API Fabric's 403 for an expired token), the adapter fetches a
// new one and sends once more; a second refusal is fatal.
func (a *Adapter) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	return a.send(ctx, msg, time.Time{})
}

// SendAt posts msg as Send does, with sendAt set to at: the CEC takes it now and sends it then
// (providers.Scheduler).
func (a *Adapter) SendAt(ctx context.Context, msg providers.Message, at time.Time) (providers.Receipt, error) {
	if at.IsZero() {
		return providers.Receipt{}, rowError("bad_send_time", "no send time given for a scheduled message")
	}
	return a.send(ctx, msg, at)
}

// send posts msg, scheduled for at when it is not zero.
func (a *Adapter) send(ctx context.Context, msg providers.Message, at time.Time) (providers.Receipt, error) {
	payload, err := newSendRequest(msg, at)
	if err != nil {
		return providers.Receipt{}, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassPermanent, Code: "bad_message",
			Message: "the message could not be encoded as JSON: check the row's values", Err: err}
	}
	tok, err := a.tokens.get(ctx)
	if err != nil {
		return providers.Receipt{}, err
	}
	ans, err := a.post(ctx, tok, body)
	if err == nil && tokenRefused(ans.Status) {
		a.tokens.invalidate(tok)
		if tok, err = a.tokens.get(ctx); err != nil {
			return providers.Receipt{}, err
		}
		ans, err = a.post(ctx, tok, body)
	}
	if err != nil {
		return providers.Receipt{}, err
	}
	return parseAnswer(ans, msg.Ref, tok.secrets)
}

// Close closes the client's idle connections. Nothing runs in the background: tokens are fetched by the
// worker that finds the cached one stale.
func (a *Adapter) Close() error {
	a.client.CloseIdleConnections()
	return nil
}

// post sends one prepared body with token tok.
func (a *Adapter) post(ctx context.Context, tok *token, body []byte) (providers.Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.sendURL, bytes.NewReader(body))
	if err != nil {
		return providers.Answer{}, fmt.Errorf("huawei: building the request: %w", err)
	}
	req.Header = http.Header{"Content-Type": contentType, "Authorization": tok.authorization, "X-App-Key": tok.appKey}
	return providers.Do(ctx, a.client, req)
}

// contentType is the Content-Type both endpoints take, shared read-only by every request.
var contentType = []string{"application/json"}

// tokenRefused reports whether an HTTP status means the CEC did not accept the access token: 401 as the send
// document says, or 403, which the API Fabric answers for "illegal or expired token info".
func tokenRefused(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}
