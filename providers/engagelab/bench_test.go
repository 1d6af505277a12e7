package engagelab

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"herald/providers"
)

// benchMessage is a typical campaign message: a text header, three body parameters and a URL button.
var benchMessage = providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US", Ref: "c1-000042-1",
	Header:  []providers.Param{text("Ada")},
	Body:    []providers.Param{text("Ada"), text("SPRING10"), text("10%")},
	Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{text("SPRING10")}}}}

func BenchmarkEncodeRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeRequest("15550001111", benchMessage, []string{benchMessage.To}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAnswer(b *testing.B) {
	ans := providers.Answer{Status: 200, Body: []byte(`{"message_id":"cbggf4if6o9ukqaalfug","request_id":"c1-000042-1"}`)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseAnswer(ans); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSend is one whole Send over loopback HTTP/1.1 keep-alive, many workers in parallel.
func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"message_id":"cbggf4if6o9ukqaalfug","request_id":"c1-000042-1"}`)
	}))
	defer srv.Close()
	a, err := New(testProfile(srv.URL), providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64}))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Send(context.Background(), benchMessage); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
