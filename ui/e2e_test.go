package ui

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// e2eTimeout bounds each wait for the terminal to show something.
const e2eTimeout = 30 * time.Second

// tmuxSession is herald running in a detached tmux session on a private server.
type tmuxSession struct {
	t      *testing.T
	socket string
}

// tmux runs a tmux command on the session's server.
func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is the terminal's text now.
func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", "herald") }

// keys sends keys one at a time, as a person types them.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", "herald", k)
	}
}

// waitFor polls the screen until it shows text, and returns it.
func (s *tmuxSession) waitFor(text string) string {
	s.t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		screen := s.screen()
		if strings.Contains(screen, text) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", text, screen)
		}
		time.Sleep(50 * time.Millisecond) // polling interval, not synchronisation: the loop waits on the screen
	}
}

// startTmux builds herald and runs it with args in a detached tmux session of width x height in dir, with its
// own state and config folders; the session ends with the test.
func startTmux(t *testing.T, dir string, width, height int, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("HERALD_REQUIRE_TMUX") != "" { // CI sets it: there, a missing tmux is a failure
			t.Fatal("tmux is not installed and HERALD_REQUIRE_TMUX is set: the end-to-end terminal test cannot run")
		}
		t.Skip("tmux is not installed: the end-to-end terminal test needs it (apt-get install tmux)")
	}
	bin := filepath.Join(t.TempDir(), "herald")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("herald-e2e-%d-%s", os.Getpid(), t.Name())}
	cmd := fmt.Sprintf("env XDG_DATA_HOME=%q XDG_CONFIG_HOME=%q TERM=xterm-256color %q %s; echo herald exited $?; sleep 60",
		filepath.Join(dir, "data"), filepath.Join(dir, "config"), bin, strings.Join(args, " "))
	s.tmux("new-session", "-d", "-s", "herald", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "-c", dir, cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

// TestEndToEndUKExport is a new user's walk at 80x24 without leaving the TUI: herald opens on the sample, the
// user chooses a UK export whose numbers are half written the national way (07400 100000), sets the region
// the setup offers (GB), names the campaign, previews, confirms and sends it to the end.
func TestEndToEndUKExport(t *testing.T) {
	dir := sampleDir(t)
	writeUKExport(t, filepath.Join(dir, "uk_export.csv"), 20)
	s := startTmux(t, dir, 80, 24)
	s.waitFor("26 rows: ready 22")
	s.keys("c")
	s.waitFor("uk_export.csv")
	s.keys("G", "Enter")
	s.waitFor("10 numbers have no country code")
	s.keys("j", "j", "j", "j", "c")
	s.waitFor("[GB")
	s.keys("Enter")
	s.waitFor("20 rows: ready 20")
	s.keys("j", "c", "C-u")
	s.tmux("send-keys", "-t", "herald", "-l", "uk-april")
	s.keys("Enter")
	s.waitFor("uk-april · new campaign")
	s.keys("Enter")
	s.waitFor("Hello Name0, our spring sale is on!")
	s.keys("s")
	s.waitFor("Send 20 messages with spring_sale via sandbox")
	s.keys("2", "0", "Enter")
	summary := s.waitFor("Every ready row was sent.")
	if want := "Campaign uk-april finished in"; !strings.Contains(summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
	s.keys("q")
	if end := s.waitFor("herald exited"); !strings.Contains(end, "herald exited 0") {
		t.Errorf("herald did not exit with 0:\n%s", end)
	}
	data, err := os.ReadFile(filepath.Join(dir, "uk-april.results.csv"))
	if err != nil {
		t.Fatalf("no results CSV: %v", err)
	}
	if n := strings.Count(string(data), ",sent,"); n != 20 {
		t.Errorf("results CSV has %d sent rows, want 20:\n%s", n, data)
	}
}

// TestEndToEnd builds herald, runs it in tmux at 100x30 on copies of the sample files, and sends the sample
// campaign on the built-in sandbox: open, preview, confirm by typing the number, run to the end, read the
// summary, then checks the results CSV.
func TestEndToEnd(t *testing.T) {
	dir := sampleDir(t)
	s := startTmux(t, dir, 100, 30)

	s.waitFor("26 rows: ready 22 · invalid 3 · duplicate 1")
	s.keys("Enter")
	s.waitFor("Hello Olivia, our spring sale is on!")
	s.keys("s")
	s.waitFor("Send 22 messages with spring_sale via sandbox at 20/s")
	s.keys("2", "2", "Enter")
	summary := s.waitFor("Every ready row was sent.")
	for _, want := range []string{"Campaign sample-spring_sale finished in", "sent 22 · failed 0 · unknown 0",
		"Results CSV " + filepath.Join(dir, "sample-spring_sale.results.csv")} {
		if !strings.Contains(flat(summary), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	s.keys("q")
	// Exit code 1: every ready row was sent, but the sample has invalid rows (SPEC.md "Exit codes").
	if end := s.waitFor("herald exited"); !strings.Contains(end, "herald exited 1") {
		t.Errorf("herald did not exit with 1:\n%s", end)
	}

	f, err := os.Open(filepath.Join(dir, "sample-spring_sale.results.csv"))
	if err != nil {
		t.Fatalf("no results CSV: %v", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("results CSV: %v", err)
	}
	status := map[string]int{}
	col := -1
	for i, h := range records[0] {
		if h == "result_status" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("results CSV has no result_status column: %q", records[0])
	}
	for _, r := range records[1:] {
		status[r[col]]++
	}
	if status["sent"] != 22 || status["invalid"] != 3 || status["duplicate"] != 1 {
		t.Errorf("results CSV statuses %v, want sent 22, invalid 3, duplicate 1", status)
	}
}
