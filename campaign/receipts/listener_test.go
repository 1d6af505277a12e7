package receipts_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"herald/campaign/receipts"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/engagelab"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Profiles the tests receive callbacks for.
var (
	metaProfile = providers.Profile{Name: "cloud", Provider: "meta", WebhookSecret: "app-secret",
		VerifyToken: "verify-me"}
	engageProfile = providers.Profile{Name: "engage", Provider: "engagelab", WebhookToken: "url-token"}
	openProfile   = providers.Profile{Name: "open", Provider: "innopaas"}
)

// number is the recipient of row n of the test campaign.
func number(n int) string { return fmt.Sprintf("4479110%05d", n) }

// sentStore is a state store with a campaign of n rows, each sent with message id "wamid.<row>".
func sentStore(t testing.TB, n int) (*store.Store, int64, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "herald.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id := planSent(t, st, "c", n)
	return st, id, path
}

// planSent plans a campaign of n rows into st and records each row as sent with id "wamid.<row>".
func planSent(t testing.TB, st *store.Store, name string, n int) int64 {
	t.Helper()
	id := planRows(t, st, name, n)
	recordSent(t, st, id, 1, n)
	return id
}

// planRows plans a campaign of n ready rows into st, row i to number(i), and returns its id.
func planRows(t testing.TB, st *store.Store, name string, n int) int64 {
	t.Helper()
	l, err := st.LoadRows(store.CampaignInfo{Name: name, Template: "t", Fingerprint: "fp", Header: []string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if err := l.Add(store.NewRow{Row: i, Number: number(i), Status: status.Ready, Fields: []string{number(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Finish(); err != nil {
		t.Fatal(err)
	}
	info, _, err := st.Campaign(name)
	if err != nil {
		t.Fatal(err)
	}
	return info.ID
}

// recordSent records rows from..to as sent with message ids "wamid.<row>".
func recordSent(t testing.TB, st *store.Store, id int64, from, to int) {
	t.Helper()
	recordSentAs(t, st, id, from, to, func(row int) string { return fmt.Sprintf("wamid.%d", row) })
}

// recordSentAs records rows from..to as sent, each with the message id idOf gives.
func recordSentAs(t testing.TB, st *store.Store, id int64, from, to int, idOf func(row int) string) {
	t.Helper()
	j := st.OpenJournal(id, store.JournalOptions{})
	for row := from; row <= to; row++ {
		if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
			t.Fatal(err)
		}
		j.Record(store.Outcome{Row: row, Status: status.Sent, MessageID: idOf(row), Attempts: 1})
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

// newListener serves a listener over st on an httptest server.
func newListener(t *testing.T, st *store.Store, o receipts.Options) (*receipts.Listener, string) {
	t.Helper()
	o.Store = st
	if o.Profiles == nil {
		o.Profiles = []providers.Profile{metaProfile, engageProfile, openProfile}
	}
	l := receipts.New(o)
	srv := httptest.NewServer(l)
	t.Cleanup(func() {
		srv.Close()
		l.Close(time.Second)
	})
	return l, srv.URL
}

// metaStatus is a Meta webhook body with one status.
func metaStatus(id, state string, ts int64) []byte {
	errs := ""
	if state == providers.DeliveryFailed {
		errs = `, "errors": [{"code": 131049, "title": "marketing cap"}]`
	}
	return []byte(fmt.Sprintf(`{"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
		"value": {"messaging_product": "whatsapp", "statuses": [{"id": %q, "status": %q, "timestamp": "%d",
		"recipient_id": "447911000001"%s}]}}]}]}`, id, state, ts, errs))
}

// metaReply is a Meta webhook body with one text message answering context (none when "").
func metaReply(id, from, text, context string, ts int64) []byte {
	ctx := ""
	if context != "" {
		ctx = fmt.Sprintf(`, "context": {"from": "15550001111", "id": %q}`, context)
	}
	return []byte(fmt.Sprintf(`{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
		"value": {"messages": [{"from": %q, "id": %q, "timestamp": "%d", "type": "text", "text": {"body": %q}%s}]}}]}]}`,
		from, id, ts, text, ctx))
}

// post sends body to url with the given X-Hub-Signature-256 (none when "") and returns the status and body.
func post(t *testing.T, url string, body []byte, signature string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(providers.SignatureHeader, signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// deliveryOf reads what the store says about row of campaign id.
func deliveryOf(t *testing.T, st *store.Store, id int64, row int) store.Delivery {
	t.Helper()
	return deliveryOfID(t, st, id, row, fmt.Sprintf("wamid.%d", row))
}

// deliveryOfID is what the store holds of row's delivery when the row was sent with message id msgID.
func deliveryOfID(t *testing.T, st *store.Store, id int64, row int, msgID string) store.Delivery {
	t.Helper()
	c, err := st.Deliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.For(row, msgID)
}

func TestSignatureAcceptedOrRefused(t *testing.T) {
	st, id, _ := sentStore(t, 1)
	l, base := newListener(t, st, receipts.Options{})
	url := base + receipts.Path + "cloud"
	read := metaStatus("wamid.1", providers.DeliveryRead, 1733450000)
	altered := bytes.Replace(read, []byte(`"read"`), []byte(`"reae"`), 1)
	altered[len(altered)-2] = ' ' // the signature covers every byte, whitespace included
	for _, tc := range []struct {
		name, signature string
		body            []byte
	}{
		{"wrong secret", providers.SignBody("another-secret", read), read},
		{"no header", "", read},
		{"body altered by a byte", providers.SignBody(metaProfile.WebhookSecret, read), append(read[:len(read):len(read)], ' ')},
		{"status altered", providers.SignBody(metaProfile.WebhookSecret, read), altered},
	} {
		if code, _ := post(t, url, tc.body, tc.signature); code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", tc.name, code)
		}
	}
	if d := deliveryOf(t, st, id, 1); d != (store.Delivery{}) {
		t.Fatalf("a refused callback changed the store: %+v", d)
	}
	if s := l.Stats(); s.Refused != 4 || s.Accepted != 0 {
		t.Fatalf("stats %+v", s)
	}
	if code, body := post(t, url, read, providers.SignBody(metaProfile.WebhookSecret, read)); code != http.StatusOK {
		t.Fatalf("genuine callback: %d %s", code, body)
	}
	if d := deliveryOf(t, st, id, 1); d.State != providers.DeliveryRead || !d.Read.Equal(time.Unix(1733450000, 0)) {
		t.Fatalf("after the genuine callback: %+v", d)
	}
}

func TestVerificationHandshake(t *testing.T) {
	st, _, _ := sentStore(t, 1)
	_, base := newListener(t, st, receipts.Options{})
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/webhooks/cloud?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444"); code != 200 || body != "1158201444" {
		t.Fatalf("genuine handshake: %d %q", code, body)
	}
	for _, path := range []string{
		"/webhooks/cloud?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
		"/webhooks/cloud?hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1",
		"/webhooks/cloud?hub.challenge=1",
		"/webhooks/open?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", // no verify_token configured
	} {
		if code, body := get(path); code != http.StatusForbidden || strings.Contains(body, "1\n") {
			t.Errorf("%s: %d %q, want 403", path, code, body)
		}
	}
	if code, _ := get("/webhooks/nobody?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1"); code != 404 {
		t.Errorf("unknown profile: %d", code)
	}
}

func TestOversizedAndMalformedBodies(t *testing.T) {
	st, _, _ := sentStore(t, 1)
	l, base := newListener(t, st, receipts.Options{})
	url := base + receipts.Path + "open"
	big := append([]byte(`{"object": "whatsapp_business_account", "entry": [], "pad": "`), bytes.Repeat([]byte("x"), receipts.MaxBody)...)
	big = append(big, `"}`...)
	if code, _ := post(t, url, big, ""); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}
	// Without a Content-Length (chunked), the limit holds while reading.
	req, _ := http.NewRequest(http.MethodPost, url, io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked oversized body: %d", resp.StatusCode)
	}
	for _, body := range []string{`not json`, `{"object": "page"}`, `[]`} {
		if code, _ := post(t, url, []byte(body), ""); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, code)
		}
	}
	if code, _ := post(t, base+receipts.Path+"nobody", metaStatus("wamid.1", "read", 1), ""); code != 404 {
		t.Errorf("unknown profile: %d", code)
	}
	if s := l.Stats(); s.TooLarge != 2 || s.Malformed != 3 || s.Accepted != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestEngagelabToken: EngageLab signs nothing, so its URL carries ?token=; its rows carry custom_args.
func TestEngagelabToken(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "herald.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id := planRows(t, st, "c", 2)
	// EngageLab's adapter records a row's id as the request's message_id and the recipient.
	recordSentAs(t, st, id, 1, 2, func(row int) string {
		return engagelab.RecipientMessageID(fmt.Sprintf("wamid.%d", row), number(row))
	})
	_, base := newListener(t, st, receipts.Options{})
	body := []byte(`{"total": 2, "rows": [
	  {"message_id": "wamid.1", "from": "15550001111", "to": "447911000001", "server": "whatsapp", "itime": 1733450000,
	   "custom_args": {"campaign": "spring", "row": 1, "tags": ["a", "b"], "nested": {"deep": {"x": null}}},
	   "status": {"message_status": "delivered", "status_data": {"channel_message_id": "wamid.real"}, "error_code": 0}},
	  {"message_id": "wamid.2", "to": "447911000002", "itime": "1733450001", "custom_args": "free text",
	   "status": {"message_status": "delivered_failed", "error_code": 131049, "error_detail": "cap"}}]}`)
	url := base + receipts.Path + "engage"
	for _, q := range []string{"", "?token=guess", "?token=url-token-and-more"} {
		if code, _ := post(t, url+q, body, ""); code != http.StatusUnauthorized {
			t.Errorf("token %q: %d, want 401", q, code)
		}
	}
	if code, msg := post(t, url+"?token=url-token", body, ""); code != http.StatusOK {
		t.Fatalf("genuine: %d %s", code, msg)
	}
	if d := deliveryOfID(t, st, id, 1, engagelab.RecipientMessageID("wamid.1", number(1))); d.State != providers.DeliveryDelivered {
		t.Errorf("row 1: %+v", d)
	}
	if d := deliveryOfID(t, st, id, 2, engagelab.RecipientMessageID("wamid.2", number(2))); d.State != providers.DeliveryFailed || d.Code != "131049" {
		t.Errorf("row 2: %+v", d)
	}
}

// TestUnknownIDsAndKeywords: a callback for an id no row has is answered 200, counted and kept; it applies once
// the row has the id. A reply that is only an opt-out keyword (any case, with punctuation, or one of the
// config's) opts the sender out; a sentence that contains one does not.
func TestUnknownIDsAndKeywords(t *testing.T) {
	st, _, _ := sentStore(t, 3)
	l, base := newListener(t, st, receipts.Options{Keywords: []string{"arrêt"}})
	url := base + receipts.Path + "open"
	if code, _ := post(t, url, metaStatus("wamid.9", providers.DeliveryDelivered, 1733450000), ""); code != 200 {
		t.Fatalf("unknown id: %d", code)
	}
	if s := l.Stats(); s.Unknown != 1 || s.Accepted != 1 {
		t.Fatalf("stats %+v", s)
	}
	replies := []struct {
		row  int
		text string
		out  bool
	}{{1, " Stop. ", true}, {2, "stop sending me offers", false}, {3, "ARRÊT", true}}
	for i, r := range replies {
		body := metaReply(fmt.Sprintf("wamid.in%d", i), number(r.row), r.text, fmt.Sprintf("wamid.%d", r.row), 1733450100)
		if code, _ := post(t, url, body, ""); code != 200 {
			t.Fatalf("reply %q: %d", r.text, code)
		}
	}
	set, err := st.OptedOut(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range replies {
		if _, out := set[number(r.row)]; out != r.out {
			t.Errorf("reply %q: opted out %v, want %v", r.text, out, r.out)
		}
	}
	// Row 4 gets wamid.9 only now: the kept callback applies at the next reconcile.
	l2, err := st.LoadRows(store.CampaignInfo{Name: "later", Fingerprint: "fp", Header: []string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 9; i++ {
		if err := l2.Add(store.NewRow{Row: i, Number: number(100 + i), Status: status.Ready, Fields: []string{"x"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l2.Finish(); err != nil {
		t.Fatal(err)
	}
	later, _, _ := st.Campaign("later")
	// Rows 1..9 of "later" get ids wamid.1..9; only wamid.9 had a callback before.
	recordSentIDs(t, st, later.ID, 9, "wamid.9")
	if err := st.Reconcile(time.Time{}); err != nil {
		t.Fatal(err)
	}
	c, _ := st.Deliveries(later.ID)
	defer c.Close()
	if d := c.For(9, "wamid.9"); d.State != providers.DeliveryDelivered {
		t.Fatalf("kept callback not applied: %+v", d)
	}
}

// recordSentIDs records row as sent with the given message id.
func recordSentIDs(t *testing.T, st *store.Store, id int64, row int, messageID string) {
	t.Helper()
	j := st.OpenJournal(id, store.JournalOptions{})
	if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
		t.Fatal(err)
	}
	j.Record(store.Outcome{Row: row, Status: status.Sent, MessageID: messageID, Attempts: 1})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAnswersOnlyAfterCommit: the 200 leaves only once the store committed what the callback said.
func TestAnswersOnlyAfterCommit(t *testing.T) {
	st, id, _ := sentStore(t, 1)
	entered, release := make(chan struct{}), make(chan struct{})
	_, base := newListener(t, st, receipts.Options{Writer: store.CallbackWriterOptions{BeforeCommit: func() {
		entered <- struct{}{}
		<-release
	}}})
	answered := make(chan int, 1)
	go func() {
		code, _ := post(t, base+receipts.Path+"open", metaStatus("wamid.1", providers.DeliveryDelivered, 1733450000), "")
		answered <- code
	}()
	<-entered // the commit is about to happen and the request has no answer yet
	select {
	case code := <-answered:
		t.Fatalf("answered %d before the commit", code)
	default:
	}
	close(release)
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("answer %d", code)
	}
	if d := deliveryOf(t, st, id, 1); d.State != providers.DeliveryDelivered {
		t.Fatalf("answered 200 but the store says %+v", d)
	}
}

func TestWarnsAboutUnprotectedProfiles(t *testing.T) {
	st, _, _ := sentStore(t, 1)
	l, _ := newListener(t, st, receipts.Options{})
	w := l.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "profile open has neither webhook_secret nor webhook_token") {
		t.Fatalf("warnings %q", w)
	}
}
