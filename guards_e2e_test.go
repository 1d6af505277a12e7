package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// windowAroundLondon is a send window of three hours around the hour it is now in London: open for London
// numbers, closed for Tokyo (8 or 9 hours ahead), whatever the time of day the test runs.
func windowAroundLondon(t *testing.T) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	h := time.Now().In(loc).Hour()
	return fmt.Sprintf("%02d:00-%02d:00", (h+23)%24, (h+2)%24)
}

// worldCSV writes a recipients CSV of n London and m Tokyo numbers and returns its path.
func worldCSV(t *testing.T, dir string, n, m int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "L%d,+4474001%05d,C%d\n", i, i, i)
	}
	for i := 0; i < m; i++ {
		fmt.Fprintf(&b, "T%d,+8190123%05d,C%d\n", i, i, i)
	}
	path := filepath.Join(dir, "world.csv")
	mustWrite(t, path, b.String())
	return path
}

// TestPreviewGuards runs herald preview with a send window and a price table: the Tokyo rows are deferred,
// the summary says when rows go and what they cost, by hand: 3 GB messages at 0.0450 USD = 0.135 -> 0.14 USD.
func TestPreviewGuards(t *testing.T) {
	dir := t.TempDir()
	csvPath := worldCSV(t, dir, 3, 2)
	mustWrite(t, filepath.Join(dir, "t.yaml"), "name: world\nlanguage: en_US\ncategory: marketing\nbody: \"Hi {{first_name}}, {{code}}\"\n")
	mustWrite(t, filepath.Join(dir, "prices.csv"), "country,category,price,currency\nGB,marketing,0.0450,USD\nGB,utility,0.01,USD\n")
	t.Setenv("XDG_CONFIG_HOME", dir)
	var stdout, stderr bytes.Buffer
	code := run([]string{"preview", "--csv", csvPath, "--template", filepath.Join(dir, "t.yaml"),
		"--send-window", windowAroundLondon(t), "--prices", filepath.Join(dir, "prices.csv"),
		"--state", filepath.Join(dir, "state.db"), "--out", filepath.Join(dir, "out.csv")}, strings.NewReader(""), &stdout, &stderr)
	out := strings.Join(strings.Fields(stdout.String()), " ")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, out, stderr.String())
	}
	for _, want := range []string{"ready 3", "deferred 2", "When: 3 now, 2 ",
		"estimated cost: 0.14 USD (5 marketing messages); no marketing price in " + filepath.Join(dir, "prices.csv") + " for JP (2 rows)",
		"To send the 5 rows"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, stdout.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "state.db")); err == nil {
		t.Error("preview created the state store")
	}
}

// TestDeferredRowsSurviveKill SIGKILLs `herald send` while its Tokyo rows wait for their window, runs the same
// command again and stops it with Ctrl-C: the deferred rows kept their status and time through the kill, the
// resumed run waits for them again and exits 3, and no number was messaged twice.
func TestDeferredRowsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary: skipped with -short")
	}
	bin := buildHerald(t)
	dir := t.TempDir()
	logPath := filepath.Join(dir, "requests.jsonl")
	base, stopSandbox := startSandbox(t, bin, logPath)
	csvPath := worldCSV(t, dir, 20, 5)
	mustWrite(t, filepath.Join(dir, "t.yaml"), "name: world\nlanguage: en_US\nbody: \"Hi {{first_name}}, {{code}}\"\n")
	mustWrite(t, filepath.Join(dir, "config.yaml"), fmt.Sprintf("profiles:\n  sb:\n    provider: meta\n    base_url: %s\n"+
		"    access_token: sandbox-access-token\n    phone_number_id: \"100000000000002\"\n", base))
	state := filepath.Join(dir, "state.db")
	args := []string{"send", "--yes", "--csv", csvPath, "--template", filepath.Join(dir, "t.yaml"), "--config",
		filepath.Join(dir, "config.yaml"), "--profile", "sb", "--state", state, "--rate", "1000",
		"--send-window", windowAroundLondon(t)}

	// First run: the 20 London rows go, the 5 Tokyo rows wait; the process is killed while they wait.
	first := exec.Command(bin, args...)
	lines := stderrLines(t, first)
	waitForLine(t, lines, "sent 20 ", "5 rows wait for their time")
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	out, err := exec.Command(bin, "export", "--campaign", "world-world", "--state", state, "--out",
		filepath.Join(dir, "after-kill.csv")).CombinedOutput()
	if err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	statuses := readResults(t, filepath.Join(dir, "after-kill.csv"))
	sent, deferred := 0, 0
	for num, st := range statuses {
		switch {
		case st == "sent" && strings.HasPrefix(num, "44"):
			sent++
		case st == "deferred" && strings.HasPrefix(num, "81"):
			deferred++
		default:
			t.Errorf("after the kill: +%s is %s", num, st)
		}
	}
	if sent != 20 || deferred != 5 {
		t.Fatalf("after the kill: %d sent, %d deferred; want 20 and 5", sent, deferred)
	}

	// Second run, same command: it resumes, waits for the same rows, and Ctrl-C stops it with exit 3.
	second := exec.Command(bin, args...)
	var stdout bytes.Buffer
	second.Stdout = &stdout
	lines = stderrLines(t, second)
	waitForLine(t, lines, "Resuming campaign world-world")
	waitForLine(t, lines, "When: 5 ")
	waitForLine(t, lines, "5 rows wait for their time")
	if err := second.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = second.Wait()
	if code := second.ProcessState.ExitCode(); code != 3 || !strings.Contains(stdout.String(), "run the same command again") {
		t.Fatalf("resumed run: exit %d, want 3:\n%s", code, stdout.String())
	}
	stopSandbox()

	messaged := map[string]int{}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(log), []byte("\n")) {
		var e logEntry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if e.Action == "sent" {
			messaged[e.To]++
		}
	}
	for num, n := range messaged {
		if n != 1 || !strings.HasPrefix(num, "44") {
			t.Errorf("+%s was messaged %d times", num, n)
		}
	}
	if len(messaged) != 20 {
		t.Errorf("%d numbers messaged, want the 20 London ones", len(messaged))
	}
}

// stderrLines starts cmd and delivers its stderr line by line.
func stderrLines(t *testing.T, cmd *exec.Cmd) <-chan string {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// waitForLine reads lines until one contains every part; the timeout only fails a run that never gets there.
func waitForLine(t *testing.T, lines <-chan string, parts ...string) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	var seen []string
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the output ended before a line with %q:\n%s", parts, strings.Join(seen, "\n"))
			}
			seen = append(seen, line)
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return
			}
		case <-timeout:
			t.Fatalf("no line with %q:\n%s", parts, strings.Join(seen, "\n"))
		}
	}
}
