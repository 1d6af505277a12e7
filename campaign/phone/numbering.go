package phone

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// numberPlans is libphonenumber's metadata with every pattern compiled once: the fast path. Its number method
// decides exactly what phonenumbers.Parse + IsValidNumber + Format(E164) decide for a compact number (an
// optional '+' and ASCII digits; phone_test.go proves it over a corpus and a fuzz test), in a fraction of the
// time: the library rebuilds each pattern's text, looks it up in a locked cache and allocates ~60 times per
// number. Each method below mirrors the library function it names; read them side by side.
type numberPlans struct {
	byRegion map[string]*numberPlan
	nonGeo   map[int]*numberPlan // non-geographic calling codes (+800, +882, ...)
}

// numberPlan is one region's (or non-geographic calling code's) metadata, compiled.
type numberPlan struct {
	countryCode         int
	countryCodeText     string
	internationalPrefix *regexp.Regexp // ^(?:prefix)
	nationalPrefix      *regexp.Regexp // ^(?:prefix for parsing); nil when the region has none
	transformRule       string
	leadingDigits       *regexp.Regexp // ^(?:digits); nil when the region has none
	general             numberDesc
	localOnlyLengths    []int32
	kinds               []numberDesc // fixed line, mobile (unless the same), premium rate, ...: any match is valid
}

// numberDesc is one kind of number: its possible lengths (none: any) and its pattern, ^(?:pattern)$.
type numberDesc struct {
	lengths []int32
	pattern *regexp.Regexp
}

// newNumberPlans compiles the metadata of every supported region and non-geographic calling code.
func newNumberPlans() (*numberPlans, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, fmt.Errorf("read the metadata collection: %w", err)
	}
	ps := &numberPlans{byRegion: map[string]*numberPlan{}, nonGeo: map[int]*numberPlan{}}
	regions, nonGeo := phonenumbers.GetSupportedRegions(), phonenumbers.GetSupportedGlobalNetworkCallingCodes()
	for _, m := range coll.GetMetadata() {
		switch {
		case m.GetId() == "001" && nonGeo[int(m.GetCountryCode())]:
			ps.nonGeo[int(m.GetCountryCode())] = newNumberPlan(m)
		case regions[m.GetId()]:
			ps.byRegion[m.GetId()] = newNumberPlan(m)
		}
	}
	return ps, nil
}

// newNumberPlan compiles one metadata entry. Its patterns are the library's own, which compiles them the same way.
func newNumberPlan(m *phonenumbers.PhoneMetadata) *numberPlan {
	p := &numberPlan{
		countryCode:         int(m.GetCountryCode()),
		countryCodeText:     strconv.Itoa(int(m.GetCountryCode())),
		internationalPrefix: regexp.MustCompile("^(?:" + m.GetInternationalPrefix() + ")"),
		transformRule:       m.GetNationalPrefixTransformRule(),
		general:             newNumberDesc(m.GetGeneralDesc()),
		localOnlyLengths:    m.GetGeneralDesc().GetPossibleLengthLocalOnly(),
	}
	if s := m.GetNationalPrefixForParsing(); s != "" {
		p.nationalPrefix = regexp.MustCompile("^(?:" + s + ")")
	}
	if s := m.GetLeadingDigits(); s != "" {
		p.leadingDigits = regexp.MustCompile("^(?:" + s + ")")
	}
	kinds := []*phonenumbers.PhoneNumberDesc{m.GetFixedLine()}
	if !m.GetSameMobileAndFixedLinePattern() {
		kinds = append(kinds, m.GetMobile())
	}
	kinds = append(kinds, m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(), m.GetVoip(),
		m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail())
	for _, d := range kinds {
		p.kinds = append(p.kinds, newNumberDesc(d))
	}
	return p
}

func newNumberDesc(d *phonenumbers.PhoneNumberDesc) numberDesc {
	return numberDesc{lengths: d.GetPossibleLength(), pattern: regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$")}
}

// matches mirrors isNumberMatchingDesc.
func (d *numberDesc) matches(nsn string) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.pattern.MatchString(nsn)
}

// number mirrors Parse(number, region) + IsValidNumber + Format(E164), without the '+'.
func (ps *numberPlans) number(number, region string) (string, bool) {
	cc, nsn, ok := ps.parse(number, ps.byRegion[region])
	if !ok || !ps.valid(cc, nsn) {
		return "", false
	}
	ccText := strconv.Itoa(cc)
	if len(number) == 1+len(ccText)+len(nsn) && number[0] == '+' && number[1:1+len(ccText)] == ccText &&
		number[1+len(ccText):] == nsn {
		return number[1:], true // already the digits: no allocation
	}
	return ccText + nsn, true
}

// parse mirrors parseHelper: the country code and national significant number of a compact number.
func (ps *numberPlans) parse(number string, region *numberPlan) (cc int, nsn string, ok bool) {
	digits, plus := strings.CutPrefix(number, "+")
	if len(number) > maxNumberText || len(digits) < 2 || plus && len(digits) < 3 || region == nil && !plus {
		return 0, "", false // isViablePhoneNumber, checkRegionForParsing
	}
	cc, nsn, err := ps.extractCountryCode(number, region)
	if errors.Is(err, phonenumbers.ErrInvalidCountryCode) && plus {
		if cc, nsn, err = ps.extractCountryCode(digits, region); err == nil && cc == 0 {
			return 0, "", false
		}
	}
	if err != nil {
		return 0, "", false
	}
	plan := region
	if cc != 0 {
		plan = ps.plan(cc, phonenumbers.GetRegionCodeForCountryCode(cc))
	} else {
		cc, nsn = region.countryCode, digits
	}
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN {
		return 0, "", false
	}
	if plan != nil {
		if stripped := plan.stripNationalPrefix(nsn); stripped != nsn {
			if r := plan.testLength(stripped); r == phonenumbers.IS_POSSIBLE || r == phonenumbers.TOO_LONG {
				nsn = stripped
			}
		}
	}
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN || len(nsn) > phonenumbers.MAX_LENGTH_FOR_NSN {
		return 0, "", false
	}
	return cc, nsn, true
}

