package huawei

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"herald/providers"
)

// tokenLifetime is the life herald asks for in X-Token-Expire (the CEC allows at most 3600 s); the answer's
// Expires, when readable, is what counts.
const tokenLifetime = 600 * time.Second

// tokenExpireHeader is the X-Token-Expire value, shared read-only by every token request.
var tokenExpireHeader = []string{strconv.Itoa(int(tokenLifetime / time.Second))}

// refreshShare is the share of a token's life after which the next worker fetches a new one.
const refreshShare = 0.8

// token is one access token and the header values built from it once, shared read-only by every request that
// uses it. It is only ever reached through the cache's atomic pointer, so no %v of the adapter prints it.
type token struct {
	value providers.Secret
	// authorization is "Bearer {token}"; appKey the x-app-key value.
	authorization []string
	appKey        []string
	// secrets are the values no error text may carry: app_key, app_secret and this token.
	secrets [][]byte
	// refreshAt is when the next worker fetches a new token while this one still works; expiresAt is when it
	// stops working.
	refreshAt time.Time
	expiresAt time.Time
}

// tokenCache holds the access token every worker shares. One worker at a time fetches a new one: workers that
// find the token expired while a fetch is under way wait for it; workers that find it merely old keep using it.
type tokenCache struct {
	fetch func(context.Context) (*token, error)
	now   func() time.Time
	cur   atomic.Pointer[token]

	mu     sync.Mutex
	flight *tokenFlight // the fetch under way, nil when none; guarded by mu
}

// tokenFlight is one fetch under way; done is closed when tok or err is set.
type tokenFlight struct {
	done chan struct{}
	tok  *token
	err  error
}

// get returns a token to send with, fetching one when the cached token is old, expired or was refused.
func (c *tokenCache) get(ctx context.Context) (*token, error) {
	for {
		t := c.cur.Load()
		now := c.now()
		if t != nil && now.Before(t.refreshAt) {
			return t, nil
		}
		c.mu.Lock()
		if c.cur.Load() != t {
			// Another worker installed or refused a token meanwhile: look again.
			c.mu.Unlock()
			continue
		}
		f := c.flight
		if f == nil {
			f = &tokenFlight{done: make(chan struct{})}
			c.flight = f
			c.mu.Unlock()
			return c.lead(ctx, f, t, now)
		}
		c.mu.Unlock()
		if t != nil && now.Before(t.expiresAt) {
			return t, nil
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, &providers.Error{Class: providers.ClassRetryable, Code: "cancelled",
				Message: "waiting for an access token: " + ctx.Err().Error(), Err: ctx.Err()}
		}
		if f.err == nil || !errors.Is(f.err, context.Canceled) || ctx.Err() != nil {
			return f.tok, f.err
		}
		// The worker that fetched was cancelled and this one was not: fetch again.
	}
}

// lead fetches a token for flight f and shares the outcome. When an early refresh fails while the old token
// still works, the old token is used and the next worker tries again.
func (c *tokenCache) lead(ctx context.Context, f *tokenFlight, old *token, now time.Time) (*token, error) {
	f.tok, f.err = c.fetch(ctx)
	c.mu.Lock()
	if f.err == nil {
		c.cur.Store(f.tok)
	}
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
	if f.err != nil && old != nil && now.Before(old.expiresAt) {
		return old, nil
	}
	return f.tok, f.err
}

// invalidate drops t after the CEC refused it, so that the next get fetches a new token. A token installed
// since t is kept.
func (c *tokenCache) invalidate(t *token) { c.cur.CompareAndSwap(t, nil) }

// tokenRequest is the body of tokenByAkSk.
type tokenRequest struct {
	AppKey    string `json:"app_key"`
	AppSecret string `json:"app_secret"`
}

// tokenAnswer is the part of tokenByAkSk's answer herald reads. Expires is documented as a string ("600");
// a number is read too.
type tokenAnswer struct {
	AccessToken string          `json:"AccessToken"`
	Expires     json.RawMessage `json:"Expires"`
}

