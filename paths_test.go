package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"herald/providers/sandbox"
)

// TestOutputsNeverOverwriteInputs runs preview and send with --out and --state naming the input files (or each
// other) under every spelling a user might type: each is an input error (exit 2), no request leaves, and the
// files are left byte for byte as they were.
func TestOutputsNeverOverwriteInputs(t *testing.T) {
	srv := sandbox.New(sandbox.Options{KeepLog: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"in.csv":      "first_name,phone,code,discount,expires\nOlivia,+44 7400 123593,S1,15%,30 April\n",
		"tpl.yaml":    "name: spring_sale\nlanguage: en_US\nbody: \"Hello {{first_name}}, use {{code}} until {{expires}}.\"\n",
		"config.yaml": fmt.Sprintf("profiles:\n  sb:\n    provider: meta\n    base_url: %s\n    access_token: %q\n    phone_number_id: %q\n", hs.URL, sandbox.Credentials()["meta"].AccessToken.Reveal(), sandbox.Credentials()["meta"].PhoneNumberID),
		"state.db":    "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "in.csv"), filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	csvAbs := filepath.Join(dir, "in.csv")
	base := []string{"--csv", csvAbs, "--template", filepath.Join(dir, "tpl.yaml"), "--config",
		filepath.Join(dir, "config.yaml"), "--profile", "sb", "--yes"}
	cases := []struct {
		name  string
		extra []string
		want  string
	}{
		{"out is the CSV", []string{"--out", csvAbs, "--state", filepath.Join(dir, "s1.db")}, "--out"},
		{"out is the CSV, relative with ..", []string{"--out", "./../sub/../in.csv", "--state", filepath.Join(dir, "s2.db")}, "the recipients CSV"},
		{"out is a symlink to the CSV", []string{"--out", filepath.Join(dir, "link.csv"), "--state", filepath.Join(dir, "s3.db")}, "the recipients CSV"},
		{"out is the template", []string{"--out", "../tpl.yaml", "--state", filepath.Join(dir, "s4.db")}, "the template"},
		{"out is the config", []string{"--out", filepath.Join(dir, "config.yaml"), "--state", filepath.Join(dir, "s5.db")}, "the config file"},
		{"state is the CSV", []string{"--state", "../in.csv"}, "--state"},
		{"out is the state", []string{"--out", "../state.db", "--state", filepath.Join(dir, "state.db")}, "same file"},
		{"out is a folder", []string{"--out", sub, "--state", filepath.Join(dir, "s6.db")}, "is a folder"},
		{"out in a missing folder", []string{"--out", filepath.Join(dir, "nope", "r.csv"), "--state", filepath.Join(dir, "s7.db")}, "does not exist"},
		{"out under a file", []string{"--out", filepath.Join(dir, "in.csv", "r.csv"), "--state", filepath.Join(dir, "s8.db")}, "not a folder"},
	}
	for _, c := range cases {
		for _, cmd := range []string{"preview", "send"} {
			t.Run(c.name+"/"+cmd, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				args := append(append([]string{cmd}, base...), c.extra...)
				if cmd == "preview" {
					args = append([]string{cmd}, c.extra...)
					args = append(args, "--csv", csvAbs, "--template", filepath.Join(dir, "tpl.yaml"), "--config", filepath.Join(dir, "config.yaml"))
				}
				code := run(args, strings.NewReader(""), &stdout, &stderr)
				if code != 2 || !strings.Contains(stderr.String(), c.want) {
					t.Fatalf("exit %d, stderr %q; want 2 naming %q", code, stderr.String(), c.want)
				}
				for name, body := range files {
					got, err := os.ReadFile(filepath.Join(dir, name))
					if err != nil || string(got) != body {
						t.Fatalf("%s changed (%v): %q", name, err, got)
					}
				}
				if n := len(srv.Log()); n != 0 {
					t.Fatalf("%d requests left for an input error", n)
				}
			})
		}
	}
}
