package phone

import (
	"slices"
	"testing"
)

func TestRegion(t *testing.T) {
	for digits, want := range map[string]string{
		"447400123593": "GB", "4915123456926": "DE", "33612345815": "FR", "12025550123": "US",
		"35312345678": "IE", "8613800138000": "CN", "80012345678": "", "": "", "999": "",
	} {
		if got := Region(digits); got != want {
			t.Errorf("Region(%q) = %q, want %q", digits, got, want)
		}
	}
	if got := CallingCode("GB"); got != "44" {
		t.Errorf("CallingCode(GB) = %q", got)
	}
	if got := CallingCode("XX"); got != "" {
		t.Errorf("CallingCode(XX) = %q", got)
	}
}

func TestRegionTallySuggestsTheMostCommonCountry(t *testing.T) {
	var tally RegionTally
	if top := tally.Top(); len(top) != 0 {
		t.Fatalf("empty tally: %v", top)
	}
	for _, d := range []string{"447400123593", "4915123456926", "447400123594", "33612345815", "447400123595", "80012345678"} {
		tally.Add(d)
	}
	want := []RegionCount{{"GB", 3}, {"DE", 1}, {"FR", 1}}
	if got := tally.Top(); !slices.Equal(got, want) {
		t.Errorf("Top() = %v, want %v", got, want)
	}
}
