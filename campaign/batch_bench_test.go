//go:build unix

package campaign_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/providers"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// BenchmarkBatch sends b.N rows of one message (a static template) through the InnoPaaS adapter to the
// zero-latency sandbox child, store on, at an unlimited rate: in batches of up to 1,000 recipients a request
// (batch=on), and one recipient a request (batch=off, Options.MaxBatch 1), at 16 and 64 requests in flight.
// Metrics: recipients per second and CPU ms per 10,000 recipients.
//
//	go test -run '^$' -bench Batch -benchtime 50000x -count 3 ./campaign/
func BenchmarkBatch(b *testing.B) {
	defer campaign.TuneRuntime()()
	child := childSandbox(b, "")
	defer child.Stop()
	for _, batch := range []bool{true, false} {
		for _, conc := range []int{16, 64} {
			b.Run(fmt.Sprintf("batch=%v/conc=%d", map[bool]string{true: "on", false: "off"}[batch], conc), func(b *testing.B) {
				profile := sandbox.Credentials()["innopaas"]
				profile.Name, profile.BaseURL = "bench", child.URL
				sess := benchCampaignWith(b, b.N, profile, staticTemplate)
				prov, err := open.Provider(profile, providers.ClientOptions{Concurrency: conc})
				if err != nil {
					b.Fatal(err)
				}
				defer prov.Close()
				eo := engine.Options{Rate: math.Inf(1), Concurrency: conc, StopOnPause: true}
				if !batch {
					eo.MaxBatch = 1
				}
				e := engine.New(sess.Store, sess.Info, sess.Input.Binding, prov, eo)
				b.ResetTimer()
				m := startMeter(b, child)
				snap, err := e.Run(context.Background())
				m.report(b, b.N, "recipients/s")
				if err != nil || snap.Sent != int64(b.N) {
					b.Fatalf("sent %d of %d: %v (%s)", snap.Sent, b.N, err, snap.Reason)
				}
			})
		}
	}
}
