// Package meta sends WhatsApp template messages through Meta's Cloud API:
// POST https://graph.facebook.com/{api_version}/{phone_number_id}/messages with a Bearer access token. It is
// also the adapter of herald's built-in sandbox profile, so it sits on the benchmark path: everything that does
// not change per message is prepared once in New.
package meta

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"

	"herald/providers"
)

// DefaultBaseURL is the Graph API host the documented URL names.
const DefaultBaseURL = "https://graph.facebook.com"

// DefaultAPIVersion is the Graph API version used when the profile sets none.
const DefaultAPIVersion = "v23.0"

// apiVersionPattern is the shape of a Graph API version ("v23.0").
var apiVersionPattern = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)

// phoneNumberIDPattern is the shape of a phone number ID: Meta's numeric id of the business number.
var phoneNumberIDPattern = regexp.MustCompile(`^[0-9]+$`)

// Adapter sends template messages through the Cloud API. It is immutable after New and safe for concurrent use.
type Adapter struct {
	client *http.Client
	url    string
	// authorization and contentType are the request header values, built once and shared read-only by every
	// request (the transport never writes to them).
	authorization []string
	contentType   []string
	// secret is the access token's bytes, redacted from any answer before it can reach an error.
	secret []byte
}

// New checks the profile and returns an adapter that sends with client. A nil client gets
// providers.NewHTTPClient sized by the profile's concurrency and timeout. Errors name the profile and the
// field to fix, never a secret.
func New(p providers.Profile, client *http.Client) (*Adapter, error) {
	base, client, err := providers.Prepare(p, "meta", DefaultBaseURL, client)
	if err != nil {
		return nil, fmt.Errorf("meta adapter: %w", err)
	}
	version := p.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !apiVersionPattern.MatchString(version) {
		return nil, fmt.Errorf("profile %q: api_version %q is not a Graph API version: write it like %s", p.Name, version, DefaultAPIVersion)
	}
	if !phoneNumberIDPattern.MatchString(p.PhoneNumberID) {
		return nil, fmt.Errorf("profile %q: phone_number_id %q must be the numeric Phone number ID shown in WhatsApp Manager, not the phone number", p.Name, p.PhoneNumberID)
	}
	token := p.AccessToken.Reveal()
	return &Adapter{
		client:        client,
		url:           base + "/" + version + "/" + p.PhoneNumberID + "/messages",
		authorization: []string{"Bearer " + token},
		contentType:   []string{"application/json"},
		secret:        []byte(token),
	}, nil
}

// Send posts msg (a template message, or a session message) and returns the wamid Meta assigned, or a classified
// *providers.Error.
func (a *Adapter) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	payload, err := encode(msg)
	if err != nil {
		return providers.Receipt{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(payload))
	if err != nil {
		return providers.Receipt{}, &providers.Error{Class: providers.ClassFatal, Code: "bad_request",
			Message: fmt.Sprintf("building the request: %v", err), Err: err}
	}
	req.Header["Authorization"] = a.authorization
	req.Header["Content-Type"] = a.contentType
	ans, err := providers.Do(ctx, a.client, req)
	if err != nil {
		return providers.Receipt{}, err
	}
	return parseAnswer(ans, a.secret)
}

// requestSizeHint is the capacity a request body starts with: a template with a header, a few parameters and
// a button fits (512 bytes grew once for most messages, copying the body).
const requestSizeHint = 1024

// Close closes the client's idle connections.
func (a *Adapter) Close() error {
	a.client.CloseIdleConnections()
	return nil
}