// errTooShortAfterIDD stands for the library's error of that name.
var errTooShortAfterIDD = phonenumbers.ErrTooShortAfterIDD

// extractCountryCode mirrors maybeExtractCountryCode: cc 0 when the number carries none.
func (ps *numberPlans) extractCountryCode(number string, region *numberPlan) (cc int, nsn string, err error) {
	full, international := strings.CutPrefix(number, "+")
	if !international && region != nil { // parsePrefixAsIdd: no prefix without a region
		if loc := region.internationalPrefix.FindStringIndex(full); loc != nil && !strings.HasPrefix(full[loc[1]:], "0") {
			full, international = full[loc[1]:], true
		}
	}
	if international {
		if len(full) <= phonenumbers.MIN_LENGTH_FOR_NSN {
			return 0, "", errTooShortAfterIDD
		}
		if full[0] != '0' { // extractCountryCode
			for i := 1; i <= 3 && i <= len(full); i++ {
				if cc, _ := strconv.Atoi(full[:i]); len(phonenumbers.GetRegionCodesForCountryCode(cc)) > 0 {
					return cc, full[i:], nil
				}
			}
		}
		return 0, "", phonenumbers.ErrInvalidCountryCode
	}
	if region != nil {
		if rest, ok := strings.CutPrefix(full, region.countryCodeText); ok {
			stripped := region.stripNationalPrefix(rest)
			if !region.general.pattern.MatchString(full) && region.general.pattern.MatchString(stripped) ||
				region.testLength(full) == phonenumbers.TOO_LONG {
				return region.countryCode, stripped, nil
			}
		}
	}
	return 0, "", nil
}

// stripNationalPrefix mirrors maybeStripNationalPrefixAndCarrierCode.
func (p *numberPlan) stripNationalPrefix(number string) string {
	if number == "" || p.nationalPrefix == nil {
		return number
	}
	groups := p.nationalPrefix.FindStringSubmatchIndex(number)
	if groups == nil {
		return number
	}
	viable := p.general.pattern.MatchString(number)
	if last := len(groups)/2 - 1; p.transformRule == "" || groups[last*2] < 0 {
		if viable && !p.general.pattern.MatchString(number[groups[1]:]) {
			return number
		}
		return number[groups[1]:]
	}
	transformed := p.nationalPrefix.ReplaceAllString(number, p.transformRule)
	if viable && !p.general.pattern.MatchString(transformed) {
		return number
	}
	return transformed
}

// testLength mirrors testNumberLength for an unknown type of number.
func (p *numberPlan) testLength(number string) phonenumbers.ValidationResult {
	lengths, n := p.general.lengths, int32(len(number))
	switch {
	case lengths[0] == -1:
		return phonenumbers.INVALID_LENGTH
	case slices.Contains(p.localOnlyLengths, n):
		return phonenumbers.IS_POSSIBLE_LOCAL_ONLY
	case lengths[0] == n:
		return phonenumbers.IS_POSSIBLE
	case lengths[0] > n:
		return phonenumbers.TOO_SHORT
	case lengths[len(lengths)-1] < n:
		return phonenumbers.TOO_LONG
	case slices.Contains(lengths[1:], n):
		return phonenumbers.IS_POSSIBLE
	}
	return phonenumbers.INVALID_LENGTH
}

// valid mirrors IsValidNumber: GetRegionCodeForNumber, then IsValidNumberForRegion.
func (ps *numberPlans) valid(cc int, nsn string) bool {
	_, ok := ps.regionOf(cc, nsn)
	return ok
}

// regionOf mirrors GetRegionCodeForNumber: the region of a number ("001" for a non-geographic calling code,
// "" when no region of its calling code matches it), and whether the number is valid there.
func (ps *numberPlans) regionOf(cc int, nsn string) (string, bool) {
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	if len(regions) == 1 {
		p := ps.plan(cc, regions[0])
		return regions[0], p != nil && (regions[0] == "001" || p.countryCode == cc) && p.validKind(nsn)
	}
	for _, r := range regions {
		p := ps.byRegion[r]
		switch {
		case p == nil:
		case p.leadingDigits != nil:
			if p.leadingDigits.MatchString(nsn) {
				return r, p.countryCode == cc && p.validKind(nsn)
			}
		case p.validKind(nsn):
			return r, p.countryCode == cc
		}
	}
	return "", false
}

// plan mirrors getMetadataForRegionOrCallingCode.
func (ps *numberPlans) plan(cc int, region string) *numberPlan {
	if region == "001" {
		return ps.nonGeo[cc]
	}
	return ps.byRegion[region]
}

// validKind mirrors getNumberTypeHelper(...) != UNKNOWN.
func (p *numberPlan) validKind(nsn string) bool {
	if !p.general.matches(nsn) {
		return false
	}
	for i := range p.kinds {
		if p.kinds[i].matches(nsn) {
			return true
		}
	}
	return false
}
