//go:build unix

package campaign_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/internal/cputime"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/meta"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// The engine benchmarks send to a zero-latency sandbox running in a child process (this test binary re-run as
// TestSandboxChildProcess), so that the CPU this process uses is herald's alone: engine, adapter, store. The
// child's own CPU is reported too (srv-cpu-ms/10k): both processes share the machine's cores, so a sender whose
// requests cost the server more gets fewer of them answered.
//
//	go test -run '^$' -bench 'Engine' -benchtime 20000x ./campaign/
//	HERALD_RATE_SECONDS=60 go test -run '^$' -bench 'RateAccuracy' -benchtime 1x -timeout 30m ./campaign/

const sandboxChildEnv = "HERALD_SANDBOX_CHILD"

// TestSandboxChildProcess is not a test: it is the sandbox child of the benchmarks. It serves until stdin closes,
// then writes each accepted request's arrival time (unix ns) to the file named in HERALD_SANDBOX_TIMES.
func TestSandboxChildProcess(t *testing.T) {
	if os.Getenv(sandboxChildEnv) == "" {
		t.Skip("the benchmarks' sandbox child; not a test on its own")
	}
	var mu sync.Mutex
	var times []int64
	keep := os.Getenv("HERALD_SANDBOX_TIMES") != ""
	srv := sandbox.New(sandbox.Options{Decide: func(sandbox.Request) sandbox.Action {
		if keep {
			mu.Lock()
			times = append(times, time.Now().UnixNano())
			mu.Unlock()
		}
		return sandbox.Accept
	}})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("URL", url)
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
	if keep {
		var b bytes.Buffer
		for _, ts := range times {
			fmt.Fprintln(&b, ts)
		}
		_ = os.WriteFile(os.Getenv("HERALD_SANDBOX_TIMES"), b.Bytes(), 0o600)
	}
}

// sandboxChild is the benchmarks' sandbox, running in a child process.
type sandboxChild struct {
	// URL is its base URL.
	URL   string
	cmd   *exec.Cmd
	stdin io.Closer
}

// childSandbox starts the sandbox child; the caller stops it. With HERALD_SANDBOX_URL set (and no timesPath) it
// starts nothing and uses the sandbox there, such as a `herald sandbox` that `herald send` is measured against
// too (BENCHMARKS.md, end to end); the server's CPU is then not reported.
func childSandbox(tb testing.TB, timesPath string) *sandboxChild {
	if url := os.Getenv("HERALD_SANDBOX_URL"); url != "" && timesPath == "" {
		return &sandboxChild{URL: url}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSandboxChildProcess$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), sandboxChildEnv+"=1", "HERALD_SANDBOX_TIMES="+timesPath)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	url := ""
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "URL ") {
			url = strings.TrimPrefix(sc.Text(), "URL ")
			break
		}
	}
	if url == "" {
		tb.Fatal("sandbox child gave no URL")
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &sandboxChild{URL: url, cmd: cmd, stdin: stdin}
}

// Stop ends the child and waits for it.
func (c *sandboxChild) Stop() {
	if c.cmd == nil {
		return
	}
	c.stdin.Close()
	_ = c.cmd.Wait()
}

// CPU is the CPU the child has used so far; ok is false where the system cannot say (no /proc).
func (c *sandboxChild) CPU() (time.Duration, bool) {
	if c.cmd == nil {
		return 0, false
	}
	return cputime.Of(c.cmd.Process.Pid)
}

// sendMeter measures one benchmark's sending: wall time, this process's CPU and the sandbox child's.
type sendMeter struct {
	child      *sandboxChild
	t0         time.Time
	cpu0, srv0 time.Duration
	srvOK      bool
}

// startMeter starts measuring; call it after the benchmark's setup.
func startMeter(b *testing.B, child *sandboxChild) *sendMeter {
	// Each run starts with the garbage of the setup and of the runs before it collected and returned to the
	// system, as a herald process starts its send.
	debug.FreeOSMemory()
	m := &sendMeter{child: child}
	m.srv0, m.srvOK = child.CPU()
	m.cpu0, m.t0 = cputime.Used(b), time.Now()
	return m
}

