package open_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/open"
	"herald/providers/sandbox"
)

// TestSchedulersAreTheProvidersThatSchedule checks the capability tables against the adapters: a provider whose
// table says it schedules opens as a providers.Scheduler (so --send-window hands it rows with their time), and
// no other does (so no adapter is ever given a time it would ignore, sending early).
func TestSchedulersAreTheProvidersThatSchedule(t *testing.T) {
	srv := sandbox.New(sandbox.Options{})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, dialect := range sandbox.Dialects() {
		p := srv.Profile(dialect, hs.URL)
		c, err := open.Capabilities(p)
		if err != nil {
			t.Fatal(err)
		}
		prov, err := open.Provider(p, providers.ClientOptions{Concurrency: 1, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := prov.(providers.Scheduler); ok != c.Schedules {
			t.Errorf("%s: a Scheduler %v, its table says it schedules %v", dialect, ok, c.Schedules)
		}
		prov.Close()
	}
}
