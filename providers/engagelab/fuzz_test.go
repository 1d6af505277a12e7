package engagelab

import (
	"errors"
	"net/http"
	"testing"

	"herald/providers"
)

// FuzzParseAnswer feeds arbitrary statuses, bodies and Retry-After values to the answer parser: it must never
// panic, and must give either a receipt with a message id (on a 2xx answer) or a classified *providers.Error
// that carries the status and a bounded message.
func FuzzParseAnswer(f *testing.F) {
	for _, tc := range append(append([]answerCase(nil), documentedAnswers...), otherAnswers...) {
		f.Add(tc.status, []byte(tc.body), tc.retryAfter)
	}
	f.Add(200, []byte(`{"message_id":"cbggf4if6o9ukqaalfug","request_id":"r"}`), "")
	f.Add(200, []byte(`null`), "")
	f.Add(400, []byte(`{"code":{"a":1}}`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(429, []byte(`{"code":"\u0000","message":12}`), "-1")
	f.Add(348, []byte("0"), "10000000000") // once overflowed providers.RetryAfter into a negative wait
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		rec, err := parseAnswer(providers.Answer{Status: status, Header: h, Body: body})
		if err == nil {
			if rec.MessageID == "" || status < 200 || status > 299 {
				t.Fatalf("status %d body %q: receipt %+v without an error", status, body, rec)
			}
			return
		}
		var e *providers.Error
		if !errors.As(err, &e) {
			t.Fatalf("status %d body %q: error %v is not a *providers.Error", status, body, err)
		}
		if e.Class < providers.ClassUnknown || e.Class > providers.ClassFatal || e.Code == "" || e.Message == "" {
			t.Fatalf("status %d body %q: badly classified error %#v", status, body, e)
		}
		if e.HTTPStatus != status {
			t.Fatalf("status %d body %q: error carries status %d", status, body, e.HTTPStatus)
		}
		if status == http.StatusTooManyRequests && e.Class != providers.ClassRateLimited {
			t.Fatalf("a 429 gave class %v", e.Class)
		}
		if e.RetryAfter < 0 {
			t.Fatalf("Retry-After %q gave a negative wait %v", retryAfter, e.RetryAfter)
		}
		if n := len(e.Error()); n > 2048 {
			t.Fatalf("error text is %d bytes long", n)
		}
	})
}
