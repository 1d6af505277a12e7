// Package receipts receives what the providers say after a send: delivery receipts, replies and opt-outs. Its
// listener serves one URL per profile (/webhooks/<profile>), answers the providers' subscription check, refuses
// callbacks that fail the profile's signature or token, and answers 200 only once what a callback says is
// committed to the state store, so that a provider's retry covers a crash. It also merges delivery reports
// downloaded from a provider's console.
package receipts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync/atomic"
	"time"

	"herald/campaign/store"
	"herald/providers"
)

// Path is where a profile's callbacks are received: Path + the profile's name.
const Path = "/webhooks/"

// MaxBody is the largest callback body accepted; a larger one gets 413.
const MaxBody = 1 << 20

// Options configure a listener.
type Options struct {
	// Store is where callbacks are recorded.
	Store *store.Store
	// Profiles are the profiles whose callbacks are received, each at Path + its name.
	Profiles []providers.Profile
	// Keywords are the extra opt-out keywords (the config's optout_keywords).
	Keywords []string
	// OnCommit, when set, is called after each callback is committed, with what it changed.
	OnCommit func(store.CallbackResult)
	// Writer tunes the store's group commits (crash tests set BeforeCommit).
	Writer store.CallbackWriterOptions
}

// Stats count what the listener received.
type Stats struct {
	// Accepted counts callback requests committed; Events the delivery events and inbound messages they held;
	// Unknown the delivery events about a message id no campaign row had (kept, applied once one has it).
	Accepted, Events, Unknown int64
	// OptedOut counts the numbers replies put on the opt-out list.
	OptedOut int64
	// Refused counts requests that failed the signature or token check (401); TooLarge bodies over MaxBody
	// (413); Malformed bodies that were not a callback (400).
	Refused, TooLarge, Malformed int64
}

// Listener receives callbacks over HTTP. It is an http.Handler; Start serves it.
type Listener struct {
	o        Options
	profiles map[string]providers.Profile
	keywords Keywords
	writer   *store.CallbackWriter
	mux      *http.ServeMux
	srv      *http.Server
	served   chan error

	accepted, events, unknown, optedOut atomic.Int64
	refused, tooLarge, malformed        atomic.Int64
}

// New builds a listener for the profiles; Close stops it.
func New(o Options) *Listener {
	l := &Listener{o: o, profiles: map[string]providers.Profile{}, keywords: NewKeywords(o.Keywords),
		writer: o.Store.NewCallbackWriter(o.Writer), mux: http.NewServeMux()}
	for _, p := range o.Profiles {
		l.profiles[p.Name] = p
	}
	l.mux.HandleFunc("GET "+Path+"{profile}", l.verify)
	l.mux.HandleFunc("POST "+Path+"{profile}", l.receive)
	return l
}

// Warnings name the profiles whose callbacks anyone could forge: neither webhook_secret nor webhook_token.
func (l *Listener) Warnings() []string {
	var out []string
	for _, name := range l.Names() {
		if p := l.profiles[name]; p.WebhookSecret == "" && p.WebhookToken == "" {
			out = append(out, fmt.Sprintf("warning: profile %s has neither webhook_secret nor webhook_token: anyone "+
				"who reaches its URL could forge receipts and opt-outs; set webhook_secret (the app secret the "+
				"provider signs with) or webhook_token (then add ?token=... to the URL you register)", name))
		}
	}
	return out
}

// Names lists the profiles served, sorted.
func (l *Listener) Names() []string {
	names := make([]string, 0, len(l.profiles))
	for n := range l.profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ServeHTTP routes a request.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) { l.mux.ServeHTTP(w, r) }

// Start serves on addr (host:port; port 0 picks a free one) and returns the base URL, http://host:port.
func (l *Listener) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w - pass another --listen/--addr, such as 127.0.0.1:8081", addr, err)
	}
	l.srv = &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	l.served = make(chan error, 1)
	go func() { l.served <- l.srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops accepting callbacks, lets those being committed finish (at most wait; after it the connections
// are cut, and a provider whose callback got no answer retries it), then stops the store's writer.
func (l *Listener) Close(wait time.Duration) error {
	var err error
	if l.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if serr := l.srv.Shutdown(ctx); serr != nil && !errors.Is(serr, context.DeadlineExceeded) {
			err = serr
		}
		err = errors.Join(err, l.srv.Close())
		if serr := <-l.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	return errors.Join(err, l.writer.Close())
}

// Stats returns the counts so far.
func (l *Listener) Stats() Stats {
	return Stats{Accepted: l.accepted.Load(), Events: l.events.Load(), Unknown: l.unknown.Load(),
		OptedOut: l.optedOut.Load(), Refused: l.refused.Load(), TooLarge: l.tooLarge.Load(),
		Malformed: l.malformed.Load()}
}
