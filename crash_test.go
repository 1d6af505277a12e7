package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/campaign/store"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildHerald builds the binary once per test into a temp dir.
func buildHerald(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "herald")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startSandbox runs `herald sandbox` on a free loopback port with a request log and returns its base_url and a
// stop function that ends it gracefully (flushing the log).
func startSandbox(t *testing.T, bin, logPath string, extra ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sandbox", "--addr", "127.0.0.1:0", "--log", logPath}, extra...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	base := ""
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "base_url:") {
			base = strings.TrimSpace(strings.TrimPrefix(line, "base_url:"))
			break
		}
	}
	if base == "" {
		_ = cmd.Process.Kill()
		t.Fatal("herald sandbox printed no base_url")
	}
	go func() {
		for sc.Scan() { // keep the pipe drained
		}
	}()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	}
	t.Cleanup(stop)
	return base, stop
}

type logEntry struct {
	To     string `json:"to"`
	Action string `json:"action"`
}

// TestCrashResumeExactlyOnce SIGKILLs `herald send` at random points of a campaign (the first kill may land
// while the CSV is still being checked), reruns it to the end, and checks through the sandbox's request log that
// every number was messaged exactly once, except rows reported unknown (in flight at a kill), which were
// messaged at most once: 10 kills of 20,000 rows at 500 msgs/s (each worker marks its own row), and 6 kills of
// 40,000 rows at an unlimited rate (the feeder marks rows ahead in blocks).
func TestCrashResumeExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary: skipped with -short")
	}
	bin := buildHerald(t)
	t.Run("rate=500", func(t *testing.T) { crashResume(t, bin, "500", 500, 20000, 10) })
	t.Run("rate=unlimited", func(t *testing.T) { crashResume(t, bin, "unlimited", math.Inf(1), 40000, 6) })
}

// crashResume is TestCrashResumeExactlyOnce for one rate (flag is --rate's text), rows and kills.
func crashResume(t *testing.T, bin, flag string, rate float64, rows, kills int) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "requests.jsonl")
	base, stopSandbox := startSandbox(t, bin, logPath, "--latency", "5ms", "--jitter", "10ms")

	const conc = 16
	// The rows in flight at a time: a request at each worker, and the rows marked ahead (campaign/engine/ahead.go).
	mostInFlight := engine.MostInFlight(rate, conc)
	var csvb strings.Builder
	csvb.WriteString("first_name,phone,code\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&csvb, "N%d,+447400%06d,C%d\n", i, 200000+i, i)
	}
	mustWrite(t, filepath.Join(dir, "r.csv"), csvb.String())
	mustWrite(t, filepath.Join(dir, "t.yaml"), "name: crash\nlanguage: en_US\nbody: \"Hi {{first_name}}, {{code}}\"\n")
	mustWrite(t, filepath.Join(dir, "config.yaml"), fmt.Sprintf(`profiles:
  sb:
    provider: meta
    base_url: %s
    access_token: sandbox-access-token
    phone_number_id: "100000000000002"
`, base))
	args := []string{"send", "--yes", "--csv", filepath.Join(dir, "r.csv"), "--template", filepath.Join(dir, "t.yaml"),
		"--config", filepath.Join(dir, "config.yaml"), "--profile", "sb", "--state", filepath.Join(dir, "state.db"),
		"--rate", flag, "--concurrency", fmt.Sprint(conc)}

	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("HERALD_CRASH_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("HERALD_CRASH_SEED=%q: %v", v, err)
		}
	}
	t.Logf("kill points from seed %d: HERALD_CRASH_SEED=%d replays them", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for k := 0; k < kills; k++ {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A random kill point, not a synchronisation: the run is killed wherever it happens to be.
		time.Sleep(time.Duration(300+rng.IntN(2700)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		// The rows left in flight by this kill become unknown at the next start: never more than can be in flight.
		if n := inFlightAfterKill(t, filepath.Join(dir, "state.db"), "r-crash"); n > mostInFlight {
			t.Errorf("kill %d left %d rows in flight, more than the %d that --concurrency %d and --rate %s allow",
				k+1, n, mostInFlight, conc, flag)
		}
	}
	final := exec.Command(bin, args...)
	final.Dir = dir
	out, err := final.CombinedOutput()
	if code := final.ProcessState.ExitCode(); code != 0 && code != 1 {
		t.Fatalf("final run exit %d (%v):\n%s", code, err, out)
	}
	stopSandbox()

	accepted := map[string]int{}
	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e logEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if e.Action == "sent" {
			accepted[e.To]++
		}
	}
	status := readResults(t, filepath.Join(dir, "r-crash.results.csv"))
	if len(status) != rows {
		t.Fatalf("results CSV has %d rows, want %d", len(status), rows)
	}
	unknown := 0
	for num, st := range status {
		switch {
		case accepted[num] > 1:
			t.Errorf("%s was messaged %d times", num, accepted[num])
		case st == "sent" && accepted[num] != 1:
			t.Errorf("%s is sent in the results but the sandbox accepted it %d times", num, accepted[num])
		case st == "unknown":
			unknown++
		case st != "sent":
			t.Errorf("%s ended %s", num, st)
		}
	}
	if unknown > kills*mostInFlight {
		t.Errorf("%d unknown rows after %d kills: more than the %d rows that can be in flight", unknown, kills,
			kills*mostInFlight)
	}
	t.Logf("%d kills, %d rows sent, %d unknown (in flight at a kill)", kills, len(accepted), unknown)
}

// readResults maps result_number to result_status from a results CSV.
func readResults(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %v", name, head)
		return -1
	}
	num, st := col("result_number"), col("result_status")
	m := map[string]string{}
	for _, rec := range recs[1:] {
		m[rec[num]] = rec[st]
	}
	return m
}

func mustWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// inFlightAfterKill reads, from the state store a killed run left, how many of the campaign's rows are recorded
// in flight: 0 when the kill came before the campaign was stored. Failing to read it fails the test.
func inFlightAfterKill(t *testing.T, statePath, name string) int {
	t.Helper()
	if _, err := os.Stat(statePath); errors.Is(err, os.ErrNotExist) {
		return 0 // killed before the store was created
	}
	st, err := store.Open(statePath)
	if err != nil {
		t.Fatalf("read the in-flight count: %v", err)
	}
	defer st.Close()
	info, ok, err := st.Campaign(name)
	if err != nil {
		t.Fatalf("read the in-flight count: %v", err)
	}
	if !ok {
		return 0 // killed before the campaign was stored
	}
	return info.Counts[status.InFlight]
}
