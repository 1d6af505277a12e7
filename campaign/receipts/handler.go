package receipts

import (
	"errors"
	"io"
	"net/http"
	"time"

	"herald/campaign/store"
	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/meta"
)

// verify answers the provider's subscription check: GET with hub.mode=subscribe gets hub.challenge back when
// hub.verify_token is the profile's verify_token, else 403.
func (l *Listener) verify(w http.ResponseWriter, r *http.Request) {
	p, ok := l.profiles[r.PathValue("profile")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Get("hub.mode") != "subscribe" || !providers.TokenValid(p.VerifyToken, q.Get("hub.verify_token")) {
		l.refused.Add(1)
		http.Error(w, "verification failed", http.StatusForbidden)
		return
	}
	// The challenge comes back as plain text that no browser may take for a page.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, q.Get("hub.challenge"))
}

// receive takes one callback: it checks the token and the signature before reading anything else, bounds the
// body, parses it in the profile's format, commits what it says and only then answers 200. Failures answer:
// 404 unknown profile, 401 failed token or signature, 413 too large, 400 not a callback, 500 the store failed
// (the provider retries).
func (l *Listener) receive(w http.ResponseWriter, r *http.Request) {
	p, ok := l.profiles[r.PathValue("profile")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if p.WebhookToken != "" && !providers.TokenValid(p.WebhookToken, r.URL.Query().Get("token")) {
		l.refused.Add(1)
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	if r.ContentLength > MaxBody {
		l.tooLarge.Add(1)
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			l.tooLarge.Add(1)
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	if p.WebhookSecret != "" && !providers.SignatureValid(p.WebhookSecret, r.Header.Get(providers.SignatureHeader), body) {
		l.refused.Add(1)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	cb, err := Parse(p, body)
	if err != nil {
		l.malformed.Add(1)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := l.writer.Write(r.Context(), l.batch(p, cb, time.Now()))
	if err != nil {
		http.Error(w, "not recorded, retry later", http.StatusInternalServerError)
		return
	}
	l.accepted.Add(1)
	l.events.Add(int64(cb.Len()))
	l.unknown.Add(int64(res.Unknown))
	l.optedOut.Add(int64(len(res.OptedOut)))
	if l.o.OnCommit != nil {
		l.o.OnCommit(res)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}

// Parse reads a callback body in the format of the profile's provider: EngageLab's status callback for
// engagelab profiles, Meta's webhook (which the BSPs forward) for every other.
func Parse(p providers.Profile, body []byte) (providers.Callbacks, error) {
	if p.Provider == "engagelab" {
		return engagelab.ParseCallback(body)
	}
	return meta.ParseWebhook(body)
}

// batch turns parsed callbacks into the store's batch, deciding which replies are opt-out keywords.
func (l *Listener) batch(p providers.Profile, cb providers.Callbacks, now time.Time) store.CallbackBatch {
	b := store.CallbackBatch{Profile: p.Name, Rehearsal: p.Provider == "sandbox", Deliveries: cb.Deliveries,
		Received: now}
	for _, in := range cb.Inbound {
		b.Inbound = append(b.Inbound, store.InboundMessage{Inbound: in, Keyword: l.keywords.Match(in.Text)})
	}
	return b
}
