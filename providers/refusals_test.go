package providers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
)

// post sends a small JSON POST carrying a credential header to url with client, through providers.Do.
func post(t *testing.T, client *http.Client, url string) (providers.Answer, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer do-not-leak")
	return providers.Do(context.Background(), client, req)
}

// assertFatal fails unless err is a ClassFatal *providers.Error with code whose message holds every one of want.
func assertFatal(t *testing.T, err error, code string, want ...string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *providers.Error", err)
	}
	if pe.Class != providers.ClassFatal || pe.Code != code {
		t.Errorf("class %v code %q, want fatal %s: %v", pe.Class, pe.Code, code, pe)
	}
	for _, w := range want {
		if !strings.Contains(pe.Message, w) {
			t.Errorf("message %q does not name %q", pe.Message, w)
		}
	}
	return pe
}

// TestDoNeverFollowsARedirect: a 3xx answer pointing at another host is a fatal error naming the status and that
// host (never the Location's path or query), whether the client is NewHTTPClient's or one that follows
// redirects; no request reaches the other host (open's end-to-end test also counts connections).
func TestDoNeverFollowsARedirect(t *testing.T) {
	clients := map[string]*http.Client{
		"NewHTTPClient":    providers.NewHTTPClient(providers.ClientOptions{Concurrency: 2, Timeout: 5 * time.Second}),
		"following client": {Timeout: 5 * time.Second},
	}
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for name, client := range clients {
			t.Run(http.StatusText(status)+" with "+name, func(t *testing.T) {
				var reached atomic.Int32
				second := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
				defer second.Close()
				first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, second.URL+"/steal?access_token=leak-me", status)
				}))
				defer first.Close()
				_, err := post(t, client, first.URL+"/v1/messages")
				pe := assertFatal(t, err, "redirect", strings.TrimPrefix(second.URL, "http://"), "HTTP "+strconv.Itoa(status), "base_url")
				if pe.HTTPStatus != status {
					t.Errorf("error %v does not carry status %d", pe, status)
				}
				for _, leak := range []string{"steal", "leak-me", "access_token", "do-not-leak"} {
					if strings.Contains(pe.Error(), leak) {
						t.Errorf("error %q carries %q from the Location or the request", pe.Error(), leak)
					}
				}
				if n := reached.Load(); n != 0 {
					t.Errorf("the redirect was followed: %d requests reached its target", n)
				}
			})
		}
	}
}

// TestDoRedirectWithoutAnotherHost: a redirect on the same host, or with no Location at all, is fatal too, and an
// empty body is not read as an answer.
func TestDoRedirectWithoutAnotherHost(t *testing.T) {
	tests := []struct {
		name     string
		location string
		want     string
	}{
		{"relative Location", "/elsewhere?q=secret", "(the same host)"},
		{"no Location", "", "without a Location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.location != "" {
					w.Header().Set("Location", tt.location)
				}
				w.WriteHeader(http.StatusTemporaryRedirect)
			}))
			defer srv.Close()
			_, err := post(t, providers.NewHTTPClient(providers.ClientOptions{}), srv.URL)
			pe := assertFatal(t, err, "redirect", tt.want, "HTTP 307")
			if strings.Contains(pe.Message, "secret") || strings.Contains(pe.Message, "elsewhere") {
				t.Errorf("message %q carries the Location's path or query", pe.Message)
			}
		})
	}
}

// TestDoTLSFailuresAreFatal: a certificate herald cannot verify, or a host that does not speak TLS, is a fatal
// "tls" error on the first attempt, naming the host and the cause; no request reaches the server.
func TestDoTLSFailuresAreFatal(t *testing.T) {
	var requests atomic.Int32
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })

	selfSigned := quietTLSServer(t, count, nil)
	otherName := quietTLSServer(t, count, nil)
	cert, pool := expiredCertificate(t)
	expired := quietTLSServer(t, count, &tls.Config{Certificates: []tls.Certificate{cert}})
	plain := httptest.NewServer(count)
	defer plain.Close()

	def := providers.NewHTTPClient(providers.ClientOptions{Concurrency: 2, Timeout: 5 * time.Second})
	tests := []struct {
		name   string
		url    string
		client *http.Client
		cause  string
	}{
		{"self-signed certificate, default client", selfSigned.URL, def, "authority this computer does not trust"},
		{"certificate for another name", otherName.URL, trusting(otherName.Certificate(), "other.example"), "not valid for that host name"},
		{"expired certificate", expired.URL, trusting(nil, "", pool), "has expired"},
		{"plain HTTP on an https:// URL", "https://" + strings.TrimPrefix(plain.URL, "http://"), def, "plain HTTP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			_, err := post(t, tt.client, tt.url)
			assertFatal(t, err, "tls", u.Host, tt.cause, "base_url")
			if strings.Contains(err.Error(), "do-not-leak") {
				t.Errorf("error %q carries the request's credential", err)
			}
		})
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests reached a server over a connection herald could not verify", n)
	}
}

// quietTLSServer starts a TLS server (with cfg, else httptest's certificate) that does not log the handshakes
// the tests make fail; it closes with the test.
func quietTLSServer(t *testing.T, h http.Handler, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trusting returns a client that trusts cert (or pool) and checks the certificate against serverName when set.
func trusting(cert *x509.Certificate, serverName string, pool ...*x509.CertPool) *http.Client {
	roots := x509.NewCertPool()
	if cert != nil {
		roots.AddCert(cert)
	}
	if len(pool) > 0 {
		roots = pool[0]
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: serverName, MinVersion: tls.VersionTLS12}}}
}

// expiredCertificate makes a self-signed certificate for 127.0.0.1 that expired an hour ago, and a pool that
// trusts it.
func expiredCertificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "expired test"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
