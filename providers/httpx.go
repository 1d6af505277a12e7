package providers

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// MaxResponseBytes bounds how much of a provider's answer is read. Answers are small JSON documents; anything
// longer is a proxy page or a fault, and reading it whole would let one bad answer eat memory.
const MaxResponseBytes = 1 << 20

// ClientOptions sizes the HTTP client of one campaign.
type ClientOptions struct {
	// Concurrency is the most requests in flight; the keep-alive pool is sized to it.
	Concurrency int
	// Timeout bounds one request, from dialling to the last byte of the answer. Default 30 s.
	Timeout time.Duration
}

// NewHTTPClient returns the one http.Client a campaign's adapter uses: TLS verification on, timeouts set, a
// keep-alive pool as large as the concurrency so that no request waits for a connection, and redirects never
// followed (Do makes a 3xx answer a fatal error).
func NewHTTPClient(o ClientOptions) *http.Client {
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          o.Concurrency * 2,
		MaxIdleConnsPerHost:   o.Concurrency,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: o.Timeout, CheckRedirect: refuseRedirect}
}

// Prepare is the common part of every adapter's New: it checks that p is a profile of provider and valid
// (Validate), and returns the scheme://host its requests go to (base_url, else defaultBaseURL) and the client to
// send them with: client, or when it is nil a NewHTTPClient sized by the profile's concurrency and timeout. Its
// errors name the profile, never a secret.
func Prepare(p Profile, provider, defaultBaseURL string, client *http.Client) (string, *http.Client, error) {
	if p.Provider != provider {
		return "", nil, fmt.Errorf("profile %q is for provider %q: the %s adapter needs a profile with provider: %s",
			p.Name, p.Provider, provider, provider)
	}
	if err := p.Validate(); err != nil {
		return "", nil, err
	}
	base, err := BaseURL(p.BaseURL, defaultBaseURL)
	if err != nil {
		return "", nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if client == nil {
		client = NewHTTPClient(ClientOptions{Concurrency: p.Concurrency, Timeout: p.Timeout})
	}
	return base, client, nil
}

// Answer is a provider's HTTP answer, its body read up to MaxResponseBytes.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req with client and reads the answer. It never follows a redirect, whatever client's policy: a 3xx
// answer is a ClassFatal *Error (code "redirect"), and so is a TLS failure no retry can mend (code "tls": a
// certificate this computer cannot verify, a host that does not speak TLS). Any other failure is an *Error
// classified by whether the request left: ClassRetryable when it never did (dial refused, DNS), ClassUnknown
// when it was written and no answer came (timeout, reset). The error text names the host, never the headers,
// the body or the query.
func Do(ctx context.Context, client *http.Client, req *http.Request) (Answer, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	resp, err := withoutRedirects(client).Do(req)
	if err != nil {
		if e := tlsError(req.URL.Host, err); e != nil {
			return Answer{}, e
		}
		class, code := ClassRetryable, "network"
		if wrote.Load() {
			class, code = ClassUnknown, "no_answer"
		}
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			code = "timeout"
		}
		if errors.Is(err, context.Canceled) && !wrote.Load() {
			// Cancelled before anything left: nothing happened at the provider.
			class, code = ClassRetryable, "cancelled"
		}
		return Answer{}, &Error{Class: class, Code: code,
			Message: fmt.Sprintf("request to %s: %s", req.URL.Host, describeNetErr(err)), Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return Answer{}, redirectError(req, resp)
	}
	body, err := readAnswer(resp)
	if err != nil {
		return Answer{}, &Error{Class: ClassUnknown, Code: "truncated_answer", HTTPStatus: resp.StatusCode,
			Message: fmt.Sprintf("reading the answer from %s (HTTP %d): %v", req.URL.Host, resp.StatusCode, err), Err: err}
	}
	if len(body) > MaxResponseBytes {
		// Drain a little more so the connection can be reused only if it is cheap; otherwise it is closed.
		return Answer{}, &Error{Class: classForStatus(resp.StatusCode, ClassUnknown), Code: "oversized_answer",
			HTTPStatus: resp.StatusCode,
			Message:    fmt.Sprintf("the answer from %s (HTTP %d) is larger than %d bytes", req.URL.Host, resp.StatusCode, MaxResponseBytes)}
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// readAnswer reads resp's body, up to MaxResponseBytes and one byte more (so a longer body shows as longer). A
// body of known length, as providers answer, is read into a buffer of its size. A length of 0 is read as
// unknown: a RoundTripper may leave ContentLength unset on a response with a body.
func readAnswer(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n <= MaxResponseBytes {
		body := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, body); err != nil {
			return nil, err
		}
		return body, nil
	}
	return io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// describeNetErr strips the URL from a *url.Error so no query string reaches a log.
func describeNetErr(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner.Error()
		}
	}
	return err.Error()
}

// NotJSON is the error for an answer that should have been JSON and was not (a proxy's HTML page, a truncated
// body): it names the HTTP status and the first bytes of the answer, and is classified by the status.
func NotJSON(a Answer, err error) *Error {
	return &Error{Class: classForStatus(a.Status, ClassUnknown), Code: "bad_answer", HTTPStatus: a.Status,
		RetryAfter: RetryAfter(a.Header),
		Message:    fmt.Sprintf("HTTP %d with an answer that is not the expected JSON: %q", a.Status, Snippet(a.Body, 120)),
		Err:        err}
}

// HTTPError classifies an answer by its HTTP status alone, for answers whose body says nothing more.
func HTTPError(a Answer, msg string) *Error {
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d: %q", a.Status, Snippet(a.Body, 120))
	}
	return &Error{Class: classForStatus(a.Status, ClassPermanent), Code: "http_" + strconv.Itoa(a.Status),
		HTTPStatus: a.Status, RetryAfter: RetryAfter(a.Header), Message: msg}
}

// classForStatus is the class an HTTP status implies when the body gives no better reason: 429 rate-limited,
// 500/502/503/504 retryable, 401/403 fatal, other 4xx permanent; 2xx gives fallback (an unexpected body).
func classForStatus(status int, fallback Class) Class {
	switch {
	case status == http.StatusTooManyRequests:
		return ClassRateLimited
	case status == http.StatusInternalServerError, status == http.StatusBadGateway,
		status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return ClassRetryable
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return ClassFatal
	case status >= 400 && status < 500:
		return ClassPermanent
	case status >= 500:
		return ClassRetryable
	default:
		return fallback
	}
}

// ClassForStatus exposes the default status table to adapters whose documented codes fall back on it.
func ClassForStatus(status int) Class { return classForStatus(status, ClassUnknown) }

// RetryAfter reads a Retry-After header: delay seconds or an HTTP date. 0 when absent or unreadable.
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseUint(v, 10, 32); err == nil {
		// Whole seconds (RFC 9110), capped: no provider asks for more than an hour, and a huge value must not
		// overflow into a negative wait.
		return time.Duration(min(s, maxRetryAfter)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, maxRetryAfter*time.Second)
		}
	}
	return 0
}

// maxRetryAfter caps a Retry-After, in seconds.
const maxRetryAfter = 3600

// Snippet returns at most n bytes of b as valid UTF-8, for error messages.
func Snippet(b []byte, n int) string {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return string(b)
}
