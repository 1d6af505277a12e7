package receipts_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"herald/campaign/receipts"
	"herald/providers"
)

// BenchmarkListener measures callbacks committed per second end to end: signed Meta webhooks (one status
// each, as Meta usually posts them) from 64 concurrent connections, verified, parsed, committed to the state
// store (synchronous FULL) and answered 200: go test -run '^$' -bench BenchmarkListener -benchtime 20000x
// ./campaign/receipts/
func BenchmarkListener(b *testing.B) {
	const clients = 64
	st, _, _ := sentStore(b, b.N/3+1)
	l := receipts.New(receipts.Options{Store: st, Profiles: []providers.Profile{metaProfile}})
	base, err := l.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(0)
	url := base + receipts.Path + metaProfile.Name
	states := []string{providers.DeliverySent, providers.DeliveryDelivered, providers.DeliveryRead}
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = metaStatus(fmt.Sprintf("wamid.%d", i/3+1), states[i%3], 1733450000+int64(i%3))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i]))
				req.Header.Set(providers.SignatureHeader, providers.SignBody(metaProfile.WebhookSecret, bodies[i]))
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "callbacks/s")
	client.CloseIdleConnections()
}
