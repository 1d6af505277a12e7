package campaign

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
)

// TestLabelPayloadsFollowTheCapabilityTable checks which providers get each quick reply's label as its payload
// (those whose table says a quick reply needs one: Huawei CEC), and that the campaign's opt-out buttons then
// match a tap reported with that payload alone.
func TestLabelPayloadsFollowTheCapabilityTable(t *testing.T) {
	for provider, want := range map[string]bool{"huawei": true, "meta": false, "itniotech": false, "engagelab": false,
		"innopaas": false, "sandbox": false, "": false, "carrier-pigeon": false} {
		if got := labelPayloads(providers.Profile{Name: "p", Provider: provider}); got != want {
			t.Errorf("labelPayloads(%q) = %v, want %v", provider, got, want)
		}
	}
	path := filepath.Join(t.TempDir(), "t.yaml")
	src := "name: a\nlanguage: en\nbody: Hi\nbuttons:\n  - quick_reply: Stop promotions\n    opt_out: true\n" +
		"  - quick_reply: No more\n    payload: NO_MORE\n    opt_out: true\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	plain := []store.OptOutButton{{Label: "Stop promotions"}, {Label: "No more", Payload: "NO_MORE"}}
	if got := optOutButtons(tpl, false); !reflect.DeepEqual(got, plain) {
		t.Errorf("without labels: %+v", got)
	}
	labels := []store.OptOutButton{{Label: "Stop promotions", Payload: "Stop promotions"}, {Label: "No more", Payload: "NO_MORE"}}
	if got := optOutButtons(tpl, true); !reflect.DeepEqual(got, labels) {
		t.Errorf("with labels: %+v", got)
	}
}
