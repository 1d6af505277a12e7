package guards

import (
	"fmt"
	"sort"
	"strings"

	"herald/campaign/human"
)

// Estimate adds up what a campaign's messages cost: each message is priced by its number's country and the
// template's category. It counts messages per country and multiplies once at the end, in integers.
type Estimate struct {
	// Category is the template's category (marketing, utility, authentication).
	Category string
	// Which says which messages were counted, for the sentence ("" for the ones to send; "sent").
	Which    string
	prices   *Prices
	byRegion map[string]int
	messages int
}

// Add counts one message to a number of region (an ISO 3166 code; "" when unknown).
func (e *Estimate) Add(region string) {
	e.byRegion[region]++
	e.messages++
}

// Messages is how many messages were counted.
func (e *Estimate) Messages() int { return e.messages }

// Totals are the sums per currency, by currency code.
func (e *Estimate) Totals() []Amount {
	sums := map[string]int64{}
	for region, n := range e.byRegion {
		if p, ok := e.prices.byKey[priceKey(region, e.Category)]; ok {
			sums[p.currency] += p.micros * int64(n)
		}
	}
	out := make([]Amount, 0, len(sums))
	for c, m := range sums {
		out = append(out, Amount{Micros: m, Currency: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// RegionCount is how many messages go to one country.
type RegionCount struct {
	Region string
	Count  int
}

// Unpriced are the countries the price table has no price of the category for, most messages first.
func (e *Estimate) Unpriced() []RegionCount {
	var out []RegionCount
	for region, n := range e.byRegion {
		if _, ok := e.prices.byKey[priceKey(region, e.Category)]; !ok {
			out = append(out, RegionCount{Region: region, Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Region < out[j].Region
	})
	return out
}

// String is the estimate as every screen prints it: "estimated cost: 12.35 USD (1,200 marketing messages);
// no price for CN (3 rows), VN (1 row)".
func (e *Estimate) String() string {
	var amounts []string
	for _, a := range e.Totals() {
		amounts = append(amounts, a.String())
	}
	cost := strings.Join(amounts, " + ")
	if cost == "" {
		cost = "unknown"
	}
	what := human.Plural(e.messages, e.Category+" message")
	if e.Which != "" {
		what += " " + e.Which
	}
	s := fmt.Sprintf("estimated cost: %s (%s)", cost, what)
	if un := e.Unpriced(); len(un) > 0 {
		const shown = 8
		parts := make([]string, 0, shown+1)
		for i, u := range un {
			if i == shown {
				parts = append(parts, fmt.Sprintf("%d more countries", len(un)-shown))
				break
			}
			name := u.Region
			if name == "" || name == "001" || name == "ZZ" {
				name = "numbers of no country"
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", name, human.Plural(u.Count, "row")))
		}
		s += fmt.Sprintf("; no %s price in %s for %s: not in the estimate", e.Category, e.prices.Path,
			strings.Join(parts, ", "))
	}
	return s
}
