package engagelab

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"herald/providers"
)

// TestNoSecretInErrors drives every kind of failure, including a provider that echoes the Authorization
// header and the body back, and checks that no credential shows in any rendering of the error.
func TestNoSecretInErrors(t *testing.T) {
	p := testProfile("")
	cred := base64.StdEncoding.EncodeToString([]byte(p.DevKey.Reveal() + ":" + p.DevSecret.Reveal()))
	secrets := []string{p.DevKey.Reveal(), p.DevSecret.Reveal(), cred}

	var errs []error
	echo := func(status int, format string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.WriteHeader(status)
			_, _ = fmt.Fprintf(w, format, r.Header.Get("Authorization"), strings.ReplaceAll(string(body), `"`, `'`))
		}
	}
	handlers := []http.HandlerFunc{
		echo(401, `{"code":2001,"message":"bad credentials %s for %s"}`),
		echo(500, `{"message":"%s %s"}`),
		echo(200, `{"request_id":"%s %s"}`),
		echo(502, `<html>%s %s</html>`),
		echo(400, `{"code":9999,"message":"%s%s"}`),
	}
	for _, tc := range append(append([]answerCase(nil), documentedAnswers...), otherAnswers...) {
		handlers = append(handlers, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
	}
	m := msg
	m.Body = []providers.Param{text(p.DevSecret.Reveal())} // even a secret pasted into a parameter
	for _, h := range handlers {
		a := newTestAdapter(t, h)
		_, err := a.Send(context.Background(), m)
		errs = append(errs, err)
	}
	refused, err := New(testProfile("http://127.0.0.1:1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	_, err = refused.Send(context.Background(), m)
	errs = append(errs, err)
	bad := p
	bad.From = ""
	_, err = New(bad, nil)
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		e := providers.AsError(err)
		for _, rendered := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", e), e.Message} {
			for _, s := range secrets {
				if strings.Contains(rendered, s) {
					t.Errorf("case %d: error text %q holds a secret", i, rendered)
				}
			}
		}
	}
}
