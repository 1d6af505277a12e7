package dashboard

import (
	"strings"
	"testing"
	"time"

	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"
)

// TestBatchHeldByTheRate: while the rate holds a request of many recipients back, nothing is in flight for
// seconds; the banner says why instead of leaving the user before a still screen.
func TestBatchHeldByTheRate(t *testing.T) {
	d := New(common.New())
	d.SetSize(80, 24)
	now := time.Now()
	d.refresh(engine.Snapshot{State: status.Running, Total: 300, Remaining: 300, Batched: 300,
		BatchedUntil: now.Add(12 * time.Second), Started: now})
	got := d.banner()
	if !strings.Contains(got, "300 recipients in a request wait for the rate") || !strings.Contains(got, "leaves in 1") {
		t.Errorf("banner %q", got)
	}
	d.refresh(engine.Snapshot{State: status.Running, Total: 300, Remaining: 0, Sent: 300, Started: now})
	if got := d.banner(); got != "" {
		t.Errorf("banner once the request left: %q", got)
	}
}
