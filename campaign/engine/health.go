package engine

import (
	"fmt"
	"sync"
)

// health decides auto-pauses: 20 failures in a row, or more than half of the last 100 outcomes failed.
type health struct {
	mu          sync.Mutex
	consecutive int
	window      [pauseWindow]bool
	n, next     int
	failed      int
}

const (
	pauseAfterConsecutive = 20
	pauseWindow           = 100
)

func newHealth() *health { return &health{} }

// note adds one outcome and returns the reason to pause, or "".
func (h *health) note(failed bool) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == pauseWindow && h.window[h.next] {
		h.failed--
	}
	h.window[h.next] = failed
	h.next = (h.next + 1) % pauseWindow
	h.n = min(h.n+1, pauseWindow)
	if failed {
		h.failed++
		h.consecutive++
	} else {
		h.consecutive = 0
	}
	switch {
	case h.consecutive >= pauseAfterConsecutive:
		c := h.consecutive
		h.resetLocked()
		return fmt.Sprintf("%d failures in a row", c)
	case h.n == pauseWindow && h.failed*2 > pauseWindow:
		f := h.failed
		h.resetLocked()
		return fmt.Sprintf("%d of the last %d messages failed", f, pauseWindow)
	}
	return ""
}

func (h *health) reset() {
	h.mu.Lock()
	h.resetLocked()
	h.mu.Unlock()
}

func (h *health) resetLocked() {
	h.consecutive, h.n, h.next, h.failed = 0, 0, 0, 0
	h.window = [pauseWindow]bool{}
}
