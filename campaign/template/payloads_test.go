package template

import (
	"reflect"
	"testing"

	"herald/providers"
)

// TestWithLabelPayloads renders quick replies for a provider that requires a payload on each: the one without a
// payload gets its label, in its place among the others, the URL button keeps its suffix, and the binding it
// came from still leaves that quick reply out.
func TestWithLabelPayloads(t *testing.T) {
	src := "name: a\nlanguage: en\nbody: Hi\nbuttons:\n  - quick_reply: Yes please\n    payload: \"YES-{{code}}\"\n" +
		"  - url: \"https://shop.example/c/{{code}}\"\n    text: Shop\n  - quick_reply: Stop promotions\n    opt_out: true\n"
	plain := bindSource(t, src, []string{"code"})
	labels := plain.WithLabelPayloads()
	got, p := labels.Render([]string{"C7"})
	if p != nil {
		t.Fatal(p)
	}
	want := []providers.ButtonParams{
		{Index: 0, Kind: providers.ButtonQuickReply, Params: []providers.Param{textParam("YES-C7")}},
		{Index: 1, Kind: providers.ButtonURL, Params: []providers.Param{textParam("C7")}},
		{Index: 2, Kind: providers.ButtonQuickReply, Params: []providers.Param{textParam("Stop promotions")}},
	}
	if !reflect.DeepEqual(got.Message.Buttons, want) {
		t.Errorf("buttons sent\n got %+v\nwant %+v", got.Message.Buttons, want)
	}
	if b := got.Buttons[2]; b.Payload != "Stop promotions" || !b.OptOut {
		t.Errorf("the preview's button %+v, want the label as its payload", b)
	}
	before, _ := plain.Render([]string{"C7"})
	if len(before.Message.Buttons) != 2 || before.Buttons[2].Payload != "" {
		t.Errorf("the original binding sends %+v and shows %+v: WithLabelPayloads changed it", before.Message.Buttons, before.Buttons[2])
	}
	if n := labels.WithLabelPayloads().labelPayloads; n != 1 {
		t.Errorf("applied twice: %d label payloads, want 1", n)
	}
}
