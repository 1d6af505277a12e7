// Package open turns a checked profile into a working Provider: the adapter its provider names, with one HTTP
// client sized to the campaign. The built-in sandbox profile starts the simulator in-process on a loopback port
// and sends to it through the real Meta adapter, so a first run exercises the whole HTTP path with no account.
package open

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/huawei"
	"herald/providers/innopaas"
	"herald/providers/itniotech"
	"herald/providers/meta"
	"herald/providers/sandbox"
)

// SandboxDialect is the dialect the built-in sandbox profile speaks.
const SandboxDialect = "meta"

// Provider opens the adapter for p. The caller closes it when the campaign ends.
func Provider(p providers.Profile, o providers.ClientOptions) (providers.Provider, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Timeout > 0 {
		o.Timeout = p.Timeout
	}
	client := providers.NewHTTPClient(o)
	switch p.Provider {
	case "itniotech":
		return itniotech.New(p, client)
	case "huawei":
		return huawei.New(p, client)
	case "engagelab":
		return engagelab.New(p, client)
	case "innopaas":
		return innopaas.New(p, client)
	case "meta":
		return meta.New(p, client)
	case "sandbox":
		return openSandbox(p, client)
	}
	return nil, fmt.Errorf("profile %q: unknown provider %q", p.Name, p.Provider)
}

// sandboxProvider is the Meta adapter bound to an in-process simulator; Close stops both.
type sandboxProvider struct {
	providers.Provider
	srv *sandbox.Server
	// drain bounds the wait for the callbacks still to post when it closes.
	drain time.Duration
}

// Close waits (briefly) for the simulator's callbacks still to post, so that the run's funnel is whole, then
// closes the adapter's connections and stops the simulator.
func (s *sandboxProvider) Close() error {
	if s.drain > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), s.drain)
		_ = s.srv.DrainCallbacks(ctx) // what is not posted by then is dropped, as when a provider gives up
		cancel()
	}
	return errors.Join(s.Provider.Close(), s.srv.Close())
}

// sandboxCallbacks are the built-in simulator's callbacks: to the URL herald set for the run, signed with the
// profile's webhook_secret; none when there is no URL or the profile turns them off.
func sandboxCallbacks(p providers.Profile) (sandbox.CallbackOptions, time.Duration) {
	k := p.Callbacks.Knobs()
	if k.URL == "" || k.Off {
		return sandbox.CallbackOptions{}, 0
	}
	drain := min(k.Delay+k.Jitter+10*time.Second, 30*time.Second)
	return sandbox.CallbackOptions{Knobs: k,
		Targets: map[string]sandbox.CallbackTarget{SandboxDialect: {URL: k.URL, Secret: p.WebhookSecret}}}, drain
}

// openSandbox starts the simulator with the profile's knobs, or, when the profile has a base_url, talks to a
// `herald sandbox` already serving there. Either way it sends with the sandbox's public Meta credentials.
func openSandbox(p providers.Profile, hc *http.Client) (providers.Provider, error) {
	if p.BaseURL != "" {
		mp := sandbox.Credentials()[SandboxDialect]
		mp.Name, mp.BaseURL = p.Name, p.BaseURL
		return meta.New(mp, hc)
	}
	cb, drain := sandboxCallbacks(p)
	srv := sandbox.New(sandbox.Options{Latency: p.Latency, Jitter: p.Jitter, ErrorRate: p.ErrorRate, Callbacks: cb})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a, err := meta.New(srv.Profile(SandboxDialect, url), hc)
	if err != nil {
		_ = srv.Close()
		return nil, err
	}
	return &sandboxProvider{Provider: a, srv: srv, drain: drain}, nil
}
