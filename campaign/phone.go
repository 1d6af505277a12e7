package campaign

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// PhoneNormalizer turns a recipient's phone cell into what providers want: the digits of the E.164 number,
// country code first, no '+' (447911123456). It is safe for concurrent use.
//
// It accepts a number with its country code (447911123456, +44 7911 123456, 0044 7911 123456) and, when it has
// a default region (--region), a national form ((07911) 123-456 for GB). Spaces, dashes, dots, slashes,
// brackets, invisible formatting marks (left-to-right marks copied from phones) and a "tel:" prefix are ignored;
// Arabic-Indic, Persian and full-width digits count as digits. Anything else (letters, '#', extensions) makes
// the number invalid. A number is valid when libphonenumber says it is a valid number of its country.
//
// Cells a spreadsheet has damaged are reported as such and never guessed: scientific notation (4.47911E+11),
// a trailing ".0", and more digits than any number has (a spreadsheet rounds numbers past 15 digits).
type PhoneNormalizer struct {
	region string
	plans  *numberPlans
}

// NewPhoneNormalizer returns a normalizer whose default region is region: "" for none (every number must carry
// its country code), or an ISO 3166 alpha-2 code known to libphonenumber, in any case ("gb" is GB).
func NewPhoneNormalizer(region string) (*PhoneNormalizer, error) {
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" && !phonenumbers.GetSupportedRegions()[region] {
		hint := ""
		if region == "UK" {
			hint = " (the United Kingdom is GB)"
		}
		return nil, fmt.Errorf("%q is not a country code the phone number library knows%s: use an ISO 3166 "+
			"alpha-2 code such as GB, DE or IN", region, hint)
	}
	plans, err := newNumberPlans()
	if err != nil {
		return nil, fmt.Errorf("load the phone number metadata: %w", err)
	}
	return &PhoneNormalizer{region: region, plans: plans}, nil
}

// Normalize returns raw's digits (country code first, no '+'), or a Problem (CodeEmptyNumber, CodeBadNumber or
// CodeSpreadsheetNumber) whose reason quotes the cell and says how to fix it. The caller adds the row and column.
//
// Digits are read first as a national number of the default region (libphonenumber itself recognises the
// region's country code or international prefix at the start), then as digits with a country code (a leading
// 00 is the international prefix). A number written with '+' is only read with its country code.
func (n *PhoneNormalizer) Normalize(raw string) (digits string, p *Problem) {
	return n.normalize(raw, n.plans.number)
}

// numberReader reads one candidate number (ASCII digits, maybe after a '+') in a default region ("" for none)
// and returns its E.164 digits when it is valid.
type numberReader func(number, region string) (digits string, ok bool)

// normalize is Normalize with the candidate reader given: numberPlans.number in use, the library itself in the
// tests that prove the two agree.
func (n *PhoneNormalizer) normalize(raw string, read numberReader) (string, *Problem) {
	s := strings.TrimSpace(raw)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = strings.TrimSpace(s[4:])
	}
	if s == "" {
		return "", &Problem{Code: CodeEmptyNumber, Reason: "the phone number is empty: fill it in or delete the row"}
	}
	if p := spreadsheetDamage(s); p != nil {
		return "", p
	}
	if len(s) > maxNumberText {
		return "", badNumber(s[:maxNumberText]+"...", "is too long to be a phone number",
			"check that the cell holds a single number")
	}
	number, plus, bad := compactNumber(s)
	switch {
	case bad != "":
		return "", badNumber(s, fmt.Sprintf("contains %q, which is not part of a phone number", bad),
			"keep only digits, spaces, dashes, dots, brackets and one leading +")
	case len(number) == 1:
		return "", badNumber(s, "has no digits", "fill in the phone number")
	}
	digits := number[1:]
	if !plus && n.region != "" {
		if d, ok := read(digits, n.region); ok {
			return d, nil
		}
	}
	if !plus && strings.HasPrefix(digits, "00") {
		number = "+" + digits[2:]
	}
	if d, ok := read(number, ""); ok {
		return d, nil
	}
	return "", n.diagnose(s, number, plus, digits)
}

// maxNumberText bounds the text of a phone cell, as libphonenumber does.
const maxNumberText = 250

// diagnose says why a number that no reading accepted is invalid, in the terms of the reading the user most
// likely meant: national with a default region, else with its country code.
func (n *PhoneNormalizer) diagnose(s, international string, plus bool, digits string) *Problem {
	national := !plus && !strings.HasPrefix(digits, "00")
	switch {
	case national && n.region != "":
		what, fix := whyInvalid(digits, n.region)
		return badNumber(s, what, fix)
	case national && strings.HasPrefix(digits, "0"):
		return badNumber(s, "has no country code", "write it with its country code (e.g. +44 7911 123456) or "+
			"pass --region with its country (e.g. --region GB)")
	case national:
		what, _ := whyInvalid(international, "")
		return badNumber(s, what, "write it with its country code (e.g. +44 7911 123456), or pass --region "+
			"(e.g. --region GB) if the file's numbers have none")
	}
	what, fix := whyInvalid(international, "")
	return badNumber(s, what, fix)
}

