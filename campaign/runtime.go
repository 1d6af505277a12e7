package campaign

import (
	"os"
	"runtime/debug"
)

// The Go runtime's settings herald runs with (TuneRuntime).
const (
	// MemoryLimit is the runtime's soft memory limit: the collector works harder only as the heap nears it, so
	// that a million-row check or send stays under 100 MB (91 MB peak RSS at 64 MiB with GCPercent 400; 97 MB
	// at 72 MiB, where the send's heap grew to the limit).
	MemoryLimit = 64 << 20
	// GCPercent is the collection rate below the limit. A send's live heap is small (a few MB for a campaign of
	// thousands, about 18 MB for a million rows) while it allocates about 14 KB a message, so at the default
	// of 100 the collector would run dozens of times a second, mostly for its fixed costs (every in-flight
	// worker's stack, each cycle's start and end). At 400 it runs a fifth as often; the limit still bounds the
	// heap of a large file.
	GCPercent = 400
)

// TuneRuntime sets the collection rate and soft memory limit herald runs with, unless the user set GOGC or
// GOMEMLIMIT, and returns a function that puts back the settings it replaced (benchmarks measure herald as it
// runs, then restore the defaults).
func TuneRuntime() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(MemoryLimit)
	percent := debug.SetGCPercent(GCPercent)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
