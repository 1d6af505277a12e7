package open_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/huawei"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// elsewhere is the host a redirect points at: a loopback server that counts the connections and requests it gets.
type elsewhere struct {
	*httptest.Server
	reached atomic.Int32
}

// newElsewhere starts an elsewhere server; it closes with the test.
func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { e.reached.Add(1) }))
	e.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			e.reached.Add(1)
		}
	}
	e.Start()
	t.Cleanup(e.Close)
	return e
}

// sendOnce opens the adapter of p as a campaign does and sends one message.
func sendOnce(t *testing.T, p providers.Profile) error {
	t.Helper()
	prov, err := open.Provider(p, providers.ClientOptions{Concurrency: 2, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	_, err = prov.Send(context.Background(), message("447400123593", "ref-safety"))
	return err
}

// fatalError asserts err is a ClassFatal *providers.Error with code and returns it.
func fatalError(t *testing.T, err error, code string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Class != providers.ClassFatal || pe.Code != code {
		t.Fatalf("error %v, want a fatal %s error", err, code)
	}
	return pe
}

// TestNoAdapterFollowsARedirect: every adapter (and Huawei's token request) answered 301, 302, 307 or 308 with a
// Location on a second loopback server stops with a fatal error naming the status and that host only, and the
// second server receives nothing at all: no credential, signature or body leaves for it.
func TestNoAdapterFollowsARedirect(t *testing.T) {
	type target struct{ dialect, path string } // path "" redirects every request
	targets := []target{{"itniotech", ""}, {"huawei", huawei.TokenPath}, {"huawei", huawei.SendPath},
		{"engagelab", ""}, {"innopaas", ""}, {"meta", ""}}
	sim := sandbox.New(sandbox.Options{})
	for _, tg := range targets {
		for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(tg.dialect+tg.path+" "+strconv.Itoa(status), func(t *testing.T) {
				second := newElsewhere(t)
				first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tg.path != "" && r.URL.Path != tg.path {
						sim.ServeHTTP(w, r) // Huawei's token, when the redirect is on the send path
						return
					}
					w.Header().Set("Location", second.URL+"/collect?secret=leak-me")
					w.WriteHeader(status) // an empty body
				}))
				defer first.Close()
				pe := fatalError(t, sendOnce(t, sim.Profile(tg.dialect, first.URL)), "redirect")
				secondHost := strings.TrimPrefix(second.URL, "http://")
				if pe.HTTPStatus != status || !strings.Contains(pe.Message, "HTTP "+strconv.Itoa(status)) ||
					!strings.Contains(pe.Message, secondHost) || !strings.Contains(pe.Message, "base_url") {
					t.Errorf("error %v does not name the status %d, the host %s and base_url", pe, status, secondHost)
				}
				if strings.Contains(pe.Error(), "collect") || strings.Contains(pe.Error(), "leak-me") {
					t.Errorf("error %q carries the Location's path or query", pe.Error())
				}
				if n := second.reached.Load(); n != 0 {
					t.Errorf("the redirect's target was reached %d times", n)
				}
			})
		}
	}
}

// TestNoAdapterTrustsAnUnknownCertificate: every adapter opened with the campaign's default client, sending to a
// TLS server whose certificate this computer does not trust, stops at the first attempt with a fatal "tls" error
// naming the host; the server receives no request.
func TestNoAdapterTrustsAnUnknownCertificate(t *testing.T) {
	sim := sandbox.New(sandbox.Options{})
	for _, dialect := range sandbox.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				sim.ServeHTTP(w, r)
			}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes this test makes fail
			srv.StartTLS()
			defer srv.Close()
			pe := fatalError(t, sendOnce(t, sim.Profile(dialect, srv.URL)), "tls")
			if host := strings.TrimPrefix(srv.URL, "https://"); !strings.Contains(pe.Message, host) {
				t.Errorf("error %q does not name the host %s", pe.Message, host)
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests reached a server whose certificate is not trusted", n)
			}
		})
	}
}
