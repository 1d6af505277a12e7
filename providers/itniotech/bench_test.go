package itniotech

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"herald/providers"
)

// benchMessage is a typical campaign message: a text header, three body parameters and a URL button.
var benchMessage = providers.Message{To: "447911123456", Template: "spring_sale", Language: "en_US",
	Header: []providers.Param{{Kind: providers.ParamText, Text: "Alice"}},
	Body: []providers.Param{{Kind: providers.ParamText, Text: "Alice"}, {Kind: providers.ParamText, Text: "SPRING10"},
		{Kind: providers.ParamText, Text: "31 May"}},
	Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{{Text: "SPRING10"}}}}}

// BenchmarkSend is the adapter's whole hot path against a loopback server answering success at once.
func BenchmarkSend(b *testing.B) {
	a := newTestAdapter(b, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, successBody)
	})
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Send(context.Background(), benchMessage); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkEncodeAndParse is the adapter's own work per message, without the network: body, signature, answer.
func BenchmarkEncodeAndParse(b *testing.B) {
	a, err := New(testProfile(""), nil)
	if err != nil {
		b.Fatal(err)
	}
	answer := providers.Answer{Status: http.StatusOK, Header: http.Header{}, Body: []byte(successBody)}
	b.ReportAllocs()
	for b.Loop() {
		payload, err := newSendRequest(a.appID, a.businessPhone, benchMessage)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(payload); err != nil {
			b.Fatal(err)
		}
		_ = a.signature()
		if _, err := parseAnswer(answer); err != nil {
			b.Fatal(err)
		}
	}
}
