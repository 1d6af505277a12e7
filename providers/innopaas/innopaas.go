// Package innopaas sends WhatsApp template messages through InnoPaaS: POST {base}/api/whatsapp/v3/msg/submit
// with the headers AppKey and Authorization (the console's token, no "Bearer"), one message to one recipient
// (Send) or to up to 1,000 (SendBatch: recipientNumber comma-separated), the request's reference as uid. Its
// answers are read tolerantly (their body is unpublished) and classified by the table in classes.go; what it
// can carry is in capabilities.go.
package innopaas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"herald/providers"
)

// DefaultBaseURL is InnoPaaS's documented scheme and host; SubmitPath is the send endpoint's documented path.
const (
	DefaultBaseURL = "https://api.innopaas.com"
	SubmitPath     = "/api/whatsapp/v3/msg/submit"
)

// Adapter is the InnoPaaS provider. It holds no per-request state and is safe for concurrent use.
type Adapter struct {
	client     *http.Client
	url        string
	appKey     providers.Secret
	token      providers.Secret
	wabaID     string
	sendNumber string
	// secrets and redactor find and replace the profile's secrets in an answer.
	secrets  [][]byte
	redactor *strings.Replacer
}

// New returns the adapter for an innopaas profile. client is the campaign's HTTP client; nil builds one from the
// profile's concurrency and timeout.
func New(p providers.Profile, client *http.Client) (*Adapter, error) {
	base, client, err := providers.Prepare(p, "innopaas", DefaultBaseURL, client)
	if err != nil {
		return nil, fmt.Errorf("innopaas: %w", err)
	}
	const redacted = "[redacted]"
	return &Adapter{
		client:     client,
		url:        base + SubmitPath,
		appKey:     p.AppKey,
		token:      p.Token,
		wabaID:     p.WabaID,
		sendNumber: p.SendNumber,
		secrets:    [][]byte{[]byte(p.AppKey.Reveal()), []byte(p.Token.Reveal())},
		redactor:   strings.NewReplacer(p.AppKey.Reveal(), redacted, p.Token.Reveal(), redacted),
	}, nil
}

// Send submits msg as a template message to its one recipient and returns InnoPaaS's message id, or a
// classified *providers.Error.
func (a *Adapter) Send(ctx context.Context, msg providers.Message) (providers.Receipt, error) {
	sr, err := a.buildRequest(msg)
	if err != nil {
		return providers.Receipt{}, err
	}
	ans, err := a.submit(ctx, sr)
	if err != nil {
		return providers.Receipt{}, err
	}
	results, err := parseAnswers(ans, []string{msg.To})
	if err != nil {
		return providers.Receipt{}, err
	}
	return results[0].Receipt, results[0].Err
}

// submit posts one submit body and returns InnoPaaS's answer, the profile's secrets taken out of it.
func (a *Adapter) submit(ctx context.Context, sr submitRequest) (providers.Answer, error) {
	body, err := json.Marshal(sr)
	if err != nil {
		return providers.Answer{}, fmt.Errorf("innopaas: encoding the request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return providers.Answer{}, fmt.Errorf("innopaas: building the request: %w", err)
	}
	// The header names are set as the document spells them (Go would send "Appkey"); HTTP reads them either way.
	req.Header = http.Header{
		"Content-Type":  {"application/json"},
		"AppKey":        {a.appKey.Reveal()},
		"Authorization": {a.token.Reveal()},
	}
	ans, err := providers.Do(ctx, a.client, req)
	if err != nil {
		return providers.Answer{}, err
	}
	ans.Body = a.withoutSecrets(ans.Body)
	return ans, nil
}

// withoutSecrets returns body with the profile's secrets replaced, so that an answer echoing them cannot carry
// them into an error. It copies only when a secret is there.
func (a *Adapter) withoutSecrets(body []byte) []byte {
	for _, secret := range a.secrets {
		if bytes.Contains(body, secret) {
			return []byte(a.redactor.Replace(string(body)))
		}
	}
	return body
}

// Close releases the client's idle connections.
func (a *Adapter) Close() error {
	a.client.CloseIdleConnections()
	return nil
}