// report stops measuring n messages (recipients, for batches) and reports their rate as unit, and the CPU
// per 10,000 of them of herald (cpu-ms/10k) and of the sandbox child (srv-cpu-ms/10k, where the system says).
func (m *sendMeter) report(b *testing.B, n int, unit string) {
	wall, cpu := time.Since(m.t0), cputime.Used(b)-m.cpu0
	srv, ok := m.child.CPU()
	b.StopTimer()
	b.ReportMetric(float64(n)/wall.Seconds(), unit)
	b.ReportMetric(float64(cpu.Milliseconds())*10000/float64(n), "cpu-ms/10k")
	if ok && m.srvOK {
		b.ReportMetric(float64((srv-m.srv0).Milliseconds())*10000/float64(n), "srv-cpu-ms/10k")
	}
}

// benchTemplate fills a header, the body and a URL button from each row: every message differs.
const benchTemplate = "name: bench\nlanguage: en_US\nheader:\n  text: \"Hi {{first_name}}\"\nbody: \"Hello {{first_name}}, use {{code}} for {{discount|10%}} off.\"\nbuttons:\n  - url: \"https://shop.example/c/{{code}}\"\n    text: Shop\n"

// benchCampaign writes n rows, plans them into a fresh store with benchTemplate and returns a session ready to
// send.
func benchCampaign(tb testing.TB, n int, profile providers.Profile) *campaign.Session {
	return benchCampaignWith(tb, n, profile, benchTemplate)
}

// benchCampaignWith is benchCampaign with the template tpl.
func benchCampaignWith(tb testing.TB, n int, profile providers.Profile, tpl string) *campaign.Session {
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("first_name,phone,code,discount\n")
	for i := 0; i < n; i++ {
		cc := []string{"447400", "4915123", "33612"}[i%3]
		fmt.Fprintf(&b, "N%d,+%s%06d,C%d,%d%%\n", i, cc, i/3, i, i%50)
	}
	csvPath, tplPath := filepath.Join(dir, "r.csv"), filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(tplPath, []byte(tpl), 0o600); err != nil {
		tb.Fatal(err)
	}
	in, err := campaign.Open(campaign.Plan{CSVPath: csvPath, TemplatePath: tplPath, StatePath: filepath.Join(dir, "s.db"), Profile: profile})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { in.Close() })
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sess.Close() })
	return sess
}

// nopJournal writes nothing: the engine without durability, to measure what the store costs.
type nopJournal struct{}

func (nopJournal) MarkInFlight(context.Context, int, int) error         { return nil }
func (nopJournal) MarkManyInFlight(context.Context, []store.Mark) error { return nil }
func (nopJournal) Unmark(int, int)                                      {}
func (nopJournal) Record(store.Outcome)                                 {}
func (nopJournal) Flush(context.Context) error                          { return nil }
func (nopJournal) Close() error                                         { return nil }

