package sandbox_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/providers/sandbox"
)

// TestSessionMessagesCheckedAsDocumented posts session messages straight to each dialect: a well-formed one is
// accepted; one over WhatsApp's bounds or missing what the provider's document requires gets the provider's
// own refusal, and nothing is logged as sent.
func TestSessionMessagesCheckedAsDocumented(t *testing.T) {
	srv := sandbox.New(sandbox.Options{KeepLog: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	buttons := func(n int) string {
		var b []string
		for i := 0; i < n; i++ {
			b = append(b, `{"type":"reply","reply":{"id":"b`+strconv.Itoa(i)+`","title":"B`+strconv.Itoa(i)+`"}}`)
		}
		return `{"type":"button","body":{"text":"Pick"},"action":{"buttons":[` + strings.Join(b, ",") + `]}}`
	}
	rows := func(n int) string {
		var r []string
		for i := 0; i < n; i++ {
			r = append(r, `{"id":"r`+strconv.Itoa(i)+`","title":"Row `+strconv.Itoa(i)+`"}`)
		}
		return `{"type":"list","body":{"text":"Pick"},"action":{"button":"Open","sections":[{"title":"S","rows":[` +
			strings.Join(r, ",") + `]}]}}`
	}
	meta := func(typ, obj string) string {
		return `{"messaging_product":"whatsapp","recipient_type":"individual","to":"447911123456","type":"` + typ +
			`","` + typ + `":` + obj + `}`
	}
	itnio := func(typ, obj string) string {
		return `{"appId":"SANDBOXAPP","businessPhone":"15550001111","recipient":"447911123456","channelType":0,"type":"` +
			typ + `","` + typ + `":` + obj + `}`
	}
	engage := func(typ, obj string) string {
		return `{"to":["447911123456"],"body":{"type":"` + typ + `","` + typ + `":` + obj + `}}`
	}
	inno := func(typ, fields string) string {
		return `{"wabaId":"100000000000001","messageType":"` + typ + `","sendNumber":"15550001111","recipientNumber":"447911123456",` + fields + `}`
	}
	long := strings.Repeat("x", 4097)
	for _, tt := range []struct {
		name, dialect, body, want string
	}{
		{"meta text", "meta", meta("text", `{"body":"Hi"}`), `"messages"`},
		{"meta text too long", "meta", meta("text", `{"body":"`+long+`"}`), `"code":131009`},
		{"meta image without link", "meta", meta("image", `{"caption":"x"}`), `"code":131008`},
		{"meta image and text", "meta", strings.Replace(meta("image", `{"link":"https://a.example/x.jpg"}`), `"type"`,
			`"text":{"body":"x"},"type"`, 1), `"code":131009`},
		{"meta 3 buttons", "meta", meta("interactive", buttons(3)), `"messages"`},
		{"meta 4 buttons", "meta", meta("interactive", buttons(4)), `"code":131009`},
		{"meta 10 rows", "meta", meta("interactive", rows(10)), `"messages"`},
		{"meta 11 rows", "meta", meta("interactive", rows(11)), `"code":131009`},
		{"meta list with an image header", "meta", meta("interactive", strings.Replace(rows(2), `"body"`,
			`"header":{"type":"image","image":{"link":"https://a.example/x.jpg"}},"body"`, 1)), `"code":131009`},
		{"meta duplicate button titles", "meta", meta("interactive", strings.Replace(buttons(2), `"B1"`, `"B0"`, 1)), `"code":131009`},
		{"meta location out of range", "meta", meta("location", `{"latitude":"91","longitude":"0"}`), `"code":131009`},
		{"meta sticker", "meta", meta("sticker", `{"link":"https://a.example/x.webp"}`), `"code":100`},
		{"itniotech document", "itniotech", itnio("document", `{"link":"https://a.example/p.pdf","filename":"p.pdf"}`), `"status":"0"`},
		{"itniotech document without link", "itniotech", itnio("document", `{"filename":"p.pdf"}`), `"status":"-125"`},
		{"itniotech document without filename", "itniotech", itnio("document", `{"link":"https://a.example/p.pdf"}`), `"status":"-8"`},
		{"itniotech image with an ftp link", "itniotech", itnio("image", `{"link":"ftp://a.example/x.jpg"}`), `"status":"-133"`},
		{"itniotech location without address", "itniotech", itnio("location", `{"latitude":"1","longitude":"2","name":"n"}`), `"status":"-8"`},
		{"itniotech location without latitude", "itniotech", itnio("location", `{"longitude":"2"}`), `"status":"-129"`},
		{"itniotech unknown type", "itniotech", strings.Replace(itnio("text", `{"body":"x"}`), `"type":"text"`, `"type":"note"`, 1), `"status":"-132"`},
		{"itniotech video header", "itniotech", itnio("interactive", strings.Replace(buttons(1), `"body"`,
			`"header":{"type":"video","video":{"link":"https://a.example/v.mp4"}},"body"`, 1)), `"status":"-8"`},
		{"engagelab video", "engagelab", engage("video", `{"link":"https://a.example/v.mp4","caption":"c"}`), `"message_id"`},
		{"engagelab caption too long", "engagelab", engage("image", `{"link":"https://a.example/x.jpg","caption":"`+long[:1025]+`"}`), `"code":3002`},
		{"engagelab location", "engagelab", engage("location", `{"latitude":"1","longitude":"2"}`), `"code":3002`},
		{"innopaas text", "innopaas", inno("text", `"body":"Hi"`), `"messageIds"`},
		{"innopaas document without filename", "innopaas", inno("document", `"media":{"link":"https://a.example/p.pdf"}`), `"code":400`},
		{"innopaas buttons", "innopaas", inno("interactive", `"interactive":{"type":"button","header":{"type":"text","paramValue":"Sale"},"body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","title":"Yes","id":"y"}]}}`), `"messageIds"`},
		{"innopaas button title too long", "innopaas", inno("interactive", `"interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","title":"`+strings.Repeat("y", 21)+`","id":"y"}]}}`), `"code":400`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.Count(sandbox.Accept)
			status, body := postSession(t, hs.URL, tt.dialect, tt.body)
			if !strings.Contains(body, tt.want) {
				t.Fatalf("HTTP %d %s, want %s", status, body, tt.want)
			}
			accepted := srv.Count(sandbox.Accept) - before
			if ok := tt.want == `"messages"` || tt.want == `"status":"0"` || tt.want == `"message_id"` ||
				tt.want == `"messageIds"`; ok != (accepted == 1) {
				t.Fatalf("accepted %d requests for %s", accepted, body)
			}
		})
	}
}

// postSession posts a session message body to dialect's send path with the sandbox's credentials.
func postSession(t *testing.T, base, dialect, body string) (int, string) {
	t.Helper()
	path := map[string]string{"meta": "/v23.0/100000000000002/messages", "itniotech": "/wa/custom/sendMsg",
		"engagelab": "/v1/messages", "innopaas": "/api/whatsapp/v3/msg/submit"}[dialect]
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	switch dialect {
	case "meta":
		req.Header.Set("Authorization", "Bearer sandbox-access-token")
	case "itniotech":
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("Api-Key", "sandbox-api-key")
		req.Header.Set("Timestamp", ts)
		req.Header.Set("Sign", itnioSign("sandbox-api-key", "sandbox-api-secret", ts))
	case "engagelab":
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("sandbox-dev-key:sandbox-dev-secret")))
	case "innopaas":
		req.Header.Set("AppKey", "sandbox-app-key")
		req.Header.Set("Authorization", "sandbox-token")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(raw)
}
