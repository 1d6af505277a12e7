package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers/sandbox"
)

// TestTemplatesCommands walks the user's way through run(): create a template (refused without --yes when stdin
// is not a terminal, then with --yes), watch it go from PENDING to APPROVED, with a send refused while it is
// PENDING (exit 2, nothing sent) and going through once it is APPROVED; then list, a refusal from the
// provider, a provider without a template API, and usage mistakes.
func TestTemplatesCommands(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	srv := sandbox.New(sandbox.Options{KeepLog: true, TemplateReview: time.Hour,
		TemplateClock: func() time.Time { return time.Unix(0, clock.Load()) }})
	hs := httptest.NewServer(srv)
	defer hs.Close()

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	cfg := filepath.Join(dir, "config.yaml")
	mustWrite(t, cfg, fmt.Sprintf(`profiles:
  itnio:
    provider: itniotech
    base_url: %s
    app_id: SANDBOXAPP
    api_key: sandbox-api-key
    api_secret: sandbox-api-secret
    business_phone: "15550001111"
  cloud:
    provider: meta
    base_url: %s
    access_token: sandbox-access-token
    phone_number_id: "100000000000002"
`, hs.URL, hs.URL))
	csv := filepath.Join(dir, "r.csv")
	mustWrite(t, csv, "first_name,phone,code,discount,expires\nOlivia,+44 7400 123593,SPRING-OS21,15%,30 April\nLukas,+49 151 23456926,SPRING-LM07,,30 April\n")
	tpl := filepath.Join(dir, "spring_sale.yaml")
	sample, err := os.ReadFile("templates/spring_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, tpl, string(sample))
	state := filepath.Join(dir, "state.db")

	type result struct {
		code           int
		stdout, stderr string
	}
	herald := func(args ...string) result {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		return result{code, out.String(), errb.String()}
	}
	expect := func(r result, code int, words ...string) {
		t.Helper()
		all := r.stdout + r.stderr
		if r.code != code {
			t.Errorf("exit %d, want %d:\n%s", r.code, code, all)
		}
		for _, w := range words {
			if !strings.Contains(all, w) {
				t.Errorf("output lacks %q:\n%s", w, all)
			}
		}
	}
	send := []string{"send", "--yes", "--csv", csv, "--template", tpl, "--profile", "itnio", "--config", cfg, "--state", state}

	r := herald("templates", "create", tpl, "--csv", csv, "--profile", "itnio", "--config", cfg)
	expect(r, 2, `"templateName": "spring_sale"`, `"text": "Hi {{#}}"`, `"url": "https://shop.example/c/{{1}}"`,
		"row 2 of "+csv, "standard input is not a terminal", "add --yes")
	if strings.Contains(r.stdout+r.stderr, "sandbox-api-secret") || strings.Contains(r.stdout+r.stderr, "sandbox-api-key") {
		t.Errorf("create shows a secret:\n%s", r.stdout+r.stderr)
	}
	expect(herald("templates", "list", "--profile", "itnio", "--config", cfg), 0, "Itniotech has no templates for profile itnio yet")

	expect(herald("templates", "--profile", "itnio", "create", tpl, "--yes", "--csv", csv, "--config", cfg), 0,
		"Itniotech created template spring_sale (en_US): PENDING")
	expect(herald("templates", "status", "spring_sale", "--profile", "itnio", "--config", cfg), 1,
		"spring_sale  en_US     marketing  PENDING", "under review")
	expect(herald(send...), 2, "template spring_sale (en_US) is PENDING at Itniotech", "nothing was sent",
		"herald templates status spring_sale --language en_US --profile itnio")
	if n := srv.Count(sandbox.Accept) + srv.Count(sandbox.TemplateMissing); n != 0 {
		t.Fatalf("%d messages reached the provider while the template was PENDING", n)
	}

	clock.Add(int64(time.Hour))
	expect(herald("templates", "status", "spring_sale", "--language", "en_US", "--profile", "itnio", "--config", cfg), 0,
		"APPROVED", "approved: campaigns can be sent on it")
	expect(herald(send...), 0, "sent", "2")
	if n := srv.Count(sandbox.Accept); n != 2 {
		t.Errorf("%d messages accepted once APPROVED, want 2", n)
	}
	expect(herald("templates", "list", "--profile", "itnio", "--config", cfg), 0, "spring_sale  en_US     marketing  APPROVED")

	// The provider's refusal, as a sentence with the fix.
	again := herald("templates", "create", tpl, "--yes", "--csv", csv, "--profile", "itnio", "--config", cfg)
	expect(again, 2, "Itniotech already has a template with this name and language")
	bad := filepath.Join(dir, "bad.yaml")
	mustWrite(t, bad, "name: bad_language\nlanguage: xx_XX\nbody: Hello\n")
	expect(herald("templates", "create", bad, "--yes", "--profile", "itnio", "--config", cfg), 2,
		"Itniotech does not take templates in this language", "write language:")
	noExample := filepath.Join(dir, "no_example.yaml")
	mustWrite(t, noExample, "name: no_example\nlanguage: en_US\nbody: \"Hi {{first_name}}\"\n")
	expect(herald("templates", "create", noExample, "--yes", "--profile", "itnio", "--config", cfg), 2,
		"no_example.yaml line 3", "example: {first_name:", "--csv FILE")

	// Providers whose templates live in their console, and usage mistakes.
	expect(herald("templates", "list", "--profile", "cloud", "--config", cfg), 2, "WhatsApp Manager")
	expect(herald("templates", "status", "spring_sale", "--config", cfg), 2, "run herald sandbox and use the sandbox-itniotech profile")
	expect(herald("templates", "--config", cfg), 2, "say list, status NAME or create FILE")
	expect(herald("templates", "status", "--profile", "itnio", "--config", cfg), 2, "takes one argument, the template's name")
	expect(herald("templates", "remove", "x", "--config", cfg), 2, "say list, status NAME or create FILE")
	expect(herald("templates", "status", "autumn_sale", "--profile", "itnio", "--config", cfg), 0, "APPROVED")
}
