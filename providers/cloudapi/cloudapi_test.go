package cloudapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"herald/providers"
	"herald/providers/cloudapi"
)

func text(s string) providers.Param { return providers.Param{Kind: providers.ParamText, Text: s} }

// TestComponents checks the exact JSON of the components for every parameter and button kind.
func TestComponents(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"no parameters", providers.Message{Template: "hello_world"}, `null`},
		{"text header, body, URL button",
			providers.Message{Header: []providers.Param{text("Ada")}, Body: []providers.Param{text("Ada"), text("10%")},
				Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonURL, Params: []providers.Param{text("c/1")}}}},
			`[{"type":"header","parameters":[{"type":"text","text":"Ada"}]},` +
				`{"type":"body","parameters":[{"type":"text","text":"Ada"},{"type":"text","text":"10%"}]},` +
				`{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"c/1"}]}]`},
		{"image header", providers.Message{Header: []providers.Param{{Kind: providers.ParamImage, Text: "https://x/a.png"}}},
			`[{"type":"header","parameters":[{"type":"image","image":{"link":"https://x/a.png"}}]}]`},
		{"video header", providers.Message{Header: []providers.Param{{Kind: providers.ParamVideo, Text: "https://x/v.mp4"}}},
			`[{"type":"header","parameters":[{"type":"video","video":{"link":"https://x/v.mp4"}}]}]`},
		{"document header", providers.Message{Header: []providers.Param{{Kind: providers.ParamDocument, Text: "https://x/i.pdf", Filename: "i.pdf"}}},
			`[{"type":"header","parameters":[{"type":"document","document":{"link":"https://x/i.pdf","filename":"i.pdf"}}]}]`},
		{"location header", providers.Message{Header: []providers.Param{{Kind: providers.ParamLocation, Latitude: "51.5", Longitude: "-0.12", Name: "Shop", Address: "1 High St"}}},
			`[{"type":"header","parameters":[{"type":"location","location":{"latitude":"51.5","longitude":"-0.12","name":"Shop","address":"1 High St"}}]}]`},
		{"kind left empty is text", providers.Message{Body: []providers.Param{{Text: "a"}},
			Buttons: []providers.ButtonParams{{Index: 1, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Text: "STOP"}}}}},
			`[{"type":"body","parameters":[{"type":"text","text":"a"}]},` +
				`{"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"STOP"}]}]`},
		{"typed body parameters", providers.Message{Body: []providers.Param{text("Ada"),
			{Kind: providers.ParamCurrency, Text: "$12.50", CurrencyCode: "USD", Amount1000: 12500},
			{Kind: providers.ParamDateTime, Text: "30 April"}}},
			`[{"type":"body","parameters":[{"type":"text","text":"Ada"},` +
				`{"type":"currency","currency":{"fallback_value":"$12.50","code":"USD","amount_1000":12500}},` +
				`{"type":"date_time","date_time":{"fallback_value":"30 April"}}]}]`},
		{"button without parameters", providers.Message{Buttons: []providers.ButtonParams{{Index: 2, Kind: providers.ButtonURL}}},
			`[{"type":"button","sub_type":"url","index":"2","parameters":[]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps, err := cloudapi.Components(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(comps)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("components\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestComponentsShareOneBackingArray: appending to one component's parameters never overwrites the next's.
func TestComponentsShareOneBackingArray(t *testing.T) {
	comps, err := cloudapi.Components(providers.Message{Header: []providers.Param{text("h")}, Body: []providers.Param{text("b")}})
	if err != nil {
		t.Fatal(err)
	}
	_ = append(comps[0].Parameters, cloudapi.Parameter{Type: "text", Text: "x"})
	if comps[1].Parameters[0].Text != "b" {
		t.Fatalf("the body's parameter was overwritten: %+v", comps[1].Parameters)
	}
}

// TestComponentsRefuseWhatTheyCannotCarry: each error names the part, the parameter and its kind.
func TestComponentsRefuseWhatTheyCannotCarry(t *testing.T) {
	tests := []struct {
		name string
		msg  providers.Message
		want string
	}{
		{"audio header", providers.Message{Header: []providers.Param{{Kind: "audio", Text: "https://a"}}},
			`header parameter 1: kind "audio" is not a header parameter`},
		{"body image", providers.Message{Body: []providers.Param{text("a"), {Kind: providers.ParamImage, Text: "https://x"}}},
			`body parameter 2: kind "image" is not allowed here`},
		{"phone button", providers.Message{Buttons: []providers.ButtonParams{{Index: 3, Kind: "phone_number"}}},
			`button 3 has kind "phone_number"`},
		{"URL button with a location", providers.Message{Buttons: []providers.ButtonParams{{Index: 1, Kind: providers.ButtonURL,
			Params: []providers.Param{{Kind: providers.ParamLocation}}}}}, `button 1 parameter 1: kind "location" is not allowed here`},
		{"quick reply with an image", providers.Message{Buttons: []providers.ButtonParams{{Index: 0, Kind: providers.ButtonQuickReply,
			Params: []providers.Param{{Kind: providers.ParamImage}}}}}, `button 0 parameter 1: kind "image" is not a quick reply payload`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps, err := cloudapi.Components(tt.msg)
			if err == nil || comps != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("components %v, err %v; want no components and an error naming %q", comps, err, tt.want)
			}
		})
	}
}

// TestTemplateLanguage: the language object is left out only when it is zero (Itniotech without a code); Meta's
// policy keeps it.
func TestTemplateLanguage(t *testing.T) {
	tests := []struct {
		lang cloudapi.Language
		want string
	}{
		{cloudapi.Language{}, `{"name":"t"}`},
		{cloudapi.Language{Code: "en_US"}, `{"name":"t","language":{"code":"en_US"}}`},
		{cloudapi.Language{Policy: "deterministic"}, `{"name":"t","language":{"policy":"deterministic","code":""}}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(cloudapi.Template{Name: "t", Language: tt.lang})
		if err != nil || string(got) != tt.want {
			t.Errorf("template with %+v = %s (%v), want %s", tt.lang, got, err, tt.want)
		}
	}
}
