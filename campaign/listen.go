package campaign

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"time"

	"herald/campaign/receipts"
	"herald/campaign/store"
	"herald/providers"
)

// Listening is how callbacks are received (herald listen, --listen on send and the TUI): the address and what
// the listener serves. The built-in sandbox profile listens on loopback by itself.
type Listening struct {
	// Addr is host:port to listen on; "" for none.
	Addr string
	// Profiles are served each at /webhooks/<name>: the config's profiles.
	Profiles []providers.Profile
	// Keywords are the config's optout_keywords.
	Keywords []string
}

// closeWait bounds how long stopping a listener waits for the callbacks being committed.
const closeWait = 10 * time.Second

// Receiver is a listener serving on its own (herald listen), with the store it records into.
type Receiver struct {
	*receipts.Listener
	// Base is the listener's base URL (http://host:port); each profile is at Base + /webhooks/<name>.
	Base string
	st   *store.Store
}

// Listen opens the state store at statePath (creating it when missing) and serves l until Close. Errors are
// input errors: a bad address, a store that cannot be opened.
func Listen(statePath string, l Listening) (*Receiver, error) {
	if len(l.Profiles) == 0 {
		return nil, InputError(errors.New("no profile to receive callbacks for: add profiles to the config file"))
	}
	st, err := store.Open(statePath)
	if err != nil {
		return nil, InputError(err)
	}
	lis := receipts.New(receipts.Options{Store: st, Profiles: l.Profiles, Keywords: l.Keywords})
	base, err := lis.Start(l.Addr)
	if err != nil {
		_ = lis.Close(closeWait)
		st.Close()
		return nil, InputError(err)
	}
	return &Receiver{Listener: lis, Base: base, st: st}, nil
}

// URL is where the provider of profile posts its callbacks.
func (r *Receiver) URL(profile string) string {
	return r.Base + receipts.Path + url.PathEscape(profile)
}

// Close stops the listener (the callbacks being committed finish) and closes the store.
func (r *Receiver) Close() error {
	return errors.Join(r.Listener.Close(closeWait), r.st.Close())
}

// ImportReceipts merges a delivery report downloaded from the provider's console into the state store at
// statePath, as if its rows had come as callbacks to the profile.
func ImportReceipts(statePath string, profile providers.Profile, path string) (receipts.ReportResult, error) {
	st, err := OpenExistingStore(statePath)
	if err != nil {
		return receipts.ReportResult{}, err
	}
	defer st.Close()
	res, err := receipts.ImportReport(st, profile, path)
	if err != nil {
		return res, InputError(err)
	}
	return res, nil
}

// RunListening says how the run receives callbacks: the URL of each profile, and warnings.
type RunListening struct {
	// URLs are the callback URL of each profile served, by profile name.
	URLs map[string]string
	// Warnings name the profiles anyone could forge callbacks for.
	Warnings []string
	// Sandbox is set when the built-in sandbox calls back to it by itself.
	Sandbox bool
}

// listen starts the run's listener when the plan asks for one (--listen) or the profile is the built-in
// sandbox, which is then told where to call back and given a secret to sign with. It returns what stops it.
func (s *Session) listen(p *providers.Profile) (io.Closer, error) {
	l := s.Input.Plan.Listen
	builtin := p.Provider == "sandbox" && p.BaseURL == "" && !p.Callbacks.Off
	if l.Addr == "" && !builtin {
		return nopCloser{}, nil
	}
	if builtin && p.WebhookSecret == "" {
		p.WebhookSecret = providers.Secret(randomSecret())
	}
	profiles := []providers.Profile{*p}
	for _, q := range l.Profiles {
		if q.Name != p.Name {
			profiles = append(profiles, q)
		}
	}
	addr := l.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	lis := receipts.New(receipts.Options{Store: s.Store, Profiles: profiles, Keywords: l.Keywords,
		OnCommit: func(store.CallbackResult) { s.live.kick() }})
	base, err := lis.Start(addr)
	if err != nil {
		_ = lis.Close(closeWait)
		return nil, InputError(fmt.Errorf("--listen: %w", err))
	}
	info := &RunListening{URLs: map[string]string{}, Warnings: lis.Warnings(), Sandbox: builtin}
	for _, q := range profiles {
		info.URLs[q.Name] = base + receipts.Path + url.PathEscape(q.Name)
	}
	if builtin {
		p.Callbacks.URL = loopbackURL(base) + receipts.Path + url.PathEscape(p.Name)
	}
	s.Listening = info
	id := s.Info.ID
	s.live.start(func() (Funnel, error) { return s.Store.Funnel(id) })
	return closerFunc(func() error {
		err := lis.Close(closeWait)
		s.live.stop()
		return err
	}), nil
}

// loopbackURL is base with an unspecified host (0.0.0.0, ::) replaced by 127.0.0.1, for posting to it.
func loopbackURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
	}
	return u.String()
}

// randomSecret is a fresh secret for the built-in sandbox to sign its callbacks with.
func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// liveFunnel keeps a session's funnel fresh while callbacks arrive: after each commit a goroutine reads it
// again (requests made meanwhile coalesce into one read), so a screen's tick reads it without the store.
type liveFunnel struct {
	mu   sync.Mutex
	f    Funnel
	ok   bool
	wake chan struct{}
	quit chan struct{}
	done chan struct{}
}

// set keeps f as the latest funnel.
func (l *liveFunnel) set(f Funnel) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.f, l.ok = f, true
}

// get returns the latest funnel; ok is false until one was read.
func (l *liveFunnel) get() (Funnel, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f, l.ok
}

// start runs the goroutine that reads the funnel with read each time kick is called, and once at once.
func (l *liveFunnel) start(read func() (Funnel, error)) {
	l.mu.Lock()
	l.wake, l.quit, l.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	wake, quit, done := l.wake, l.quit, l.done
	l.mu.Unlock()
	wake <- struct{}{}
	go func() {
		defer close(done)
		for {
			select {
			case <-wake:
				if f, err := read(); err == nil {
					l.set(f)
				}
			case <-quit:
				return
			}
		}
	}()
}

// kick asks for a fresh read; it never blocks.
func (l *liveFunnel) kick() {
	l.mu.Lock()
	wake := l.wake
	l.mu.Unlock()
	if wake == nil {
		return
	}
	select {
	case wake <- struct{}{}:
	default:
	}
}

// stop ends the goroutine.
func (l *liveFunnel) stop() {
	l.mu.Lock()
	quit, done := l.quit, l.done
	l.wake, l.quit, l.done = nil, nil, nil
	l.mu.Unlock()
	if quit != nil {
		close(quit)
		<-done
	}
}

// closerFunc is a func as an io.Closer.
type closerFunc func() error

// Close calls the func.
func (f closerFunc) Close() error { return f() }

// nopCloser closes nothing.
type nopCloser struct{}

// Close does nothing.
func (nopCloser) Close() error { return nil }
