package open_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// sessionMessages are one session message of every kind herald sends, each as full as WhatsApp allows (the
// sandbox checks every field against the provider's document), by the label the sandbox logs.
func sessionMessages() map[string]*providers.Session {
	return map[string]*providers.Session{
		"text": {Kind: providers.SessionText, Text: "Hi Olivia, here is the price list: https://shop.example/p"},
		"image": {Kind: providers.SessionImage, Link: "https://cdn.example.com/p.jpg",
			Caption: "Our spring prices"},
		"video": {Kind: providers.SessionVideo, Link: "https://cdn.example.com/p.mp4", Caption: "A look inside"},
		"document": {Kind: providers.SessionDocument, Link: "https://cdn.example.com/p.pdf",
			Filename: "Prices.pdf", Caption: "The price list you asked for"},
		"location": {Kind: providers.SessionLocation, Latitude: "51.5074", Longitude: "-0.1278", Name: "Herald Shop",
			Address: "1 High St, London"},
		"interactive/button": {Kind: providers.SessionInteractive, Text: "Which size, Olivia?",
			Interactive: &providers.Interactive{Kind: providers.InteractiveButtons,
				Header: &providers.SessionHeader{Kind: providers.ParamText, Text: "Spring sale"}, Footer: "Reply any time",
				Buttons: []providers.ReplyButton{{ID: "size_s", Title: "Small"}, {ID: "size_m", Title: "Medium"},
					{ID: "size_l", Title: "Large"}}}},
		"interactive/list": {Kind: providers.SessionInteractive, Text: "Pick a shop",
			Interactive: &providers.Interactive{Kind: providers.InteractiveList,
				Header: &providers.SessionHeader{Kind: providers.ParamText, Text: "Our shops"}, Button: "Choose a shop",
				Sections: []providers.ListSection{
					{Title: "London", Rows: []providers.ListRow{{ID: "ldn_1", Title: "High St", Description: "Open till 8"},
						{ID: "ldn_2", Title: "Camden"}}},
					{Title: "Leeds", Rows: []providers.ListRow{{ID: "lds_1", Title: "Briggate"}}}}}},
	}
}

