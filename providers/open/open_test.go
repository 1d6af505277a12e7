package open_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// message is a template with a text header parameter, three body parameters and a URL button.
func message(to, ref string) providers.Message {
	return providers.Message{To: to, Template: "spring_sale", Language: "en_US", Ref: ref,
		Header: []providers.Param{{Kind: providers.ParamText, Text: "Olivia"}},
		Body: []providers.Param{{Kind: providers.ParamText, Text: "Olivia"}, {Kind: providers.ParamText, Text: "SPRING-1"},
			{Kind: providers.ParamText, Text: "15%"}},
		Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL,
			Params: []providers.Param{{Kind: providers.ParamText, Text: "SPRING-1"}}}}}
}

// TestEveryAdapterThroughTheSandbox opens each provider's adapter from a profile, as a campaign does, sends one
// message through it to the sandbox over loopback and checks the sandbox's log.
func TestEveryAdapterThroughTheSandbox(t *testing.T) {
	srv := sandbox.New(sandbox.Options{KeepLog: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for i, dialect := range sandbox.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			p := srv.Profile(dialect, hs.URL)
			prov, err := open.Provider(p, providers.ClientOptions{Concurrency: 4, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer prov.Close()
			to := "4474001235" + string(rune('0'+i)) + "0"
			rcpt, err := prov.Send(context.Background(), message(to, "ref-"+dialect))
			if err != nil {
				t.Fatal(err)
			}
			var found *sandbox.Entry
			for _, e := range srv.Log() {
				if e.Dialect == dialect {
					e := e
					found = &e
				}
			}
			if found == nil || found.To != to || found.Template != "spring_sale" || found.Action != "sent" ||
				heraldID(*found) != rcpt.MessageID {
				t.Fatalf("log entry %+v, receipt %+v", found, rcpt)
			}
		})
	}
}

// TestBuiltInSandboxProfile starts the simulator in-process, as `herald` does with no account.
func TestBuiltInSandboxProfile(t *testing.T) {
	prov, err := open.Provider(providers.Profile{Name: "sandbox", Provider: "sandbox"}, providers.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := prov.Send(context.Background(), message("447400123593", "r1"))
	if err != nil || rcpt.MessageID == "" {
		t.Fatalf("receipt %+v, err %v", rcpt, err)
	}
	if err := prov.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Send(context.Background(), message("447400123593", "r2")); err == nil {
		t.Fatal("the in-process sandbox still answers after Close")
	}
}

func TestOpenRefusesAnIncompleteProfile(t *testing.T) {
	_, err := open.Provider(providers.Profile{Name: "cloud", Provider: "meta", AccessToken: "secret-token-value"}, providers.ClientOptions{})
	if err == nil {
		t.Fatal("a meta profile without phone_number_id must be refused")
	}
	if got := err.Error(); got != `profile "cloud" (meta) is missing phone_number_id: set it in the config file (a ${VAR} there must be set in the environment)` {
		t.Fatalf("err = %s", got)
	}
}

// BenchmarkAdapterThroughSandbox is each provider's whole path: its adapter, opened from a profile, sending to
// the sandbox over loopback with 64 requests in flight (client and server share the machine's cores).
//
//	go test -run '^$' -bench AdapterThroughSandbox ./providers/open/
func BenchmarkAdapterThroughSandbox(b *testing.B) {
	srv := sandbox.New(sandbox.Options{})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, dialect := range sandbox.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			prov, err := open.Provider(srv.Profile(dialect, hs.URL), providers.ClientOptions{Concurrency: 64})
			if err != nil {
				b.Fatal(err)
			}
			defer prov.Close()
			msg := message("447400123593", "bench-ref")
			b.ReportAllocs()
			b.SetParallelism(32)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := prov.Send(context.Background(), msg); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// heraldID is the id herald keeps for a message the sandbox logged: the provider's, or for EngageLab its
// message_id and the recipient (engagelab.RecipientMessageID).
func heraldID(e sandbox.Entry) string {
	if e.Dialect == "engagelab" {
		return engagelab.RecipientMessageID(e.MessageID, e.To)
	}
	return e.MessageID
}
