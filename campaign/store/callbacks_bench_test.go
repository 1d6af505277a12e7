package store

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
)

// BenchmarkCallbacks measures delivery callbacks committed per second through the listener's group-committing
// writer, one event per callback request as Meta usually posts them, from 16 and 64 concurrent requests (the
// listener's HTTP handlers), synchronous FULL as in production:
// go test -run '^$' -bench BenchmarkCallbacks -benchtime 20000x ./campaign/store/
func BenchmarkCallbacks(b *testing.B) {
	for _, callers := range []int{16, 64} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) { benchCallbacks(b, callers) })
	}
}

func benchCallbacks(b *testing.B, callers int) {
	s, err := Open(filepath.Join(b.TempDir(), "herald.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// The messages the callbacks are about: b.N/3 rows sent, each getting sent, delivered and read.
	messages := b.N/3 + 1
	id := planBenchRows(b, s, messages)
	j := s.OpenJournal(id, JournalOptions{})
	for row := 1; row <= messages; row++ {
		j.Record(Outcome{Row: row, Status: "sent", MessageID: fmt.Sprintf("wamid.%d", row), Attempts: 1})
	}
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	w := s.NewCallbackWriter(CallbackWriterOptions{})
	defer w.Close()
	states := []string{providers.DeliverySent, providers.DeliveryDelivered, providers.DeliveryRead}
	base := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				ev := providers.DeliveryEvent{MessageID: fmt.Sprintf("wamid.%d", i/3+1), Status: states[i%3],
					At: base.Add(time.Duration(i%3) * time.Second)}
				if _, err := w.Write(b.Context(), CallbackBatch{Profile: "p", Deliveries: []providers.DeliveryEvent{ev}}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "callbacks/s")
}
