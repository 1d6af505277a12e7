package sandbox_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/sandbox"
)

// TestHuaweiRecordsTheSendTime sends through the real adapter with SendAt and Send: the sandbox, on its schedule
// clock, takes a time in the future and records it, takes none for Send, and refuses a time that is not after its
// clock with the CEC's 500, recording nothing.
func TestHuaweiRecordsTheSendTime(t *testing.T) {
	now := time.Date(2025, 1, 15, 22, 0, 0, 0, time.UTC)
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true, ScheduleClock: func() time.Time { return now }})
	a := huaweiAdapter(t, s.Profile("huawei", url))
	at := now.Add(11 * time.Hour)
	if _, err := a.SendAt(context.Background(), huaweiMessage("447911123456", "r1-a1"), at); err != nil {
		t.Fatalf("SendAt: %v", err)
	}
	if _, err := a.Send(context.Background(), huaweiMessage("447911123457", "r2-a1")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	_, err := a.SendAt(context.Background(), huaweiMessage("447911123458", "r3-a1"), now)
	if pe := providers.AsError(err); pe.Class != providers.ClassPermanent || pe.HTTPStatus != http.StatusInternalServerError {
		t.Errorf("SendAt at the sandbox's now: %v (HTTP %d), want a permanent 500", err, pe.HTTPStatus)
	}
	log := s.Log()
	if len(log) != 2 || !log[0].SendAt.Equal(at) || !log[1].SendAt.IsZero() {
		t.Fatalf("log %+v, want r1 with send_at %v and r2 without", log, at)
	}
}

// TestHuaweiQuickReplyPayloads sends quick replies through the real adapter: with their payloads they are taken,
// between a URL button and another quick reply; one without a payload never leaves the adapter.
func TestHuaweiQuickReplyPayloads(t *testing.T) {
	s, url, _ := huaweiSandbox(t, sandbox.Options{KeepLog: true})
	a := huaweiAdapter(t, s.Profile("huawei", url))
	payload := func(i int, p string) providers.ButtonParams {
		return providers.ButtonParams{Index: i, Kind: providers.ButtonQuickReply, Params: []providers.Param{{Kind: providers.ParamText, Text: p}}}
	}
	m := huaweiMessage("447911123456", "r1-a1")
	m.Buttons = append(m.Buttons, payload(1, "Stop promotions"), payload(2, "MORE_INFO"))
	if _, err := a.Send(context.Background(), m); err != nil {
		t.Fatalf("quick replies with payloads: %v", err)
	}
	m.Buttons[1].Params = nil
	if _, err := a.Send(context.Background(), m); providers.AsError(err).Code != "missing_payload" {
		t.Errorf("a quick reply without payload: %v, want missing_payload", err)
	}
	if n := len(s.Log()); n != 1 {
		t.Errorf("%d requests logged, want the first only", n)
	}
}
