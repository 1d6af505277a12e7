package providers

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"reflect"
)

// Requests to a provider go to the profile's host and nowhere else, over a connection herald can verify: a
// redirect or a TLS failure is an error of the profile, fatal for the campaign, never retried row by row.

// refuseRedirect is the CheckRedirect of every client Do sends with: the 3xx answer itself comes back to Do,
// which makes it an error, and no request goes to the Location, so credentials, signatures and bodies stay with
// the host configured.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns a copy of client that refuses redirects, so that Do never follows one whatever client
// an adapter was given. The copy shares client's transport and its connections. A client that already refuses
// them (NewHTTPClient's, every adapter's own) is returned as it is: Do runs once a message.
func withoutRedirects(client *http.Client) *http.Client {
	if client.CheckRedirect != nil &&
		reflect.ValueOf(client.CheckRedirect).Pointer() == reflect.ValueOf(refuseRedirect).Pointer() {
		return client
	}
	c := *client
	c.CheckRedirect = refuseRedirect
	return &c
}

// maxHostLen bounds a host named in an error.
const maxHostLen = 100

// redirectError is the fatal error for a 3xx answer. It names the status and where the redirect points, by
// scheme and host only: the Location's path and query may carry anything.
func redirectError(req *http.Request, resp *http.Response) *Error {
	target := "without a Location"
	if loc, err := resp.Location(); err == nil {
		target = "to " + loc.Scheme + "://" + Snippet([]byte(loc.Host), maxHostLen)
		if loc.Host == req.URL.Host {
			target += " (the same host)"
		}
	} else if resp.Header.Get("Location") != "" {
		target = "to an unreadable Location"
	}
	return &Error{Class: ClassFatal, Code: "redirect", HTTPStatus: resp.StatusCode,
		Message: fmt.Sprintf("%s answered HTTP %d, a redirect %s, which herald does not follow: credentials and messages go only to the host configured. Check base_url in the profile: it should be the provider's documented https:// host",
			req.URL.Host, resp.StatusCode, target)}
}

// TLS alerts that say the host will not speak TLS with herald at all (RFC 8446 section 6).
const (
	alertHandshakeFailure     tls.AlertError = 40
	alertProtocolVersion      tls.AlertError = 70
	alertInsufficientSecurity tls.AlertError = 71
)

// tlsError returns the fatal error for a TLS failure that no retry can mend: a certificate this computer cannot
// verify (unknown authority, another host's name, expired) or a host that does not speak TLS there. It returns
// nil for any other error. The sentence names the host, the cause and what to do.
func tlsError(host string, err error) *Error {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		roots    x509.SystemRootsError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	fix := "check base_url in the profile (its host name, https://) and that the host's certificate is valid and issued by an authority this computer trusts"
	var cause string
	switch {
	case errors.As(err, &unknown):
		cause = "its certificate is signed by an authority this computer does not trust (self-signed, or a private authority)"
	case errors.As(err, &hostname):
		cause = "its certificate is not valid for that host name"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		cause = "its certificate has expired or is not valid yet (or this computer's clock is wrong)"
	case errors.As(err, &invalid):
		cause = "its certificate is not valid"
	case errors.As(err, &roots):
		cause = "this computer has no trusted root certificates to verify it with"
		fix = "install the system's CA certificates (the ca-certificates package)"
	case errors.As(err, &verify):
		cause = "its certificate could not be verified"
	case errors.Is(err, http.ErrSchemeMismatch):
		cause = "it answers plain HTTP on that port, not TLS"
		fix = "check base_url in the profile: the provider's documented https:// host, or the port that serves TLS"
	case errors.As(err, &record):
		cause = "it does not speak TLS on that port"
		fix = "check base_url in the profile: https:// for a TLS port, and the port itself"
	case errors.As(err, &alert) && (alert == alertHandshakeFailure || alert == alertProtocolVersion || alert == alertInsufficientSecurity):
		cause = "it refused to agree on a TLS version or cipher with herald (TLS 1.2 at least)"
		fix = "check base_url in the profile: it should be the provider's documented host"
	default:
		return nil
	}
	return &Error{Class: ClassFatal, Code: "tls", Err: err,
		Message: fmt.Sprintf("the TLS connection to %s failed: %s (%s). herald sends nothing to a host it cannot verify: %s",
			host, cause, describeNetErr(err), fix)}
}
