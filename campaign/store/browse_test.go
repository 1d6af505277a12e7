package store

import (
	"errors"
	"slices"
	"testing"

	"herald/campaign/status"
)

// TestRowsAndRowBrowseACampaign: one row by its number, pages of rows by status, in row order.
func TestRowsAndRowBrowseACampaign(t *testing.T) {
	s := newTestStore(t)
	rows := readyRows(5)
	rows[1].Status, rows[1].Code, rows[1].Error = status.Invalid, status.CodeBadNumber, "not a number"
	rows[3].Status, rows[3].Code, rows[3].Error = status.Invalid, status.CodeBadNumber, "not a number"
	id := plan(t, s, testInfo("c", "fp"), rows)

	r, ok, err := s.Row(id, 2)
	if err != nil || !ok || r.Status != status.Invalid || r.Code != status.CodeBadNumber || r.Fields[1] != "Ann" {
		t.Fatalf("Row(2) = %+v, %v, %v", r, ok, err)
	}
	if _, ok, err := s.Row(id, 99); ok || err != nil {
		t.Errorf("Row(99): found %v, %v", ok, err)
	}
	rowNums := func(rs []Row) []int {
		var out []int
		for _, r := range rs {
			out = append(out, r.Row)
		}
		return out
	}
	for _, tc := range []struct {
		after, limit int
		statuses     []string
		want         []int
	}{
		{0, 10, nil, []int{1, 2, 3, 4, 5}},
		{0, 2, nil, []int{1, 2}},
		{2, 2, nil, []int{3, 4}},
		{0, 10, []string{status.Invalid}, []int{2, 4}},
		{2, 10, []string{status.Invalid, status.Ready}, []int{3, 4, 5}},
		{0, 10, []string{status.Sent}, nil},
	} {
		got, err := s.Rows(id, tc.after, tc.limit, tc.statuses...)
		if err != nil || !slices.Equal(rowNums(got), tc.want) {
			t.Errorf("Rows(after %d, limit %d, %v) = %v, %v; want %v", tc.after, tc.limit, tc.statuses, rowNums(got), err, tc.want)
		}
	}
	if _, err := s.Rows(id, 0, 0); err == nil {
		t.Error("a page of 0 rows was accepted")
	}
}

// TestBusyTellsALiveRunFromAnInterruptedOne: Busy holds while the campaign's lock is taken and not after; it
// does not take the lock for good.
func TestBusyTellsALiveRunFromAnInterruptedOne(t *testing.T) {
	s := newTestStore(t)
	if busy, err := s.Busy("spring"); busy || err != nil {
		t.Fatalf("nobody holds it: busy %v, %v", busy, err)
	}
	unlock, err := s.Lock("spring")
	if err != nil {
		t.Fatalf("Busy kept the lock: %v", err)
	}
	if busy, err := s.Busy("spring"); !busy || err != nil {
		t.Errorf("held: busy %v, %v", busy, err)
	}
	if _, err := s.Lock("spring"); !errors.Is(err, ErrBusy) {
		t.Errorf("a second Lock: %v, want ErrBusy", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if busy, err := s.Busy("spring"); busy || err != nil {
		t.Errorf("released: busy %v, %v", busy, err)
	}
}

// TestCampaignKeepsItsReadingOptions: the region and phone column a campaign was checked with come back, so
// that it can be resumed as it was.
func TestCampaignKeepsItsReadingOptions(t *testing.T) {
	s := newTestStore(t)
	info := testInfo("c", "fp")
	info.Region, info.PhoneColumn = "GB", "mobile"
	plan(t, s, info, readyRows(1))
	got, _, err := s.Campaign("c")
	if err != nil || got.Region != "GB" || got.PhoneColumn != "mobile" {
		t.Fatalf("Campaign: region %q, phone column %q, %v", got.Region, got.PhoneColumn, err)
	}
	info.Fingerprint, info.Region = "fp2", "IE"
	plan(t, s, info, readyRows(1))
	if list, err := s.Campaigns(); err != nil || list[0].Region != "IE" {
		t.Fatalf("replanned: %+v, %v", list, err)
	}
}
