package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"herald/campaign/status"
	"herald/providers"
)

// sentCampaign plans n ready rows and records each as sent with message id "wamid.<row>".
func sentCampaign(t *testing.T, s *Store, name string, n int) int64 {
	t.Helper()
	id := plan(t, s, testInfo(name, "fp-"+name), readyRows(n))
	recordSent(t, s, id, name, 1, n)
	return id
}

// recordSent records rows from..to of campaign id as sent, with message ids "<prefix>.<row>".
func recordSent(t *testing.T, s *Store, id int64, prefix string, from, to int) {
	t.Helper()
	j := s.OpenJournal(id, JournalOptions{})
	for row := from; row <= to; row++ {
		if err := j.MarkInFlight(t.Context(), row, 1); err != nil {
			t.Fatal(err)
		}
		j.Record(Outcome{Row: row, Status: status.Sent, MessageID: prefix + "." + strconv.Itoa(row), Attempts: 1})
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

// ts is a callback time: base plus seconds.
func ts(sec int) time.Time { return time.Date(2026, 4, 1, 9, 0, sec, 0, time.UTC) }

// deliveriesOf reads the campaign's deliveries by row, as the results CSV would show them.
func deliveriesOf(t *testing.T, s *Store, id int64) map[int]Delivery {
	t.Helper()
	c, err := s.Deliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]Delivery{}
	if err := s.EachRow(id, func(r Row) error {
		if d := c.For(r.Row, r.MessageID); d != (Delivery{}) {
			out[r.Row] = d
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func delivery(id, state string, sec int, code string) providers.DeliveryEvent {
	return providers.DeliveryEvent{MessageID: id, Status: state, At: ts(sec), ErrorCode: code}
}

// TestDeliveryStateOnlyMovesForward applies the same callbacks, duplicated, in many orders, one request each;
// every order ends with the same records: the highest state, the earliest times, the failure's code.
func TestDeliveryStateOnlyMovesForward(t *testing.T) {
	events := []providers.DeliveryEvent{
		delivery("c.1", providers.DeliverySent, 1, ""),
		delivery("c.1", providers.DeliveryDelivered, 5, ""),
		delivery("c.1", providers.DeliveryRead, 9, ""),
		delivery("c.2", providers.DeliverySent, 1, ""),
		delivery("c.2", providers.DeliveryFailed, 4, "131049"),
		delivery("c.3", providers.DeliveryDelivered, 3, ""),
		delivery("c.3", providers.DeliveryFailed, 6, "131026"), // a failure after delivery does not undo it
		delivery("c.4", providers.DeliveryFailed, 7, "131050"),
		delivery("c.4", providers.DeliveryFailed, 2, "131049"), // the earliest failure's code is kept
		delivery("c.5", providers.DeliveryRead, 8, ""),         // read without delivered: delivered_at stays empty
	}
	want := map[int]Delivery{
		1: {State: providers.DeliveryRead, Delivered: ts(5), Read: ts(9)},
		2: {State: providers.DeliveryFailed, Code: "131049"},
		3: {State: providers.DeliveryDelivered, Delivered: ts(3)},
		4: {State: providers.DeliveryFailed, Code: "131049"},
		5: {State: providers.DeliveryRead, Read: ts(8)},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 12; round++ {
		s := newTestStore(t)
		id := sentCampaign(t, s, "c", 5)
		order := append([]providers.DeliveryEvent(nil), events...)
		order = append(order, events[rng.IntN(len(events))], events[rng.IntN(len(events))])
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, e := range order {
			if _, err := s.RecordCallbacks(CallbackBatch{Profile: "p", Deliveries: []providers.DeliveryEvent{e}}); err != nil {
				t.Fatal(err)
			}
		}
		if got := deliveriesOf(t, s, id); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d, order %v:\n got %+v\nwant %+v", round, order, got, want)
		}
		f, err := s.Funnel(id)
		if err != nil {
			t.Fatal(err)
		}
		if wantF := (Funnel{Sent: 5, Delivered: 3, Read: 2, FailedLater: 2}); f != wantF {
			t.Fatalf("funnel %+v, want %+v", f, wantF)
		}
	}
}

// TestCallbackBeforeTheSendIsCommitted: callbacks about a message id no row has yet are counted as unknown,
// kept, and apply once the send's outcome is committed and reconciled; the reply to it too.
func TestCallbackBeforeTheSendIsCommitted(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(2))
	res, err := s.RecordCallbacks(CallbackBatch{Profile: "p",
		Deliveries: []providers.DeliveryEvent{delivery("c.1", providers.DeliveryDelivered, 3, "")},
		Inbound: []InboundMessage{{Inbound: providers.Inbound{ID: "in.1", From: "4479110000001", At: ts(20),
			Type: "text", Text: "Thanks!", ContextID: "c.1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deliveries != 1 || res.Unknown != 1 || res.Inbound != 1 {
		t.Fatalf("result %+v", res)
	}
	if got := deliveriesOf(t, s, id); len(got) != 0 {
		t.Fatalf("deliveries before the send: %+v", got)
	}
	recordSent(t, s, id, "c", 1, 2)
	if err := s.Reconcile(time.Time{}); err != nil {
		t.Fatal(err)
	}
	want := map[int]Delivery{1: {State: providers.DeliveryDelivered, Delivered: ts(3), Replied: ts(20), Reply: "Thanks!"}}
	if got := deliveriesOf(t, s, id); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	f, err := s.Funnel(id)
	if err != nil || f != (Funnel{Sent: 2, Delivered: 1, Replied: 1}) {
		t.Fatalf("funnel %+v %v", f, err)
	}
}

// TestRepliesAndOptOuts: the first reply is kept; a keyword opts out at once (with or without a context id); a
// tap on the campaign's opt-out button opts out, another button does not; duplicates change nothing.
func TestRepliesAndOptOuts(t *testing.T) {
	s := newTestStore(t)
	id := sentCampaign(t, s, "c", 5)
	if err := s.SetOptOutButtons(id, []OptOutButton{{Label: "Stop promotions", Payload: "STOP_PROMO"}}); err != nil {
		t.Fatal(err)
	}
	num := func(row int) string { return fmt.Sprintf("44791100%05d", row) }
	// Row 4's message is known by its recipient through a delivered callback.
	if _, err := s.RecordCallbacks(CallbackBatch{Profile: "p", Deliveries: []providers.DeliveryEvent{
		{MessageID: "c.4", Status: providers.DeliveryDelivered, At: ts(2), Recipient: num(4)}}}); err != nil {
		t.Fatal(err)
	}
	in := func(id string, row int, sec int, text, context string) InboundMessage {
		return InboundMessage{Inbound: providers.Inbound{ID: id, From: num(row), At: ts(sec), Type: "text", Text: text,
			ContextID: context}}
	}
	tap := func(id string, row int, sec int, label, payload string) InboundMessage {
		return InboundMessage{Inbound: providers.Inbound{ID: id, From: num(row), At: ts(sec), Type: "button",
			Text: label, ButtonText: label, ButtonPayload: payload, ContextID: "c." + strconv.Itoa(row)}}
	}
	stop := in("i3", 2, 30, "stop", "c.2")
	stop.Keyword = true
	noContext := in("i5", 4, 40, "STOP", "")
	noContext.Keyword = true
	batch := []InboundMessage{
		in("i2", 1, 25, "Later reply", "c.1"),
		in("i1", 1, 20, "First reply", "c.1"),
		stop,
		tap("i4", 3, 35, "Stop promotions", "STOP_PROMO"),
		noContext,
		tap("i6", 5, 45, "Shop now", "SHOP"),
	}
	for pass := 0; pass < 2; pass++ { // the second pass is the provider's retry of every request
		for _, m := range batch {
			res, err := s.RecordCallbacks(CallbackBatch{Profile: "p", Inbound: []InboundMessage{m}})
			if err != nil {
				t.Fatal(err)
			}
			if pass == 1 && len(res.OptedOut) > 0 {
				t.Fatalf("a duplicate opted out again: %+v", res)
			}
		}
	}
	want := map[int]Delivery{
		1: {Replied: ts(20), Reply: "First reply"},
		2: {Replied: ts(30), Reply: "stop"},
		3: {Replied: ts(35), Reply: "Stop promotions"},
		4: {State: providers.DeliveryDelivered, Delivered: ts(2), Replied: ts(40), Reply: "STOP"},
		5: {Replied: ts(45), Reply: "Shop now"},
	}
	if got := deliveriesOf(t, s, id); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	var list []OptOut
	if err := s.EachOptOut(func(o OptOut) error { list = append(list, o); return nil }); err != nil {
		t.Fatal(err)
	}
	wantList := []OptOut{
		{Number: num(2), Added: ts(30), Source: SourceReply, Note: "stop"},
		{Number: num(3), Added: ts(35), Source: SourceButton, Note: "Stop promotions"},
		{Number: num(4), Added: ts(40), Source: SourceReply, Note: "STOP"},
	}
	if !reflect.DeepEqual(list, wantList) {
		t.Fatalf("opt-out list %+v\nwant %+v", list, wantList)
	}
	f, err := s.Funnel(id)
	if err != nil || f != (Funnel{Sent: 5, Delivered: 1, Replied: 5, OptedOut: 3}) {
		t.Fatalf("funnel %+v %v", f, err)
	}
	var inbound int
	s.db.QueryRow(`SELECT COUNT(*) FROM inbound`).Scan(&inbound)
	if inbound != len(batch) {
		t.Fatalf("%d inbound records, want %d", inbound, len(batch))
	}
	if ok, err := s.WroteSince(num(1), ts(20)); err != nil || !ok {
		t.Fatalf("WroteSince: %v %v", ok, err)
	}
	if ok, _ := s.WroteSince(num(1), ts(26)); ok {
		t.Fatal("WroteSince after the last reply")
	}
}

// TestButtonTapBeforeItsCampaignIsKnown: the tap's decision waits until the answered message has a row.
func TestButtonTapBeforeItsCampaignIsKnown(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(1))
	if err := s.SetOptOutButtons(id, []OptOutButton{{Label: "No more"}}); err != nil {
		t.Fatal(err)
	}
	tap := InboundMessage{Inbound: providers.Inbound{ID: "i1", From: "4479110000001", At: ts(9), Type: "button",
		Text: "No more", ButtonText: "No more", ButtonPayload: "No more", ContextID: "c.1"}}
	if _, err := s.RecordCallbacks(CallbackBatch{Profile: "p", Rehearsal: true, Inbound: []InboundMessage{tap}}); err != nil {
		t.Fatal(err)
	}
	if set, _ := s.OptedOut(true); len(set) != 0 {
		t.Fatalf("opted out before the campaign was known: %v", set)
	}
	recordSent(t, s, id, "c", 1, 1)
	if err := s.Reconcile(time.Time{}); err != nil {
		t.Fatal(err)
	}
	set, err := s.OptedOut(true)
	if err != nil || len(set) != 1 {
		t.Fatalf("sandbox campaigns: %v %v", set, err)
	}
	if real, _ := s.OptedOut(false); len(real) != 0 {
		t.Fatalf("a rehearsal opt-out suppresses a real campaign: %v", real)
	}
}

func TestOptOutList(t *testing.T) {
	s := newTestStore(t)
	added, err := s.AddOptOuts([]OptOut{{Number: "447400123593", Source: SourceManual, Note: "asked by phone"},
		{Number: "491512345678", Source: SourceImport, Added: ts(1)}})
	if err != nil || added != 2 {
		t.Fatalf("add: %d %v", added, err)
	}
	if added, err = s.AddOptOuts([]OptOut{{Number: "447400123593", Source: SourceImport}}); err != nil || added != 0 {
		t.Fatalf("add again: %d %v", added, err)
	}
	removed, err := s.RemoveOptOuts([]string{"491512345678", "15550001111"})
	if err != nil || removed != 1 {
		t.Fatalf("remove: %d %v", removed, err)
	}
	set, err := s.OptedOut(false)
	if _, ok := set["447400123593"]; err != nil || len(set) != 1 || !ok {
		t.Fatalf("opted out: %v %v", set, err)
	}
}

// TestSuppressOptedOutOnResume: ready rows whose number opted out after the campaign was checked are suppressed;
// a sandbox opt-out only in a sandbox campaign.
func TestSuppressOptedOutOnResume(t *testing.T) {
	s := newTestStore(t)
	id := plan(t, s, testInfo("c", "fp"), readyRows(3))
	recordSent(t, s, id, "c", 1, 1)
	if _, err := s.AddOptOuts([]OptOut{{Number: "4479110000001", Source: SourceManual},
		{Number: "4479110000002", Source: SourceManual}, {Number: "4479110000003", Source: SourceRehearsal}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.SuppressOptedOut(id, false, "opted out")
	if err != nil || n != 1 {
		t.Fatalf("suppressed %d %v, want 1 (row 1 was sent already, row 3 opted out of a rehearsal)", n, err)
	}
	rows := allRows(t, s, id)
	if r := rows[2]; r.Status != status.Suppressed || r.Code != status.CodeOptedOut {
		t.Fatalf("row 2: %+v", r)
	}
	if rows[1].Status != status.Sent || rows[3].Status != status.Ready {
		t.Fatalf("rows 1 and 3: %s %s", rows[1].Status, rows[3].Status)
	}
	if n, _ := s.SuppressOptedOut(id, true, "opted out"); n != 1 {
		t.Fatalf("a sandbox campaign suppressed %d, want row 3", n)
	}
}
