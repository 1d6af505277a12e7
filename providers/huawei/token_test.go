package huawei

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ now atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.now.Store(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.now.Add(int64(d)) }
func sendAll(t *testing.T, a *Adapter, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = a.Send(context.Background(), testMessage())
		})
	}
	wg.Wait()
	return errs
}

// TestTokenFetchedOnceForConcurrentSends checks that many workers starting together share one token.
func TestTokenFetchedOnceForConcurrentSends(t *testing.T) {
	f := newFakeCEC(t, nil)
	f.setSend(f.sendOK)
	a := f.adapter(5 * time.Second)
	for i, err := range sendAll(t, a, 200) {
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if n := f.tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests for 200 concurrent sends, want 1", n)
	}
	if n := f.sendCalls.Load(); n != 200 {
		t.Errorf("%d send requests, want 200", n)
	}
}

// TestTokenRefreshedBeforeExpiry checks that the token is replaced at 80% of its life, and that an early
// refresh that fails keeps the old token until it expires.
func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	f := newFakeCEC(t, nil)
	f.setSend(f.sendOK)
	a := f.adapter(5 * time.Second)
	clock := newFakeClock()
	a.tokens.now = clock.Now
	send := func(wantTokens int64) error {
		t.Helper()
		_, err := a.Send(context.Background(), testMessage())
		if n := f.tokenCalls.Load(); n != wantTokens {
			t.Errorf("after %v: %d token requests, want %d", clock.Now().Format(time.TimeOnly), n, wantTokens)
		}
		return err
	}
	if err := send(1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(479 * time.Second) // just under 80% of 600 s
	if err := send(1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	if err := send(2); err != nil { // TOKEN2 is the only one sendOK accepts now
		t.Fatal(err)
	}

	// The token endpoint fails from now on: TOKEN2 serves until it expires, then the send fails retryable.
	f.setTokenAnswer(func(w http.ResponseWriter, r *http.Request, n int64) bool {
		writeTestJSON(w, http.StatusInternalServerError, `{"errorCode":"500","exceptionInfo":"system busy"}`)
		return true
	})
	clock.Advance(590 * time.Second)
	if err := send(3); err != nil {
		t.Fatalf("early refresh failed and the old token still works: %v", err)
	}
	clock.Advance(11 * time.Second)
	err := send(4)
	if pe := providers.AsError(err); pe.Class != providers.ClassRetryable || pe.Code != "token_http_500" {
		t.Errorf("with the token expired and none to be had: %v, want retryable token_http_500", err)
	}
}

// TestTokenLifeFromTheAnswer checks that Expires, as a string or a number, sets the token's life, and that an
// unreadable one falls back on the 600 s asked for.
func TestTokenLifeFromTheAnswer(t *testing.T) {
	tests := []struct {
		expires string
		want    time.Duration
	}{
		{`"600"`, 600 * time.Second}, {`"100"`, 100 * time.Second}, {`3600`, time.Hour}, {`"1.5"`, 1500 * time.Millisecond},
		{`"soon"`, tokenLifetime}, {`null`, tokenLifetime}, {``, tokenLifetime}, {`0`, tokenLifetime}, {`"-5"`, tokenLifetime},
		{`1e12`, tokenLifetime}, {`"NaN"`, tokenLifetime},
	}
	for _, tc := range tests {
		if got := lifeOf([]byte(tc.expires)); got != tc.want {
			t.Errorf("lifeOf(%s) = %v, want %v", tc.expires, got, tc.want)
		}
	}
}

// TestRefreshAfterRefusal checks that a token the CEC refuses (401, or the API Fabric's 403) is replaced once
// and the send repeated with no failure, and that a second refusal is fatal.
func TestRefreshAfterRefusal(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFakeCEC(t, nil)
			f.setSend(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "Bearer TOKEN1" {
					writeTestJSON(w, status, `{"errorCode":"0","exceptionInfo":"auth fail! illegal or expired token info"}`)
					return
				}
				f.sendOK(w, r)
			})
			a := f.adapter(5 * time.Second)
			if r, err := a.Send(context.Background(), testMessage()); err != nil || r.MessageID != "10011" {
				t.Fatalf("Send: %+v, %v", r, err)
			}
			if tok, snd := f.tokenCalls.Load(), f.sendCalls.Load(); tok != 2 || snd != 2 {
				t.Errorf("%d token and %d send requests, want 2 and 2", tok, snd)
			}
		})
	}
	t.Run("refused twice", func(t *testing.T) {
		f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) {
			writeTestJSON(w, http.StatusUnauthorized, `{"errorCode":"0","exceptionInfo":"not purchased"}`)
		})
		_, err := f.adapter(5*time.Second).Send(context.Background(), testMessage())
		if pe := providers.AsError(err); pe.Class != providers.ClassFatal || pe.Code != "http_401" || !strings.Contains(pe.Message, "not purchased") {
			t.Errorf("got %v, want fatal http_401 with the CEC's words", err)
		}
		if tok, snd := f.tokenCalls.Load(), f.sendCalls.Load(); tok != 2 || snd != 2 {
			t.Errorf("%d token and %d send requests, want 2 and 2", tok, snd)
		}
	})
}

