package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"herald/providers/sandbox"
)

// lockedBuffer is a log file the test reads while the server writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogLinesReachTheFileAsTheyAreRecorded: each request's line is in LogTo, whole, once its answer is back,
// without waiting for Close (herald sandbox --log followed with tail -f).
func TestLogLinesReachTheFileAsTheyAreRecorded(t *testing.T) {
	var out lockedBuffer
	_, a, _ := engagelabSandbox(t, sandbox.Options{LogTo: &out})
	for i, to := range []string{"447911123456", "4915123456789"} {
		if _, err := a.Send(context.Background(), engagelabMessage(to, "")); err != nil {
			t.Fatalf("Send: %v", err)
		}
		lines := bytes.Split(bytes.TrimSuffix([]byte(out.String()), []byte("\n")), []byte("\n"))
		if len(lines) != i+1 || !bytes.HasSuffix([]byte(out.String()), []byte("\n")) {
			t.Fatalf("after %d requests the log holds %q: want %d whole lines", i+1, out.String(), i+1)
		}
		var e sandbox.Entry
		if err := json.Unmarshal(lines[i], &e); err != nil || e.To != to {
			t.Fatalf("line %d = %q (%v), want the entry for %s", i+1, lines[i], err, to)
		}
	}
}
