package providers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"herald/providers"
)

// answering is a RoundTripper that answers every request with body, declaring length as its ContentLength.
type answering struct {
	body   string
	length int64
}

func (a answering) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(a.body)),
		ContentLength: a.length, Request: req}, nil
}

// TestDoReadsTheAnswerWhateverItsLength: Do reads the whole answer whether its length is declared, unknown, or
// left 0 by a RoundTripper; a body shorter than declared is an error, never a shorter answer; and an answer over
// MaxResponseBytes is refused whatever it declared.
func TestDoReadsTheAnswerWhateverItsLength(t *testing.T) {
	const body = `{"messages":[{"id":"wamid.X"}]}`
	big := strings.Repeat("x", providers.MaxResponseBytes+1)
	for _, c := range []struct {
		name    string
		answer  answering
		want    string
		errCode string
	}{
		{"declared", answering{body, int64(len(body))}, body, ""},
		{"unknown", answering{body, -1}, body, ""},
		{"left 0", answering{body, 0}, body, ""},
		{"shorter than declared", answering{body, int64(len(body)) + 5}, "", "truncated_answer"},
		{"oversized, declared", answering{big, int64(len(big))}, "", "oversized_answer"},
		{"oversized, unknown", answering{big, -1}, "", "oversized_answer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			client := &http.Client{Transport: c.answer}
			req, err := http.NewRequest(http.MethodPost, "https://provider.example/send", strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			ans, err := providers.Do(context.Background(), client, req)
			var perr *providers.Error
			switch {
			case c.errCode == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.errCode == "" && string(ans.Body) != c.want:
				t.Fatalf("body %q, want %q", ans.Body, c.want)
			case c.errCode != "" && (!errors.As(err, &perr) || perr.Code != c.errCode):
				t.Fatalf("error %v, want code %s", err, c.errCode)
			}
		})
	}
}
