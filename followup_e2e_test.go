package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFollowUpTheRepliers is the follow-up flow through herald's commands, on the built-in sandbox with every
// delivered message answered by a question: send a campaign, then send a session message to the people who
// replied with --followup (the campaign's profile, its repliers as the recipients CSV, the 24-hour window open
// for each of them), then run the same command again: nobody is messaged twice.
func TestFollowUpTheRepliers(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_DATA_HOME", dir)
	cfg := filepath.Join(dir, "config.yaml")
	mustWrite(t, cfg, "profiles:\n  box:\n    provider: sandbox\n    callbacks: {delay: 10ms, read: 1, reply: 1}\n")
	csvPath := filepath.Join(dir, "spring.csv")
	mustWrite(t, csvPath, "first_name,phone,code,discount,expires\nOlivia,+44 7400 123593,C1,15%,30 April\n"+
		"Lukas,+49 151 23456926,C2,,30 April\nChloé,0033612345815,C3,20%,30 April\nNobody,12,C4,,30 April\n")
	state := filepath.Join(dir, "state.db")
	herald := func(args ...string) (int, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append(args, "--state", state)
		if args[0] != "campaigns" {
			args = append(args, "--config", cfg)
		}
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		return code, strings.Join(strings.Fields(stdout.String()+"\n"+stderr.String()), " ")
	}

	code, out := herald("send", "--yes", "--csv", csvPath, "--template", "templates/spring_sale.yaml", "--profile", "box",
		"--campaign", "spring")
	if code != 1 || !strings.Contains(out, "sent 3") {
		t.Fatalf("the campaign: exit %d (want 1: one invalid row)\n%s", code, out)
	}
	code, out = herald("campaigns")
	if code != 0 || !strings.Contains(out, "replied 3") {
		t.Fatalf("herald campaigns: exit %d\n%s", code, out)
	}

	followUp := []string{"send", "--yes", "--followup", "spring", "--template", "templates/price_list.yaml"}
	code, out = herald("preview", "--followup", "spring", "--template", "templates/price_list.yaml")
	for _, want := range []string{"Following up campaign spring: 3 people replied; the recipients are in " +
		filepath.Join(dir, "spring-repliers.csv"), "session message price_list (document)", "ready 3",
		"[document Spring prices.pdf: https://cdn.example.com/spring-prices.pdf]", "Hi Olivia, here is the price list"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Fatalf("preview: exit %d\n%s", code, out)
	}
	code, out = herald(followUp...)
	if code != 0 || !strings.Contains(out, "sent 3") || !strings.Contains(out, "Campaign spring-repliers-price_list") {
		t.Fatalf("the follow-up: exit %d\n%s", code, out)
	}
	results, err := os.ReadFile(filepath.Join(dir, "spring-repliers-price_list.results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(results), ",sent,"); n != 3 {
		t.Errorf("the follow-up's results CSV has %d sent rows, want 3:\n%s", n, results)
	}
	code, out = herald(followUp...)
	if code != 0 || !strings.Contains(out, "Nothing left to send") {
		t.Fatalf("the follow-up again: exit %d\n%s", code, out)
	}
}