// TestEverySessionMessageThroughTheSandbox sends every session message kind through every provider's adapter to
// the sandbox, whose dialect checks the request against its document: what the capability table says a
// provider carries is accepted and logged with its type; what it does not is refused by the table before any
// request (Huawei: every kind).
func TestEverySessionMessageThroughTheSandbox(t *testing.T) {
	srv := sandbox.New(sandbox.Options{KeepLog: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	n := 0
	for _, dialect := range sandbox.Dialects() {
		p := srv.Profile(dialect, hs.URL)
		caps, err := open.Capabilities(p)
		if err != nil {
			t.Fatal(err)
		}
		prov, err := open.Provider(p, providers.ClientOptions{Concurrency: 4, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer prov.Close()
		for label, s := range sessionMessages() {
			t.Run(dialect+"/"+label, func(t *testing.T) {
				msg := providers.Message{Session: s, Ref: fmt.Sprintf("ref-%d", n)}
				n++
				msg.To = fmt.Sprintf("4474001%05d", n)
				refused := dialect == "huawei" || (dialect == "engagelab" && (label == "location" ||
					strings.HasPrefix(label, "interactive")))
				if r := caps.Refuse(providers.NeedsOf(msg)); r != nil || refused {
					if r == nil || !refused {
						t.Fatalf("%s refuses %s: %v, want refused %v", dialect, label, r, refused)
					}
					return
				}
				rcpt, err := prov.Send(context.Background(), msg)
				if err != nil {
					t.Fatal(err)
				}
				e := lastEntry(srv, dialect)
				if e.To != msg.To || e.Session != label || e.Template != "" || e.Action != "sent" || heraldID(e) != rcpt.MessageID {
					t.Fatalf("log entry %+v, receipt %+v", e, rcpt)
				}
			})
		}
	}
	for _, dialect := range []string{"itniotech", "engagelab", "innopaas", "meta"} {
		if got := countSessions(srv, dialect); got < 4 {
			t.Errorf("%s sent %d session messages", dialect, got)
		}
	}
}

// lastEntry is the sandbox's last log entry of dialect.
func lastEntry(srv *sandbox.Server, dialect string) sandbox.Entry {
	var last sandbox.Entry
	for _, e := range srv.Log() {
		if e.Dialect == dialect {
			last = e
		}
	}
	return last
}

// countSessions counts the session messages dialect's sandbox accepted.
func countSessions(srv *sandbox.Server, dialect string) int {
	n := 0
	for _, e := range srv.Log() {
		if e.Dialect == dialect && e.Session != "" && e.Action == "sent" {
			n++
		}
	}
	return n
}

// TestSessionRefusalsNameProviderAndFeature: what a provider's document does not list is refused by its
// capability table with the provider, the feature and the providers that carry it.
func TestSessionRefusalsNameProviderAndFeature(t *testing.T) {
	msgs := sessionMessages()
	for _, tt := range []struct {
		provider, label string
		edit            func(*providers.Session)
		want            []string
	}{
		{"huawei", "text", nil, []string{"Huawei CEC cannot carry a session text message", "herald sends no session",
			"Itniotech", "EngageLab", "InnoPaaS", "Meta Cloud API"}},
		{"engagelab", "location", nil, []string{"EngageLab cannot carry a session location message",
			"text, image, video and document session messages only", "Itniotech"}},
		{"engagelab", "interactive/list", nil, []string{"EngageLab cannot carry a session list message"}},
		{"itniotech", "interactive/button", func(s *providers.Session) {
			s.Interactive.Header = &providers.SessionHeader{Kind: providers.ParamImage, Link: "https://x.example/a.jpg"}
		}, []string{"Itniotech cannot carry an image header on an interactive message", "text headers only", "InnoPaaS"}},
		{"itniotech", "document", func(s *providers.Session) { s.Filename = "" },
			[]string{"Itniotech cannot carry a session document without a file name", "add filename:", "EngageLab"}},
		{"itniotech", "location", func(s *providers.Session) { s.Address = "" },
			[]string{"without a name and an address", "Meta Cloud API"}},
		{"innopaas", "interactive/button", func(s *providers.Session) {
			s.Interactive.Header = &providers.SessionHeader{Kind: providers.ParamDocument, Link: "https://x.example/a.pdf",
				Filename: "a.pdf"}
		}, []string{"InnoPaaS cannot carry a file name on an interactive message's document header"}},
	} {
		t.Run(tt.provider+"/"+tt.label, func(t *testing.T) {
			s := *msgs[tt.label]
			if s.Interactive != nil {
				in := *s.Interactive
				s.Interactive = &in
			}
			if tt.edit != nil {
				tt.edit(&s)
			}
			err := open.Check(providers.Profile{Name: "p", Provider: tt.provider}, providers.NeedsOf(providers.Message{Session: &s}))
			if err == nil {
				t.Fatal("not refused")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("refusal %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestSessionBatches: a provider that takes lists sends one session message to many recipients in one
// request, and the sandbox logs each recipient with the message's type.
func TestSessionBatches(t *testing.T) {
	srv := sandbox.New(sandbox.Options{KeepLog: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, dialect := range []string{"engagelab", "innopaas"} {
		t.Run(dialect, func(t *testing.T) {
			prov, err := open.Provider(srv.Profile(dialect, hs.URL), providers.ClientOptions{Concurrency: 4, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer prov.Close()
			b, ok := prov.(providers.Batcher)
			if !ok {
				t.Fatalf("%s is not a Batcher", dialect)
			}
			to := []string{"447400200001", "447400200002", "447400200003"}
			res, err := b.SendBatch(context.Background(), providers.Message{Session: sessionMessages()["document"],
				Ref: "batch-" + dialect}, to)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(to) {
				t.Fatalf("%d results for %d recipients", len(res), len(to))
			}
			got := 0
			for _, e := range srv.Log() {
				if e.Dialect == dialect && e.Session == "document" && e.Ref == "batch-"+dialect {
					got++
				}
			}
			if got != len(to) {
				t.Fatalf("the sandbox logged %d recipients of the batch, want %d", got, len(to))
			}
		})
	}
}
