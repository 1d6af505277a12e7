//go:build unix

package receipts_test

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"herald/campaign/receipts"
	"herald/campaign/store"
	"herald/providers"
)

// crashEnv makes the test binary the listener that dies (see TestListenerCrashHelper).
const crashEnv = "HERALD_RECEIPTS_CRASH_STORE"

// TestListenerCrashHelper is not a test: re-executed with crashEnv naming a state store, it serves a listener
// that kills itself (SIGKILL, as kill -9) once it has read and checked a callback, just before the commit.
func TestListenerCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestKillBetweenReceiptAndCommit")
	}
	st, err := store.Open(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	l := receipts.New(receipts.Options{Store: st, Profiles: []providers.Profile{metaProfile},
		Writer: store.CallbackWriterOptions{BeforeCommit: func() { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) }}})
	base, err := l.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(base)
	select {} // until killed
}

// TestKillBetweenReceiptAndCommit: the listener dies (kill -9) after receiving a callback and before committing
// it; the provider got no answer, so it retries, to a listener started again. The store ends with exactly one
// record of what the callback said, however often it is retried.
func TestKillBetweenReceiptAndCommit(t *testing.T) {
	st, id, path := sentStore(t, 2)
	cmd := exec.Command(os.Args[0], "-test.run=^TestListenerCrashHelper$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://") {
		_ = cmd.Process.Kill()
		t.Fatalf("child: %q %v", line, err)
	}
	url := strings.TrimSpace(line) + receipts.Path + metaProfile.Name
	body := []byte(`{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {
		"statuses": [{"id": "wamid.1", "status": "delivered", "timestamp": "1733450000", "recipient_id": "447911000001"}],
		"messages": [{"from": "447911000001", "id": "wamid.in1", "timestamp": "1733450100", "type": "text",
			"text": {"body": "STOP"}, "context": {"id": "wamid.1"}}]}}]}]}`)
	signature := providers.SignBody(metaProfile.WebhookSecret, body)

	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	req.Header.Set(providers.SignatureHeader, signature)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the listener answered %d although it died before committing", resp.StatusCode)
	}
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", err)
	}
	if d := deliveryOf(t, st, id, 1); d != (store.Delivery{}) {
		t.Fatalf("the crash left a half-recorded callback: %+v", d)
	}

	// The provider retries, to the listener started again; and once more, as providers do.
	_, base := newListener(t, st, receipts.Options{Profiles: []providers.Profile{metaProfile}})
	for i := 0; i < 2; i++ {
		if code, msg := post(t, base+receipts.Path+metaProfile.Name, body, signature); code != http.StatusOK {
			t.Fatalf("retry %d: %d %s", i, code, msg)
		}
	}
	d := deliveryOf(t, st, id, 1)
	if d.State != providers.DeliveryDelivered || d.Reply != "STOP" {
		t.Fatalf("after the retries: %+v", d)
	}
	var optOuts int
	if err := st.EachOptOut(func(store.OptOut) error { optOuts++; return nil }); err != nil {
		t.Fatal(err)
	}
	f, err := st.Funnel(id)
	if err != nil {
		t.Fatal(err)
	}
	if optOuts != 1 || f != (store.Funnel{Sent: 2, Delivered: 1, Replied: 1, OptedOut: 1}) {
		t.Fatalf("%d opt-outs, funnel %+v: want exactly one record of the callback", optOuts, f)
	}
	if in, err := st.InboundFrom("447911000001"); err != nil || len(in) != 1 {
		t.Fatalf("inbound records %+v %v, want 1", in, err)
	}
}
