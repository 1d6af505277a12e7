package providers

import (
	"slices"
	"testing"
)

// TestNeedsOf reads what a message asks of a provider: its header kind, its typed body kinds (each once) and its
// button kinds.
func TestNeedsOf(t *testing.T) {
	msg := Message{Header: []Param{{Kind: ParamLocation}},
		Body:    []Param{{Kind: ParamText}, {Kind: ParamCurrency}, {Kind: ParamCurrency}, {Kind: ParamDateTime}, {Text: "x"}},
		Buttons: []ButtonParams{{Index: 0, Kind: ButtonURL}, {Index: 1, Kind: ButtonQuickReply}, {Index: 2, Kind: ButtonURL}}}
	n := NeedsOf(msg)
	if n.Header != ParamLocation || !slices.Equal(n.TypedBody, []ParamKind{ParamCurrency, ParamDateTime}) ||
		!slices.Equal(n.Buttons, []ButtonKind{ButtonURL, ButtonQuickReply}) {
		t.Errorf("NeedsOf = %+v", n)
	}
	if n := NeedsOf(Message{Body: []Param{{Kind: ParamText}}}); n.Header != "" || n.TypedBody != nil || n.Buttons != nil {
		t.Errorf("a text-only message needs %+v, want nothing", n)
	}
}

// TestRefuse: a header kind or a parameterised button the table lacks is refused, with the provider, the feature,
// the reason and the fix; a typed body parameter never is; a kind no template has is left to the adapter.
func TestRefuse(t *testing.T) {
	c := Capabilities{Provider: "Acme", Source: "Acme's API", Headers: []ParamKind{ParamText, ParamImage},
		Buttons: []ButtonSupport{{Kind: ButtonURL}}}
	r := c.Refuse(Needs{Header: ParamVideo})
	if r == nil || r.Code != "unsupported_header" || r.Error() !=
		"Acme cannot carry a video header: Acme's API lists text and image headers only - use an approved template whose header is text or image (or none)" {
		t.Errorf("video header: %v", r)
	}
	if r := c.Refuse(Needs{Header: ParamImage, Buttons: []ButtonKind{ButtonURL, ButtonQuickReply}}); r == nil ||
		r.Code != "unsupported_button" || r.Feature != "a quick_reply button with a parameter" {
		t.Errorf("quick reply: %+v", r)
	}
	for _, n := range []Needs{{}, {Header: ParamText, TypedBody: []ParamKind{ParamCurrency, ParamDateTime}},
		{Header: "audio"}, {Buttons: []ButtonKind{"phone_number"}}} {
		if r := c.Refuse(n); r != nil {
			t.Errorf("Refuse(%+v) = %v, want nil", n, r)
		}
	}
	alt := c.Refuse(Needs{Header: ParamVideo}).WithAlternatives([]Capabilities{c,
		{Provider: "B", Headers: []ParamKind{ParamVideo}}, {Provider: "C"}, {Provider: "D", Headers: []ParamKind{ParamVideo}}})
	if !slices.Equal(alt.Alternatives, []string{"B", "D"}) {
		t.Errorf("alternatives %v, want [B D]", alt.Alternatives)
	}
	if e := alt.AsError(); e.Class != ClassFatal || e.Code != "unsupported_header" || e.Message != alt.Error() {
		t.Errorf("AsError = %+v", e)
	}
}

// TestBatchKey: two messages have the same key exactly when they say the same thing, whoever they go to;
// values are length-prefixed, so no two different messages share a key by moving text between fields.
func TestBatchKey(t *testing.T) {
	base := Message{To: "1", Ref: "a", Template: "t", Language: "en", Body: []Param{{Kind: ParamText, Text: "ab"}, {Kind: ParamText, Text: "c"}}}
	same := base
	same.To, same.Ref = "2", "b"
	if base.BatchKey() != same.BatchKey() {
		t.Error("the recipient or the reference changed the key")
	}
	shifted := base
	shifted.Body = []Param{{Kind: ParamText, Text: "a"}, {Kind: ParamText, Text: "bc"}}
	currency := base
	currency.Body = []Param{{Kind: ParamCurrency, Text: "ab", CurrencyCode: "USD", Amount1000: 1}, {Kind: ParamText, Text: "c"}}
	button := base
	button.Buttons = []ButtonParams{{Index: 0, Kind: ButtonURL, Params: []Param{{Kind: ParamText, Text: "x"}}}}
	header := base
	header.Header = []Param{{Kind: ParamText, Text: "ab"}}
	for name, m := range map[string]Message{"shifted": shifted, "currency": currency, "button": button, "header": header} {
		if m.BatchKey() == base.BatchKey() {
			t.Errorf("%s message has the base's key", name)
		}
	}
}

// TestMatchResults: a batch answer with one result per recipient is kept; any other count makes every
// recipient unknown.
func TestMatchResults(t *testing.T) {
	ok := []BatchResult{{Receipt: Receipt{MessageID: "a"}}, {Receipt: Receipt{MessageID: "b"}}}
	if got := MatchResults(ok, 2); len(got) != 2 || got[1].Receipt.MessageID != "b" {
		t.Errorf("MatchResults kept %+v", got)
	}
	got := MatchResults(ok, 3)
	if len(got) != 3 {
		t.Fatalf("%d results, want 3", len(got))
	}
	for _, r := range got {
		if Classify(r.Err) != ClassUnknown || AsError(r.Err).Code != "bad_batch_answer" {
			t.Errorf("result %+v, want unknown bad_batch_answer", r)
		}
	}
}
