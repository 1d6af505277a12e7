package meta

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"herald/providers"
)

// FuzzRequestJSON: every message the adapter can build is sent as exactly the bytes json.Marshal writes for its
// request (the body is appended by hand).
func FuzzRequestJSON(f *testing.F) {
	for seed := range uint64(64) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		msg := randomMessage(rand.New(rand.NewPCG(seed, 11)))
		req, err := buildRequest(msg)
		if err != nil {
			t.Skip("a message the adapter refuses")
		}
		want, err := json.Marshal(&req)
		if err != nil {
			t.Fatal(err)
		}
		if got := req.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("seed %d:\n got %s\nwant %s", seed, got, want)
		}
	})
}

// randomMessage fills a message at random with every kind of parameter and text that needs escaping.
func randomMessage(r *rand.Rand) providers.Message {
	text := func() string {
		pieces := []string{"", "Ann", `"q"`, `\`, "<&>", "\n", "\x1f", "é", "🎉", "\u2029", "\xc3", "SPRING-1"}
		s := ""
		for range r.IntN(4) {
			s += pieces[r.IntN(len(pieces))]
		}
		return s
	}
	param := func(kinds ...providers.ParamKind) providers.Param {
		return providers.Param{Kind: kinds[r.IntN(len(kinds))], Text: text(), CurrencyCode: text(),
			Amount1000: r.Int64N(1 << 30), Filename: text(), Latitude: text(), Longitude: text(), Name: text(),
			Address: text()}
	}
	msg := providers.Message{To: text(), Template: text(), Language: text(), Ref: text()}
	if r.IntN(2) == 0 {
		msg.Header = []providers.Param{param("", providers.ParamText, providers.ParamImage, providers.ParamVideo,
			providers.ParamDocument, providers.ParamLocation)}
	}
	for range r.IntN(4) {
		msg.Body = append(msg.Body, param("", providers.ParamText, providers.ParamCurrency, providers.ParamDateTime))
	}
	for i := range r.IntN(3) {
		b := providers.ButtonParams{Index: i, Kind: providers.ButtonURL}
		if r.IntN(2) == 0 {
			b.Kind = providers.ButtonQuickReply
		}
		b.Params = []providers.Param{param("", providers.ParamText)}
		msg.Buttons = append(msg.Buttons, b)
	}
	return msg
}
