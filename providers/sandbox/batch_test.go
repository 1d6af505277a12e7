package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/innopaas"
	"herald/providers/sandbox"
)

// TestInnopaasSandboxBatches sends one message to several recipients in one request through the real adapter:
// every recipient taken gets its own id (data.messageIds, in order), an invalid number among them is refused
// alone (a per-recipient list), and a request whose every number is invalid, or that fails as a whole, is one
// error for all.
func TestInnopaasSandboxBatches(t *testing.T) {
	to := []string{"447911123456", "447000000001", "447911123458"}
	msg := innopaasMessage("", "b1-a1")

	s, _, a := innopaasSandbox(t, sandbox.Options{KeepLog: true}, nil)
	res, err := a.SendBatch(context.Background(), msg, to)
	if err != nil {
		t.Fatalf("SendBatch: %v", err)
	}
	log := s.Log()
	if len(res) != 3 || len(log) != 3 {
		t.Fatalf("%d results and %d log entries, want 3 of each", len(res), len(log))
	}
	seen := map[string]bool{}
	for i, r := range res {
		if r.Err != nil || r.Receipt.MessageID == "" || seen[r.Receipt.MessageID] || log[i].To != to[i] ||
			log[i].MessageID != r.Receipt.MessageID || log[i].Ref != "b1-a1" {
			t.Errorf("recipient %d: %+v, log %+v: want its own id, as logged", i, r, log[i])
		}
		seen[r.Receipt.MessageID] = true
	}

	s, _, a = innopaasSandbox(t, sandbox.Options{KeepLog: true, RejectPrefixes: []string{"4470"}}, nil)
	res, err = a.SendBatch(context.Background(), msg, to)
	if err != nil {
		t.Fatalf("SendBatch with an invalid number: %v", err)
	}
	if res[0].Err != nil || res[2].Err != nil || res[0].Receipt.MessageID == "" || res[2].Receipt.MessageID == "" {
		t.Errorf("the valid numbers: %+v %+v, want sent", res[0], res[2])
	}
	if pe := providers.AsError(res[1].Err); pe.Class != providers.ClassPermanent || pe.Code != "108" {
		t.Errorf("the invalid number: %+v, want permanent 108", res[1])
	}
	if s.Count(sandbox.Accept) != 2 || s.Count(sandbox.RejectNumber) != 1 {
		t.Errorf("accepted %d, rejected %d; want 2 and 1", s.Count(sandbox.Accept), s.Count(sandbox.RejectNumber))
	}

	_, _, a = innopaasSandbox(t, sandbox.Options{RejectPrefixes: []string{"44"}}, nil)
	if res, err := a.SendBatch(context.Background(), msg, to); res != nil || providers.AsError(err).Code != "108" {
		t.Errorf("every number invalid: %+v %v, want one 108 for the request", res, err)
	}
	decide := func(r sandbox.Request) sandbox.Action {
		if r.To == to[2] {
			return sandbox.Transient
		}
		return sandbox.Accept
	}
	s, _, a = innopaasSandbox(t, sandbox.Options{KeepLog: true, Decide: decide}, nil)
	if res, err := a.SendBatch(context.Background(), msg, to); res != nil || providers.Classify(err) != providers.ClassRetryable {
		t.Errorf("a transient failure: %+v %v, want one retryable error for the request", res, err)
	}
	for _, e := range s.Log() {
		if e.Action != "transient" || e.MessageID != "" {
			t.Errorf("log entry %+v: a failed request sends nothing", e)
		}
	}
}

// TestEngagelabSandboxBatches sends one message to several recipients in to[]: EngageLab's document answers a
// request with one message_id, which every recipient gets, or one error, which an invalid number among them
// causes for all, naming it.
func TestEngagelabSandboxBatches(t *testing.T) {
	to := []string{"447911123456", "447000000001", "447911123458"}
	msg := engagelabMessage("", "b1-a1")
	s, a, _ := engagelabSandbox(t, sandbox.Options{})
	res, err := a.SendBatch(context.Background(), msg, to)
	if err != nil || len(res) != 3 {
		t.Fatalf("SendBatch: %+v %v", res, err)
	}
	log := s.Log()
	for i, r := range res {
		if r.Err != nil || log[i].MessageID == "" || log[i].MessageID != log[0].MessageID || log[i].To != to[i] ||
			r.Receipt.MessageID != engagelab.RecipientMessageID(log[i].MessageID, to[i]) {
			t.Errorf("recipient %d: %+v, log %+v: want the request's message_id", i, r, log[i])
		}
	}
	_, a, _ = engagelabSandbox(t, sandbox.Options{RejectPrefixes: []string{"4470"}})
	res, err = a.SendBatch(context.Background(), msg, to)
	if pe := providers.AsError(err); res != nil || pe.Class != providers.ClassPermanent || pe.Code != "3003" ||
		!strings.Contains(pe.Message, "to[1] 447000000001") {
		t.Errorf("an invalid number: %+v %v, want one 3003 for the request naming to[1]", res, err)
	}
}

// TestBatchLatencyIsPerRequest: the sandbox's latency is a request's, whatever its number of recipients (in
// virtual time: the handler is called directly).
func TestBatchLatencyIsPerRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := sandbox.New(sandbox.Options{Latency: 50 * time.Millisecond})
		to := make([]string, 100)
		for i := range to {
			to[i] = fmt.Sprintf("4479110%05d", i)
		}
		body := `{"wabaId":"100000000000001","messageType":"template","sendNumber":"15550001111","language":"en_US",` +
			`"templateName":"hello","recipientNumber":"` + strings.Join(to, ",") + `"}`
		req := httptest.NewRequest(http.MethodPost, innopaas.SubmitPath, strings.NewReader(body))
		req.Header.Set("AppKey", "sandbox-app-key")
		req.Header.Set("Authorization", "sandbox-token")
		w := httptest.NewRecorder()
		start := time.Now()
		s.ServeHTTP(w, req)
		if took := time.Since(start); w.Code != http.StatusOK || took != 50*time.Millisecond {
			t.Errorf("HTTP %d after %v for 100 recipients, want 200 after the 50ms latency once", w.Code, took)
		}
	})
}
