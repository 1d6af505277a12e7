package cloudapi

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// FuzzTemplateAppendJSON: whatever a template holds, AppendJSON writes the bytes json.Marshal writes.
func FuzzTemplateAppendJSON(f *testing.F) {
	for seed := range uint64(64) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		tpl := randomTemplate(rand.New(rand.NewPCG(seed, 7)))
		want, err := json.Marshal(&tpl)
		if err != nil {
			t.Fatal(err)
		}
		if got := tpl.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("seed %d:\n got %s\nwant %s", seed, got, want)
		}
	})
}

// randomTemplate fills every field at random: empty or not, nil or not, with text that needs escaping.
func randomTemplate(r *rand.Rand) Template {
	text := func() string {
		pieces := []string{"", "Ann", `"q"`, `\`, "<&>", "\n\t", "\x01", "ü", "🎉", "\u2028", "\xff", "12.50", "https://x.example/a?b=c&d=e"}
		s := ""
		for range r.IntN(4) {
			s += pieces[r.IntN(len(pieces))]
		}
		return s
	}
	maybe := func() bool { return r.IntN(3) == 0 }
	tpl := Template{Name: text()}
	if !maybe() {
		tpl.Language = Language{Code: text()}
		if maybe() {
			tpl.Language.Policy = text()
		}
	}
	for range r.IntN(5) {
		c := Component{Type: text(), SubType: text(), Index: text()}
		if !maybe() {
			c.Parameters = []Parameter{}
		}
		for range r.IntN(4) {
			p := Parameter{Type: text(), Text: text(), Payload: text()}
			if maybe() {
				p.Image = &Media{Link: text(), Filename: text()}
			}
			if maybe() {
				p.Video = &Media{Link: text()}
			}
			if maybe() {
				p.Document = &Media{Link: text(), Filename: text()}
			}
			if maybe() {
				p.Location = &Location{Latitude: text(), Longitude: text(), Name: text(), Address: text()}
			}
			if maybe() {
				p.Currency = &Currency{FallbackValue: text(), Code: text(), Amount1000: r.Int64N(1<<40) - 1<<39}
			}
			if maybe() {
				p.DateTime = &DateTime{FallbackValue: text()}
			}
			c.Parameters = append(c.Parameters, p)
		}
		tpl.Components = append(tpl.Components, c)
	}
	if maybe() && tpl.Components == nil {
		tpl.Components = []Component{}
	}
	return tpl
}