// fetchToken asks the API Fabric for a new access token.
func (a *Adapter) fetchToken(ctx context.Context) (*token, error) {
	start := a.tokens.now()
	body, err := json.Marshal(tokenRequest{AppKey: a.creds.appKey.Reveal(), AppSecret: a.creds.appSecret.Reveal()})
	if err != nil {
		return nil, fmt.Errorf("huawei: encoding the token request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.tokenURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("huawei: building the token request: %w", err)
	}
	req.Header = http.Header{"Content-Type": contentType, "X-Token-Expire": tokenExpireHeader}
	ans, err := providers.Do(ctx, a.client, req)
	if err != nil {
		e := *providers.AsError(err)
		// No message left with a token request: whatever became of it, the row is safe to retry.
		if e.Class == providers.ClassUnknown {
			e.Class = providers.ClassRetryable
		}
		e.Message = "getting an access token: " + e.Message
		return nil, &e
	}
	secrets := [][]byte{[]byte(a.creds.appKey.Reveal()), []byte(a.creds.appSecret.Reveal())}
	value, life, perr := parseToken(ans, a.profile, secrets)
	if perr != nil {
		return nil, scrub(perr, secrets)
	}
	return &token{value: providers.Secret(value), authorization: []string{"Bearer " + value},
		appKey: []string{a.creds.appKey.Reveal()}, secrets: append(secrets, []byte(value)),
		refreshAt: start.Add(time.Duration(float64(life) * refreshShare)), expiresAt: start.Add(life)}, nil
}

// parseToken reads tokenByAkSk's answer: the token and its life, or a classified error built from the answer
// with every secret redacted. The body of a good answer is read as it came: a redaction must never alter the
// token.
func parseToken(ans providers.Answer, profile string, secrets [][]byte) (string, time.Duration, *providers.Error) {
	if ans.Status < 200 || ans.Status > 299 {
		ans.Body = redact(ans.Body, secrets)
		return "", 0, tokenError(ans, profile)
	}
	var t tokenAnswer
	if err := json.Unmarshal(ans.Body, &t); err != nil || t.AccessToken == "" {
		ans.Body = redact(ans.Body, secrets)
		e := providers.NotJSON(ans, err)
		e.Class, e.Code = providers.ClassFatal, "token_answer"
		e.Message = "the token endpoint answered without an AccessToken, so base_url of profile " +
			strconv.Quote(profile) + " is probably not a CEC domain: " + e.Message
		return "", 0, e
	}
	return t.AccessToken, lifeOf(t.Expires), nil
}

// lifeOf reads Expires (seconds, as a string or a number); tokenLifetime when it is missing or unreadable.
func lifeOf(raw json.RawMessage) time.Duration {
	s := string(bytes.Trim(raw, `"`))
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(secs) || secs < 1 || secs > 86400 {
		return tokenLifetime
	}
	return time.Duration(secs * float64(time.Second))
}

// redacted stands in for a secret found in an answer.
const redacted = "[redacted]"

// redact replaces every occurrence of a secret in an answer's body, so that an answer echoing a credential (the
// token answer's AppKey, a proxy echoing headers) cannot carry it into an error, not even cut short in a
// snippet.
func redact(b []byte, secrets [][]byte) []byte {
	for _, s := range secrets {
		if len(s) > 0 && bytes.Contains(b, s) {
			b = bytes.ReplaceAll(b, s, []byte(redacted))
		}
	}
	return b
}

// scrub replaces every secret in e's text: a JSON string in an answer may spell a secret with escapes
// ("a\/b") that redact cannot see, and decoding turns it back into the secret. It returns e.
func scrub(e *providers.Error, secrets [][]byte) *providers.Error {
	for _, s := range secrets {
		if len(s) > 0 && strings.Contains(e.Message, string(s)) {
			e.Message = strings.ReplaceAll(e.Message, string(s), redacted)
		}
	}
	return e
}