// whyInvalid asks libphonenumber why number does not read as a valid number in region.
func whyInvalid(number, region string) (what, fix string) {
	pn, err := phonenumbers.Parse(number, region)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return "does not start with a known country code", "check the country code at its start"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "is too long to be a phone number", "check that the cell holds a single number"
	case err != nil:
		return "is too short to be a phone number", "check it for missing digits"
	}
	country := phonenumbers.GetRegionCodeForNumber(pn)
	if country == "" {
		country = phonenumbers.GetRegionCodeForCountryCode(int(pn.GetCountryCode()))
	}
	if len(country) != 2 || country == phonenumbers.UNKNOWN_REGION {
		country = "+" + strconv.Itoa(int(pn.GetCountryCode()))
	}
	switch phonenumbers.IsPossibleNumberWithReason(pn) {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "does not start with a known country code", "check the country code at its start"
	case phonenumbers.TOO_SHORT:
		return "is too short for a " + country + " number", "check it for missing digits"
	case phonenumbers.TOO_LONG:
		return "is too long for a " + country + " number", "check it for extra digits"
	case phonenumbers.INVALID_LENGTH:
		return "has the wrong number of digits for a " + country + " number", "check it for missing or extra digits"
	}
	return "is not a valid " + country + " number", "check the digits"
}

// badNumber is a CodeBadNumber problem about the cell text s.
func badNumber(s, what, fix string) *Problem {
	return &Problem{Code: CodeBadNumber, Reason: fmt.Sprintf("%q %s: %s", s, what, fix)}
}

var (
	scientificNotation = regexp.MustCompile(`^[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$`)
	storedAsDecimal    = regexp.MustCompile(`^[0-9]+[.,]0+$`)
)

// maxE164Digits is the most digits a number has with its country code (ITU E.164).
const maxE164Digits = 15

// spreadsheetDamage reports a cell a spreadsheet has turned into a number and lost digits of.
func spreadsheetDamage(s string) *Problem {
	var what string
	switch {
	case strings.ContainsAny(s, "eE") && scientificNotation.MatchString(s):
		what = "is in scientific notation, so a spreadsheet has cut off its last digits"
	case strings.HasSuffix(s, "0") && storedAsDecimal.MatchString(s):
		what = "ends in .0, so a spreadsheet has stored it as a number"
	case len(s) > maxE164Digits && s[0] != '0' && strings.Trim(s, "0123456789") == "":
		what = fmt.Sprintf("has %d digits, more than any phone number (%d with its country code), so a "+
			"spreadsheet has probably rounded it", len(s), maxE164Digits)
	default:
		return nil
	}
	return &Problem{Code: CodeSpreadsheetNumber, Reason: fmt.Sprintf(
		"%q %s: format the phone column as Text in the spreadsheet and export again", s, what)}
}

// compactNumber reduces a written number to '+' and its digits in ASCII, dropping separators: spaces, dashes,
// dots, slashes, brackets and invisible formatting marks. plus reports whether s had its own leading '+'. bad is
// the first character that belongs in no phone number (a letter, '#', a second '+'), "" when there is none. s
// holds at most maxNumberText bytes.
func compactNumber(s string) (number string, plus bool, bad string) {
	var buf [maxNumberText + 1]byte
	buf[0] = '+'
	n := 1
	for _, r := range s {
		if d, ok := asciiDigit(r); ok {
			buf[n] = d
			n++
			continue
		}
		switch {
		case (r == '+' || r == '＋') && n == 1 && !plus:
			plus = true
		case r == '.' || r == '/' || r == '(' || r == ')' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) ||
			unicode.Is(unicode.Cf, r):
		default:
			return "", false, string(r)
		}
	}
	return string(buf[:n]), plus, ""
}

// asciiDigit maps an ASCII, Arabic-Indic, Persian or full-width digit to its ASCII digit.
func asciiDigit(r rune) (byte, bool) {
	for _, zero := range [...]rune{'0', '٠', '۰', '０'} {
		if zero <= r && r <= zero+9 {
			return byte('0' + r - zero), true
		}
	}
	return 0, false
}

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
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	if len(regions) == 1 {
		p := ps.plan(cc, regions[0])
		return p != nil && (regions[0] == "001" || p.countryCode == cc) && p.validKind(nsn)
	}
	for _, r := range regions {
		p := ps.byRegion[r]
		switch {
		case p == nil:
		case p.leadingDigits != nil:
			if p.leadingDigits.MatchString(nsn) {
				return p.countryCode == cc && p.validKind(nsn)
			}
		case p.validKind(nsn):
			return p.countryCode == cc
		}
	}
	return false
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
