package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/meta"
	"herald/providers/sandbox"
)

// receiver is a stand-in for herald's listener: it checks the signature or the token, parses the body in its
// format and keeps what it took; the first failFirst requests get 500.
type receiver struct {
	secret, token providers.Secret
	engagelab     bool
	failFirst     int

	mu       sync.Mutex
	requests int
	events   map[string][]providers.DeliveryEvent
	replies  map[string][]providers.Inbound
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.requests++; r.requests <= r.failFirst {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if (r.secret != "" && !providers.SignatureValid(r.secret, req.Header.Get(providers.SignatureHeader), body)) ||
		(r.token != "" && !providers.TokenValid(r.token, req.URL.Query().Get("token"))) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	parse := meta.ParseWebhook
	if r.engagelab {
		parse = engagelab.ParseCallback
	}
	cb, err := parse(body)
	if err != nil || cb.Len() != 1 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	for _, d := range cb.Deliveries {
		r.events[d.MessageID] = append(r.events[d.MessageID], d)
	}
	for _, in := range cb.Inbound {
		r.replies[in.ContextID] = append(r.replies[in.ContextID], in)
	}
}

// outcome is what the receiver can tell of a message from the callbacks it took: the highest state, the
// earliest times, the failure's code and the replies.
func (r *receiver) outcome(id string) sandbox.Fate {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := sandbox.Fate{MessageID: id}
	for _, d := range r.events[id] {
		if providers.DeliveryRank(d.Status) > providers.DeliveryRank(f.State) {
			f.State = d.Status
		}
		switch d.Status {
		case providers.DeliveryDelivered:
			f.Delivered = d.At
		case providers.DeliveryRead:
			f.Read = d.At
		case providers.DeliveryFailed:
			f.Code = d.ErrorCode
		}
	}
	for _, in := range r.replies[id] {
		f.Reply, f.Replied = in.Text, in.At
	}
	return f
}

// callbackRun sends n messages through a sandbox that calls back to rcv, waits for every callback and
// returns the sandbox.
func callbackRun(t *testing.T, dialect string, rcv *receiver, n int, knobs providers.SandboxCallbacks, forged float64) *sandbox.Server {
	t.Helper()
	rcv.events, rcv.replies = map[string][]providers.DeliveryEvent{}, map[string][]providers.Inbound{}
	target := httptest.NewServer(rcv)
	t.Cleanup(target.Close)
	acct := sandbox.Credentials()[dialect]
	s := sandbox.New(sandbox.Options{Seed: 7, Callbacks: sandbox.CallbackOptions{Knobs: knobs, Forged: forged,
		RetryBase: time.Millisecond, Targets: map[string]sandbox.CallbackTarget{
			dialect: {URL: target.URL + "/webhooks/x", Secret: acct.WebhookSecret, Token: acct.WebhookToken}}}})
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var send func(context.Context, providers.Message) (providers.Receipt, error)
	switch dialect {
	case "engagelab":
		a, err := engagelab.New(s.Profile(dialect, srv.URL), srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		send = a.Send
	default:
		a, err := meta.New(s.Profile(dialect, srv.URL), srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		send = a.Send
	}
	for i := 0; i < n; i++ {
		if _, err := send(t.Context(), engagelabMessage(fmt.Sprintf("4479110%05d", i), fmt.Sprintf("r%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := s.DrainCallbacks(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkFates compares what the receiver took with what the sandbox decided, message by message.
func checkFates(t *testing.T, s *sandbox.Server, rcv *receiver, n int) {
	t.Helper()
	fates := s.Fates()
	if len(fates) != n {
		t.Fatalf("%d fates for %d messages", len(fates), n)
	}
	for _, want := range fates {
		id := want.MessageID
		if want.Dialect == "engagelab" { // herald keeps an id per recipient of an EngageLab request
			id = engagelab.RecipientMessageID(id, want.To)
		}
		got := rcv.outcome(id)
		want.Dialect, want.To, want.Forged, want.MessageID = "", "", false, id
		if got != want {
			t.Errorf("message %s:\n got %+v\nwant %+v", want.MessageID, got, want)
		}
	}
}

// TestCallbacksInMetaFormat: shuffled, duplicated, some forged; what a checking receiver takes is exactly
// what the sandbox decided, and every forged callback is refused.
func TestCallbacksInMetaFormat(t *testing.T) {
	rcv := &receiver{secret: sandbox.Credentials()["meta"].WebhookSecret}
	knobs := providers.SandboxCallbacks{Jitter: 20 * time.Millisecond, Read: 0.5, Failed: 0.2, Stop: 0.3,
		Duplicates: 0.5, Shuffle: true}
	s := callbackRun(t, "meta", rcv, 60, knobs, 0.2)
	checkFates(t, s, rcv, 60)
	st := s.CallbackStats()
	if st.Duplicates == 0 || st.Forged == 0 || st.Refused != st.Forged || st.ForgedTaken != 0 || st.GaveUp != 0 {
		t.Fatalf("stats %+v", st)
	}
	kinds := map[string]int{}
	for _, f := range s.Fates() {
		kinds[f.State]++
		if f.Reply != "" {
			kinds["reply"]++
		}
	}
	if kinds[providers.DeliveryFailed] == 0 || kinds[providers.DeliveryRead] == 0 ||
		kinds[providers.DeliveryDelivered] == 0 || kinds["reply"] == 0 {
		t.Fatalf("fates by kind %v: the knobs should give some of each", kinds)
	}
}

// TestCallbacksInEngagelabFormat: EngageLab's rows, with custom_args, authenticated by the token in the URL.
func TestCallbacksInEngagelabFormat(t *testing.T) {
	rcv := &receiver{token: sandbox.Credentials()["engagelab"].WebhookToken, engagelab: true}
	s := callbackRun(t, "engagelab", rcv, 30, providers.SandboxCallbacks{Read: 0.5, Failed: 0.2, Stop: 0.3}, 0.3)
	checkFates(t, s, rcv, 30)
	if st := s.CallbackStats(); st.Forged == 0 || st.Refused != st.Forged {
		t.Fatalf("stats %+v", st)
	}
}

// TestCallbacksAreRetried: a receiver that fails at first gets every callback in the end, as from a provider.
func TestCallbacksAreRetried(t *testing.T) {
	rcv := &receiver{secret: sandbox.Credentials()["meta"].WebhookSecret, failFirst: 5}
	s := callbackRun(t, "meta", rcv, 10, providers.SandboxCallbacks{Read: 1}, 0)
	checkFates(t, s, rcv, 10)
	if st := s.CallbackStats(); st.Retried < 5 || st.GaveUp != 0 {
		t.Fatalf("stats %+v", st)
	}
}