// BenchmarkEngine sends b.N messages at an unlimited rate through the Meta adapter to the zero-latency sandbox
// child, with and without the store, at several concurrencies. Metrics: msgs/s, herald's CPU ms per 10,000
// messages, and the sandbox's. herald runs with its own runtime settings (campaign.TuneRuntime), as the command
// does.
func BenchmarkEngine(b *testing.B) {
	defer campaign.TuneRuntime()()
	child := childSandbox(b, "")
	defer child.Stop()
	for _, durable := range []bool{true, false} {
		for _, conc := range []int{16, 64, 256} {
			b.Run(fmt.Sprintf("store=%v/conc=%d", durable, conc), func(b *testing.B) {
				e, done := benchEngine(b, child, b.N, conc, durable)
				defer done()
				b.ResetTimer()
				m := startMeter(b, child)
				err := runBenchEngine(e, b.N)
				m.report(b, b.N, "msgs/s")
				if err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// benchEngine is an engine ready to send a fresh benchCampaign of n rows through the Meta adapter to the sandbox
// child, at an unlimited rate with conc in flight, with or without the store; done closes its provider and
// campaign (a benchmark that makes many frees each when it is done with it).
func benchEngine(b *testing.B, child *sandboxChild, n, conc int, durable bool) (e *engine.Engine, done func()) {
	profile := sandbox.Credentials()["meta"]
	profile.Name, profile.BaseURL = "bench", child.URL
	sess := benchCampaign(b, n, profile)
	prov, err := open.Provider(profile, providers.ClientOptions{Concurrency: conc})
	if err != nil {
		b.Fatal(err)
	}
	eo := engine.Options{Rate: math.Inf(1), Concurrency: conc, StopOnPause: true}
	if !durable {
		eo.Journal = nopJournal{}
	}
	return engine.New(sess.Store, sess.Info, sess.Input.Binding, prov, eo), func() {
		prov.Close()
		sess.Close()
		sess.Input.Close()
	}
}

// runBenchEngine runs e and says so unless it sent all n rows.
func runBenchEngine(e *engine.Engine, n int) error {
	snap, err := e.Run(context.Background())
	if err != nil || snap.Sent != int64(n) {
		return fmt.Errorf("sent %d of %d: %v (%s)", snap.Sent, n, err, snap.Reason)
	}
	return nil
}

// bareSmallBody is a minimal Meta template request: one body parameter.
const bareSmallBody = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"447400123593","type":"template","template":{"name":"bench","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"x"}]}]}}`

// BenchmarkBareClient is the ceiling to compare with: a plain net/http worker pool of 64 posting prebuilt Meta
// template bodies to the same sandbox child and reading the answers, with nothing else. body=small posts one
// minimal body every time; body=herald posts, prebuilt, the very bodies BenchmarkEngine's rows make (a header,
// three body parameters, a URL button, the client reference), so that the sandbox does the same work for both and
// the difference is herald's own. gc=go runs it with Go's default collector settings, as a bare client would;
// gc=400 at herald's collection rate (campaign.GCPercent), without its soft memory limit: the prebuilt bodies
// are 30 MB of live heap no herald process holds, and under the limit the collector would run without pause.
func BenchmarkBareClient(b *testing.B) {
	child := childSandbox(b, "")
	defer child.Stop()
	p := sandbox.Credentials()["meta"]
	target := child.URL + "/" + p.APIVersion + "/" + p.PhoneNumberID + "/messages"
	b.Run("body=small", func(b *testing.B) {
		bodies := [][]byte{[]byte(bareSmallBody)}
		bareClient(b, child, target, p.AccessToken.Reveal(), func(int) []byte { return bodies[0] })
	})
	for _, tuned := range []bool{false, true} {
		name := map[bool]string{false: "body=herald/gc=go", true: "body=herald/gc=400"}[tuned]
		b.Run(name, func(b *testing.B) {
			bodies := heraldBodies(b, b.N)
			if tuned {
				defer debug.SetGCPercent(debug.SetGCPercent(campaign.GCPercent))
			}
			bareClient(b, child, target, p.AccessToken.Reveal(), func(i int) []byte { return bodies[i] })
		})
	}
}

// bareClient posts b.N bodies (body(i) for the i-th) to target from 64 workers and reports as BenchmarkEngine.
func bareClient(b *testing.B, child *sandboxChild, target, token string, body func(int) []byte) {
	b.ResetTimer()
	m := startMeter(b, child)
	err := postAll(target, token, b.N, body)
	m.report(b, b.N, "msgs/s")
	if err != nil {
		b.Fatal(err)
	}
}

// postAll posts n bodies (body(i) for the i-th) to target from 64 workers of a client of their own, each reading
// the whole answer, and returns the first error.
func postAll(target, token string, n int, body func(int) []byte) error {
	client := providers.NewHTTPClient(providers.ClientOptions{Concurrency: 64})
	defer client.CloseIdleConnections()
	jobs := make(chan []byte, 1024)
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range jobs {
				req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- body(i)
	}
	close(jobs)
	wg.Wait()
	if err := failed.Load(); err != nil {
		return *err
	}
	return nil
}

// heraldBodies returns the request bodies the Meta adapter makes for the n rows of a benchCampaign, as the
// engine sends them (each row's number and a client reference of the engine's length), captured by a transport
// that answers every request itself.
func heraldBodies(b *testing.B, n int) [][]byte {
	profile := sandbox.Credentials()["meta"]
	profile.Name = "bench"
	sess := benchCampaign(b, n, profile)
	capture := &captureTransport{}
	adapter, err := meta.New(profile, &http.Client{Transport: capture})
	if err != nil {
		b.Fatal(err)
	}
	rows, err := sess.Store.ReadyRows(sess.Info.ID, 0, n)
	if err != nil || len(rows) != n {
		b.Fatalf("read %d of %d rows: %v", len(rows), n, err)
	}
	base := strconv.FormatInt(sess.Info.Created.Unix(), 36) + strconv.FormatInt(sess.Info.ID, 36)
	for _, r := range rows {
		rendered, problem := sess.Input.Binding.Render(r.Fields)
		if problem != nil {
			b.Fatalf("row %d: %s", r.Row, problem.Reason)
		}
		msg := rendered.Message
		msg.To, msg.Ref = r.Number, base+"-"+strconv.FormatInt(int64(r.Row), 36)+"-1"
		if _, err := adapter.Send(context.Background(), msg); err != nil {
			b.Fatal(err)
		}
	}
	return capture.bodies
}

// captureTransport keeps each request's body and answers it as Meta accepts a message.
type captureTransport struct{ bodies [][]byte }

func (c *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	c.bodies = append(c.bodies, body)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"messages":[{"id":"wamid.captured"}]}`)), Request: req}, nil
}

// BenchmarkRateAccuracy runs HERALD_RATE_SECONDS (default 10) seconds at 80/s and at 1,000/s and reports the
// achieved rate over the run and the busiest 1-second window, from the sandbox's arrival times.
func BenchmarkRateAccuracy(b *testing.B) {
	secs := 10.0
	if v := os.Getenv("HERALD_RATE_SECONDS"); v != "" {
		fmt.Sscan(v, &secs)
	}
	for _, r := range []float64{80, 1000} {
		b.Run(fmt.Sprintf("rate=%v", r), func(b *testing.B) {
			timesPath := filepath.Join(b.TempDir(), "times")
			child := childSandbox(b, timesPath)
			profile := sandbox.Credentials()["meta"]
			profile.Name, profile.BaseURL = "bench", child.URL
			n := int(r * secs)
			sess := benchCampaign(b, n, profile)
			prov, err := open.Provider(profile, providers.ClientOptions{Concurrency: 64})
			if err != nil {
				b.Fatal(err)
			}
			defer prov.Close()
			e := engine.New(sess.Store, sess.Info, sess.Input.Binding, prov, engine.Options{Rate: r, StopOnPause: true})
			b.ResetTimer()
			if _, err := e.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			child.Stop()
			achieved, worst := rateStats(b, timesPath)
			b.ReportMetric(achieved, "achieved/s")
			b.ReportMetric(achieved/r*100-100, "error-%")
			b.ReportMetric(float64(worst), "worst-1s-window")
			b.ReportMetric(float64(engine.Burst(r)), "burst")
		})
	}
}

// rateStats reads arrival times: the achieved rate from first to last request, and the largest number of
// requests in any sliding 1-second window.
func rateStats(b *testing.B, path string) (float64, int) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var ts []int64
	for _, f := range strings.Fields(string(data)) {
		var v int64
		fmt.Sscan(f, &v)
		ts = append(ts, v)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	if len(ts) < 2 {
		return 0, len(ts)
	}
	achieved := float64(len(ts)-1) / (float64(ts[len(ts)-1]-ts[0]) / 1e9)
	worst, j := 0, 0
	for i := range ts {
		for ts[i]-ts[j] >= int64(time.Second) {
			j++
		}
		worst = max(worst, i-j+1)
	}
	return achieved, worst
}

// BenchmarkRateLearning runs 2,000 messages at --rate 200 against an HTTP sandbox that accepts 50/s (429 with
// Retry-After over it), through the real Meta adapter, and reports the share of requests answered 429 and the
// rate achieved (SPEC "Safety": at most 5% once settled, at least 85% of 50/s). About 45 s.
//
//	go test -run '^$' -bench RateLearning -benchtime 1x ./campaign/
func BenchmarkRateLearning(b *testing.B) {
	for i := 0; i < b.N; i++ {
		srv := sandbox.New(sandbox.Options{RateLimit: 50, KeepLog: true})
		hs := httptest.NewServer(srv)
		profile := srv.Profile("meta", hs.URL)
		profile.Name = "bench"
		sess := benchCampaign(b, 2000, profile)
		sess.Input.Plan.Rate = 200
		eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		snap, err := eng.Run(context.Background())
		elapsed := time.Since(t0)
		prov.Close()
		hs.Close()
		if err != nil || snap.Sent != 2000 {
			b.Fatalf("sent %d: %v (%s)", snap.Sent, err, snap.Reason)
		}
		limited := 0
		for _, e := range srv.Log() {
			if e.Action == sandbox.RateLimited.String() {
				limited++
			}
		}
		requests := len(srv.Log())
		b.ReportMetric(float64(limited)/float64(requests)*100, "429-%")
		b.ReportMetric(float64(snap.Sent)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(float64(snap.Sent)/elapsed.Seconds()/50*100, "%-of-50/s")
	}
}

// BenchmarkEngineCPU is herald's own CPU a message without a network: the Meta adapter's requests are answered
// in the process by a transport that reads each body and returns Meta's success answer with an id of its own.
// What it leaves out is the HTTP client and server, so its ns/op and allocations are the engine's, the
// adapter's encoding and parsing and (store=true) the journal's, far steadier than the throughput benchmarks:
//
//	go test -run '^$' -bench EngineCPU -benchtime 200000x ./campaign/
func BenchmarkEngineCPU(b *testing.B) {
	defer campaign.TuneRuntime()()
	for _, durable := range []bool{true, false} {
		b.Run(fmt.Sprintf("store=%v", durable), func(b *testing.B) {
			profile := sandbox.Credentials()["meta"]
			profile.Name = "bench"
			sess := benchCampaign(b, b.N, profile)
			adapter, err := meta.New(profile, &http.Client{Transport: &answerTransport{}})
			if err != nil {
				b.Fatal(err)
			}
			eo := engine.Options{Rate: math.Inf(1), Concurrency: 64, StopOnPause: true}
			if !durable {
				eo.Journal = nopJournal{}
			}
			e := engine.New(sess.Store, sess.Info, sess.Input.Binding, adapter, eo)
			debug.FreeOSMemory()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Used(b)
			snap, err := e.Run(context.Background())
			cpu := cputime.Used(b) - cpu0
			b.StopTimer()
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/msg")
			if err != nil || snap.Sent != int64(b.N) {
				b.Fatalf("sent %d of %d: %v (%s)", snap.Sent, b.N, err, snap.Reason)
			}
		})
	}
}

// answerTransport answers every request as Meta accepts a message, with a new id each time (scattered, as
// Meta's are: ids in order would make the index of ids an append), after reading the body as a server would.
type answerTransport struct{ n atomic.Int64 }

func (a *answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		return nil, err
	}
	req.Body.Close()
	id := "wamid.HBgM" + strconv.FormatUint(uint64(a.n.Add(1))*0x9E3779B97F4A7C15, 36) // in no order, as Meta's
	body := `{"messaging_product":"whatsapp","contacts":[{"input":"447400123456","wa_id":"447400123456"}],` +
		`"messages":[{"id":"` + id + `","message_status":"accepted"}]}`
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
}
