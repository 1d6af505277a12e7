package open

import (
	"errors"
	"strings"
	"testing"

	"herald/providers"
)

// TestEachProviderCarriesWhatItsDocumentLists checks every capability table against the documents, written out
// here on their own: which header kinds each provider carries, which send typed parameters as such, how many
// recipients a request names, and which schedule.
func TestEachProviderCarriesWhatItsDocumentLists(t *testing.T) {
	all := []providers.ParamKind{providers.ParamText, providers.ParamImage, providers.ParamVideo,
		providers.ParamDocument, providers.ParamLocation}
	tests := []struct {
		provider  string
		refused   []providers.ParamKind
		typed     bool
		batch     int
		schedules bool
	}{
		{"itniotech", nil, true, 1, false},
		{"huawei", []providers.ParamKind{providers.ParamDocument}, false, 1, true},
		{"engagelab", []providers.ParamKind{providers.ParamLocation}, true, 1000, false},
		{"innopaas", []providers.ParamKind{providers.ParamLocation}, false, 1000, false},
		{"meta", nil, true, 1, false},
		{"sandbox", nil, true, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.provider, func(t *testing.T) {
			c, err := Capabilities(providers.Profile{Name: "p", Provider: tc.provider})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range all {
				refused := false
				for _, r := range tc.refused {
					refused = refused || r == k
				}
				if c.Carries(k) == refused {
					t.Errorf("Carries(%s) = %v, want %v", k, !refused, !refused)
				}
			}
			if c.SendsTyped(providers.ParamCurrency) != tc.typed || c.SendsTyped(providers.ParamDateTime) != tc.typed {
				t.Errorf("sends currency %v and date_time %v, want %v", c.SendsTyped(providers.ParamCurrency),
					c.SendsTyped(providers.ParamDateTime), tc.typed)
			}
			if c.BatchSize != tc.batch || c.Schedules != tc.schedules {
				t.Errorf("batch %d schedules %v, want %d %v", c.BatchSize, c.Schedules, tc.batch, tc.schedules)
			}
			if c.Provider == "" || c.Source == "" || len(c.SessionTypes) == 0 {
				t.Errorf("table %+v lacks a name, a source or session types", c)
			}
		})
	}
	if _, err := Capabilities(providers.Profile{Name: "x", Provider: "carrier-pigeon"}); err == nil {
		t.Error("an unknown provider has capabilities")
	}
}

// TestCheckNamesTheProviderTheFeatureAndTheAlternatives: a location header through EngageLab is refused with a
// sentence naming EngageLab, the feature, the fix and the providers that carry it; Huawei needs a payload for its
// quick replies and schedules.
func TestCheckNamesTheProviderTheFeatureAndTheAlternatives(t *testing.T) {
	err := Check(providers.Profile{Name: "el", Provider: "engagelab"}, providers.Needs{Header: providers.ParamLocation})
	var r *providers.Refusal
	if !errors.As(err, &r) {
		t.Fatalf("Check = %v, want a *providers.Refusal", err)
	}
	want := "EngageLab cannot carry a location header: EngageLab's Send Message API lists text, image, video and " +
		"document headers only - use an approved template whose header is text, image, video or document (or none), " +
		"or send through a profile whose provider can (Itniotech, Huawei CEC, Meta Cloud API)"
	if err.Error() != want {
		t.Errorf("refusal\n got %q\nwant %q", err, want)
	}
	if err := Check(providers.Profile{Provider: "huawei"}, providers.Needs{Header: providers.ParamDocument}); err == nil ||
		!strings.HasPrefix(err.Error(), "Huawei CEC cannot carry a document header") || !strings.Contains(err.Error(), "(Itniotech, EngageLab, InnoPaaS, Meta Cloud API)") {
		t.Errorf("Huawei document header: %v", err)
	}
	typed := providers.Needs{Header: providers.ParamText, TypedBody: []providers.ParamKind{providers.ParamCurrency}}
	for _, p := range []string{"itniotech", "huawei", "engagelab", "innopaas", "meta", "sandbox"} {
		if err := Check(providers.Profile{Provider: p}, typed); err != nil {
			t.Errorf("%s refuses a typed parameter (%v): a provider without them gets their text", p, err)
		}
	}
	hw, _ := Capabilities(providers.Profile{Provider: "huawei"})
	if qr, ok := hw.Button(providers.ButtonQuickReply); !ok || !qr.NeedsPayload {
		t.Errorf("Huawei's quick reply: %+v %v, want one that needs a payload", qr, ok)
	}
}
