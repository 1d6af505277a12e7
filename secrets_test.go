package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"herald/providers"
	"herald/providers/sandbox"
)

// TestSecretsNeverLeak runs every command with distinctive secrets in the config file and the environment,
// through every provider's adapter (accepted and refused), and searches stdout, stderr, the results CSVs and the
// state store's files for them.
func TestSecretsNeverLeak(t *testing.T) {
	secrets := map[string]string{
		"itniotech.api_key": "ITN-KEY-5e1c7a", "itniotech.api_secret": "ITN-SECRET-9b2d4f",
		"huawei.app_key": "HW-KEY-3f8a21", "huawei.app_secret": "HW-SECRET-7c6e09",
		"engagelab.dev_key": "EL-KEY-2a9f4b", "engagelab.dev_secret": "EL-SECRET-8d1c3e",
		"innopaas.app_key": "IP-KEY-6b0e5d", "innopaas.token": "IP-TOKEN-4c7a1f",
		"meta.access_token": "META-TOKEN-1e8b6c", "meta.webhook_secret": "META-WHSEC-5a3e9d",
		"meta.verify_token": "META-VERIFY-0c4f2b", "engagelab.webhook_token": "EL-WHTOKEN-9e7a13",
	}
	creds := map[string]sandbox.Account{
		"itniotech": {Provider: "itniotech", AppID: "APP1", APIKey: providers.Secret(secrets["itniotech.api_key"]),
			APISecret: providers.Secret(secrets["itniotech.api_secret"]), BusinessPhone: "15550001111"},
		"huawei": {Provider: "huawei", AppKey: providers.Secret(secrets["huawei.app_key"]), AppSecret: providers.Secret(secrets["huawei.app_secret"])},
		"engagelab": {Provider: "engagelab", DevKey: providers.Secret(secrets["engagelab.dev_key"]),
			DevSecret: providers.Secret(secrets["engagelab.dev_secret"]), From: "15550001111"},
		"innopaas": {Provider: "innopaas", AppKey: providers.Secret(secrets["innopaas.app_key"]),
			Token: providers.Secret(secrets["innopaas.token"]), WabaID: "100000000000001", SendNumber: "15550001111"},
		"meta": {Provider: "meta", AccessToken: providers.Secret(secrets["meta.access_token"]), PhoneNumberID: "100000000000002"},
	}
	srv := sandbox.New(sandbox.Options{Credentials: creds})
	hs := httptest.NewServer(srv)
	defer hs.Close()

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	// Half the secrets come from the environment, half are written in the file.
	t.Setenv("HERALD_T_META", secrets["meta.access_token"])
	t.Setenv("HERALD_T_ITN", secrets["itniotech.api_secret"])
	t.Setenv("HERALD_T_HW", secrets["huawei.app_secret"])
	var cfg strings.Builder
	cfg.WriteString("profiles:\n")
	fmt.Fprintf(&cfg, "  itniotech:\n    provider: itniotech\n    base_url: %s\n    app_id: APP1\n    api_key: %s\n    api_secret: ${HERALD_T_ITN}\n    business_phone: \"15550001111\"\n", hs.URL, secrets["itniotech.api_key"])
	fmt.Fprintf(&cfg, "  huawei:\n    provider: huawei\n    base_url: %s\n    app_key: %s\n    app_secret: ${HERALD_T_HW}\n", hs.URL, secrets["huawei.app_key"])
	fmt.Fprintf(&cfg, "  engagelab:\n    provider: engagelab\n    base_url: %s\n    dev_key: %s\n    dev_secret: %s\n    from: \"15550001111\"\n    webhook_token: %s\n", hs.URL, secrets["engagelab.dev_key"], secrets["engagelab.dev_secret"], secrets["engagelab.webhook_token"])
	fmt.Fprintf(&cfg, "  innopaas:\n    provider: innopaas\n    base_url: %s\n    app_key: %s\n    token: %s\n    waba_id: \"100000000000001\"\n    send_number: \"15550001111\"\n", hs.URL, secrets["innopaas.app_key"], secrets["innopaas.token"])
	fmt.Fprintf(&cfg, "  meta:\n    provider: meta\n    base_url: %s\n    access_token: ${HERALD_T_META}\n    phone_number_id: \"100000000000002\"\n    webhook_secret: %s\n    verify_token: %s\n", hs.URL, secrets["meta.webhook_secret"], secrets["meta.verify_token"])
	// Refused variants: right fields, wrong secrets that embed the real ones.
	fmt.Fprintf(&cfg, "  meta-wrong:\n    provider: meta\n    base_url: %s\n    access_token: x${HERALD_T_META}\n    phone_number_id: \"100000000000002\"\n", hs.URL)
	fmt.Fprintf(&cfg, "  engagelab-wrong:\n    provider: engagelab\n    base_url: %s\n    dev_key: %s\n    dev_secret: y%s\n    from: \"15550001111\"\n", hs.URL, secrets["engagelab.dev_key"], secrets["engagelab.dev_secret"])
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil { // readable by others: a warning is due
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "r.csv")
	mustWrite(t, csvPath, "first_name,phone,code,discount,expires\nOlivia,+44 7400 123593,SPRING-1,15%,30 April\nLukas,+49 151 23456926,SPRING-2,,30 April\n")
	tpl, err := os.ReadFile("templates/spring_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tplPath := filepath.Join(dir, "t.yaml")
	mustWrite(t, tplPath, string(tpl))
	state := filepath.Join(dir, "state.db")

	var output bytes.Buffer
	runCmd := func(args ...string) int {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		output.Write(out.Bytes())
		output.Write(errb.Bytes())
		return code
	}
	common := []string{"--csv", csvPath, "--template", tplPath, "--config", cfgPath, "--state", state}
	if code := runCmd(append([]string{"preview"}, common...)...); code != 0 {
		t.Fatalf("preview exit %d:\n%s", code, output.String())
	}
	for _, p := range []string{"itniotech", "huawei", "engagelab", "innopaas", "meta"} {
		// --listen serves every profile's callback URL during the run, and prints them.
		args := append([]string{"send", "--yes", "--profile", p, "--campaign", "c-" + p, "--listen", "127.0.0.1:0"}, common...)
		if code := runCmd(args...); code != 0 {
			t.Fatalf("send via %s: exit %d:\n%s", p, code, output.String())
		}
	}
	for _, p := range []string{"meta-wrong", "engagelab-wrong"} {
		args := append([]string{"send", "--yes", "--profile", p, "--campaign", "c-" + p}, common...)
		if code := runCmd(args...); code != 3 {
			t.Fatalf("send via %s with a wrong secret: exit %d, want 3 (fatal):\n%s", p, code, output.String())
		}
	}
	runCmd("campaigns", "--state", state)
	runCmd("optouts", "list", "--state", state)
	runCmd("receipts", "import", filepath.Join(dir, "no-such-report.csv"), "--profile", "meta", "--config", cfgPath, "--state", state)
	runCmd("export", "--state", state, "--campaign", "c-meta", "--out", filepath.Join(dir, "export.csv"))
	if !strings.Contains(output.String(), "can be read by other users") {
		t.Errorf("no permission warning for a config file holding secrets with mode 0644:\n%s", output.String())
	}

	// Everything herald wrote: its output, every results CSV, the state store with its WAL.
	haystacks := map[string][]byte{"stdout+stderr": output.Bytes()}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if f == cfgPath {
			continue
		}
		if b, err := os.ReadFile(f); err == nil {
			haystacks[filepath.Base(f)] = b
		}
	}
	if len(haystacks) < 5 {
		t.Fatalf("expected results CSVs and the store among %v", files)
	}
	for name, hay := range haystacks {
		for field, secret := range secrets {
			if bytes.Contains(hay, []byte(secret)) {
				t.Errorf("%s holds the secret %s", name, field)
			}
		}
	}
}
