package campaign_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"herald/campaign"
	"herald/providers/sandbox"
)

// bodyLog keeps the message request bodies a sandbox got: those naming a recipient of the rig (tokens and
// template queries left out).
type bodyLog struct {
	mu   sync.Mutex
	sent []string
}

// wrap is the rig's middleware: it copies each body before the sandbox reads it.
func (b *bodyLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte("447400")) {
			b.mu.Lock()
			b.sent = append(b.sent, string(body))
			b.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// quickReplyTemplate has a quick reply with a payload from a column, a dynamic link, and a quick reply marked
// opt_out without a payload.
const quickReplyTemplate = `name: engine_test
language: en_US
body: "Hello {{first_name}}, your code is {{code}}."
buttons:
  - quick_reply: "Yes please"
    payload: "YES-{{code}}"
  - url: "https://shop.example/c/{{code}}"
    text: "Shop"
  - quick_reply: "Stop promotions"
    opt_out: true
`

// TestQuickReplyPayloadsPerProvider sends a template with quick replies through each provider's dialect of the
// sandbox, as a campaign: Meta and Itniotech get the given payload as a payload parameter and nothing for the
// quick reply without one; Huawei gets a quickReplyPayload for both, the button's text for the second, and the
// preview shows it; EngageLab and InnoPaaS, whose documents have no quick-reply parameter, refuse the template
// at preview, and send the same template without the payload.
func TestQuickReplyPayloadsPerProvider(t *testing.T) {
	tests := []struct {
		dialect string
		want    []string // in the request body
		wantNot []string
		preview string // a line of the preview
		refused bool
	}{
		{dialect: "meta", want: []string{`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"YES-C0"}]}`,
			`"sub_type":"url","index":"1"`}, wantNot: []string{`"index":"2"`, "Stop promotions"}, preview: "[ Stop promotions ]\n"},
		{dialect: "itniotech", want: []string{`{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"YES-C0"}]}`},
			wantNot: []string{`"index":"2"`, "Stop promotions"}, preview: "[ Yes please ] (payload YES-C0)\n"},
		{dialect: "huawei", want: []string{`"buttons":[{"quickReplyPayload":"YES-C0"},{"urlPlaceholder":"C0"},{"quickReplyPayload":"Stop promotions"}]`},
			preview: "[ Stop promotions ] (payload Stop promotions)\n"},
		{dialect: "engagelab", refused: true},
		{dialect: "innopaas", refused: true},
	}
	for _, tc := range tests {
		t.Run(tc.dialect, func(t *testing.T) {
			var log bodyLog
			r := newRigWith(t, 1, sandbox.Options{}, log.wrap)
			r.plan.Profile = r.srv.Profile(tc.dialect, r.url)
			r.plan.TemplatePath = filepath.Join(r.dir, "quick.yaml")
			writeFile(t, r.plan.TemplatePath, quickReplyTemplate)
			if tc.refused {
				_, err := campaign.Open(r.plan)
				if err == nil || campaign.ExitFor(err) != campaign.ExitInput ||
					!strings.Contains(err.Error(), "cannot carry a quick_reply button with a parameter") {
					t.Fatalf("Open: %v, want an input error naming the quick reply's parameter", err)
				}
				writeFile(t, r.plan.TemplatePath, strings.Replace(quickReplyTemplate, "    payload: \"YES-{{code}}\"\n", "", 1))
				tc.wantNot = []string{"YES-C0", "Yes please", "Stop promotions", "payload"}
				tc.preview = "[ Yes please ]\n"
			}
			in, err := campaign.Open(r.plan)
			if err != nil {
				t.Fatal(err)
			}
			res, err := campaign.Preview(context.Background(), in, 1, nil)
			in.Close()
			if err != nil || len(res.Samples) != 1 {
				t.Fatalf("preview: %v, %d samples", err, len(res.Samples))
			}
			if text := campaign.RenderText(res.Samples[0].Rendered); !strings.Contains(text, tc.preview) {
				t.Errorf("preview\n%s\nlacks %q", text, tc.preview)
			}
			if snap, _ := r.send(r.plan, fastOpts()); snap.Sent != 1 {
				t.Fatalf("sent %d: %+v", snap.Sent, snap.Failures)
			}
			if len(log.sent) != 1 {
				t.Fatalf("%d requests, want 1", len(log.sent))
			}
			for _, s := range tc.want {
				if !strings.Contains(log.sent[0], s) {
					t.Errorf("the request lacks %s:\n%s", s, log.sent[0])
				}
			}
			for _, s := range tc.wantNot {
				if strings.Contains(log.sent[0], s) {
					t.Errorf("the request has %s:\n%s", s, log.sent[0])
				}
			}
		})
	}
}
