package phone

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// Region is the country (ISO 3166 alpha-2) of a normalized number (digits, country code first), "" when its
// country code is unknown or not a country's. A code several countries share gives its main one (+1: US).
func Region(digits string) string {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		cc, err := strconv.Atoi(digits[:n])
		if err != nil {
			return ""
		}
		// Country calling codes are prefix-free: the first prefix that is one is the number's.
		switch r := phonenumbers.GetRegionCodeForCountryCode(cc); r {
		case phonenumbers.UNKNOWN_REGION:
		case "001": // a non-geographic code (+800, +882, ...)
			return ""
		default:
			return r
		}
	}
	return ""
}

// RegionCount is how many numbers of a file belong to one country.
type RegionCount struct {
	Region string
	Count  int
}

// RegionTally counts the countries of a file's normalized numbers, to suggest a default region for the numbers
// written without their country code: most files are one country's customers. The zero value is ready; it is
// used from one goroutine.
type RegionTally struct {
	counts map[string]int
}

// Add counts the country of a normalized number.
func (t *RegionTally) Add(digits string) {
	r := Region(digits)
	if r == "" {
		return
	}
	if t.counts == nil {
		t.counts = map[string]int{}
	}
	t.counts[r]++
}

// Top returns the countries counted, the most common first (ties by code).
func (t *RegionTally) Top() []RegionCount {
	out := make([]RegionCount, 0, len(t.counts))
	for r, n := range t.counts {
		out = append(out, RegionCount{r, n})
	}
	slices.SortFunc(out, func(a, b RegionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Region, b.Region))
	})
	return out
}

// CallingCode is the country calling code of region, as written after a +: "44" for GB; "" for an unknown
// region.
func CallingCode(region string) string {
	if cc := phonenumbers.GetCountryCodeForRegion(region); cc > 0 {
		return strconv.Itoa(cc)
	}
	return ""
}