// TestRefreshAfterRevocationMidRun checks that when the CEC stops accepting the token under many workers, one
// new token is fetched and no send fails.
func TestRefreshAfterRevocationMidRun(t *testing.T) {
	f := newFakeCEC(t, nil)
	f.setSend(f.sendOK)
	a := f.adapter(5 * time.Second)
	if _, err := a.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	f.revoke()
	for i, err := range sendAll(t, a, 100) {
		if err != nil {
			t.Fatalf("send %d after the revocation: %v", i, err)
		}
	}
	if n := f.tokenCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2 (one refresh for all workers)", n)
	}
}

// TestTokenErrors checks how a failed token request is classified: no message left, so nothing is unknown.
func TestTokenErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		class  providers.Class
		code   string
		text   string
	}{
		{"wrong credentials", 401, `{"errorCode":"401","exceptionInfo":"app_key or app_secret is incorrect"}`, providers.ClassFatal, "token_http_401",
			`the CEC refused app_key and app_secret of profile "cec-test": check both in the config file; the CEC says: app_key or app_secret is incorrect`},
		{"bad request", 400, `{"errorCode":"400"}`, providers.ClassFatal, "token_http_400", "errorCode 400"},
		{"forbidden", 403, `forbidden`, providers.ClassFatal, "token_http_403", "the CEC says: forbidden"},
		{"wrong base_url", 404, `<html>Not Found</html>`, providers.ClassFatal, "token_http_404", "check base_url"},
		{"too fast", 429, `{}`, providers.ClassRateLimited, "token_http_429", "too fast"},
		{"server error", 500, `{"exceptionInfo":"system busy"}`, providers.ClassRetryable, "token_http_500", "system busy"},
		{"proxy page", 502, `<html>502</html>`, providers.ClassRetryable, "token_http_502", "<html>502</html>"},
		{"200 without a token", 200, `{"AppKey":"` + testAppKey + `"}`, providers.ClassFatal, "token_answer", "probably not a CEC domain"},
		{"200 HTML", 200, `<html>welcome</html>`, providers.ClassFatal, "token_answer", "<html>welcome"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCEC(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a message was sent without a token") })
			f.setTokenAnswer(func(w http.ResponseWriter, r *http.Request, n int64) bool {
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
				return true
			})
			_, err := f.adapter(5*time.Second).Send(context.Background(), testMessage())
			pe := providers.AsError(err)
			if pe.Class != tc.class || pe.Code != tc.code || !strings.Contains(pe.Message, tc.text) {
				t.Errorf("got class %v code %s: %q; want %v %s containing %q", pe.Class, pe.Code, pe.Message, tc.class, tc.code, tc.text)
			}
			if strings.Contains(pe.Error(), testAppKey) || strings.Contains(pe.Error(), testAppSecret) {
				t.Errorf("error %q holds a credential", pe)
			}
		})
	}
}

// TestWaitingForATokenHonoursTheContext checks that a worker waiting for another's fetch gives up when its
// context ends (retryable: nothing left), while the fetch goes on for the others.
func TestWaitingForATokenHonoursTheContext(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	c := &tokenCache{now: time.Now, fetch: func(ctx context.Context) (*token, error) {
		close(arrived)
		<-release
		return &token{value: "T", refreshAt: time.Now().Add(time.Hour), expiresAt: time.Now().Add(time.Hour)}, nil
	}}
	leader := make(chan error, 1)
	go func() {
		_, err := c.get(context.Background())
		leader <- err
	}()
	<-arrived
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.get(ctx)
	if pe := providers.AsError(err); pe.Class != providers.ClassRetryable || pe.Code != "cancelled" || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v, want retryable cancelled", err)
	}
	close(release)
	if err := <-leader; err != nil {
		t.Errorf("leader: %v", err)
	}
	if tok, err := c.get(context.Background()); err != nil || tok.value != "T" {
		t.Errorf("after the fetch: %v, %v; want the fetched token", tok, err)
	}
}

// TestCancelledFetchIsRetriedByTheNextWorker checks that a fetch cancelled with its worker's context does not
// fail the other workers: one of them fetches again.
func TestCancelledFetchIsRetriedByTheNextWorker(t *testing.T) {
	var fetches atomic.Int64
	arrived := make(chan struct{})
	c := &tokenCache{now: time.Now, fetch: func(ctx context.Context) (*token, error) {
		if fetches.Add(1) == 1 {
			close(arrived)
			<-ctx.Done()
			return nil, &providers.Error{Class: providers.ClassRetryable, Code: "cancelled", Err: ctx.Err()}
		}
		return &token{value: "T2", refreshAt: time.Now().Add(time.Hour), expiresAt: time.Now().Add(time.Hour)}, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	leader := make(chan error, 1)
	go func() {
		_, err := c.get(ctx)
		leader <- err
	}()
	<-arrived
	other := make(chan *token, 1)
	go func() {
		tok, _ := c.get(context.Background())
		other <- tok
	}()
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled leader: %v, want context.Canceled", err)
	}
	if tok := <-other; tok == nil || tok.value != "T2" {
		t.Errorf("other worker got %v, want the token of a second fetch", tok)
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2", n)
	}
}
