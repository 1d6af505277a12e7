package phone

import (
	"errors"
	"fmt"
	"herald/campaign/status"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Normalizer turns a recipient's phone cell into what providers want: the digits of the E.164 number,
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
type Normalizer struct {
	region string
	plans  *numberPlans
}

// NewNormalizer returns a normalizer whose default region is region: "" for none (every number must carry
// its country code), or an ISO 3166 alpha-2 code known to libphonenumber, in any case ("gb" is GB).
func NewNormalizer(region string) (*Normalizer, error) {
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" && !phonenumbers.GetSupportedRegions()[region] {
		hint := ""
		if region == "UK" {
			hint = " (the United Kingdom is GB)"
		}
		return nil, fmt.Errorf("%q is not a country code the phone number library knows%s: use an ISO 3166 "+
			"alpha-2 code such as GB, DE or IN", region, hint)
	}
	plans, err := compiledPlans()
	if err != nil {
		return nil, fmt.Errorf("load the phone number metadata: %w", err)
	}
	return &Normalizer{region: region, plans: plans}, nil
}

// compiledPlans compiles the numbering plans once for the process: they are read-only once built and safe
// for concurrent use, and each compilation cost 32 ms and 23 MB (every campaign opened, every opt-out
// imported, every template created built its own, and a TUI session keeps several).
var compiledPlans = sync.OnceValues(newNumberPlans)

// Normalize returns raw's digits (country code first, no '+'), or a Problem (status.CodeEmptyNumber, status.CodeBadNumber or
// status.CodeSpreadsheetNumber) whose reason quotes the cell and says how to fix it. The caller adds the row and column.
//
// Digits are read first as a national number of the default region (libphonenumber itself recognises the
// region's country code or international prefix at the start), then as digits with a country code (a leading
// 00 is the international prefix). A number written with '+' is only read with its country code.
func (n *Normalizer) Normalize(raw string) (digits string, p *status.Problem) {
	return n.normalize(raw, n.plans.number)
}

// Region is the country (ISO 3166 alpha-2) of a number Normalize returned, as libphonenumber's
// GetRegionCodeForNumber decides it (447911123456 is GB, 12015550123 US, 18765550123 JM); "" for a number of no
// country (+800, +882, ...).
func (n *Normalizer) Region(digits string) string {
	for i := 1; i <= 3 && i < len(digits); i++ {
		cc, err := strconv.Atoi(digits[:i])
		if err != nil {
			return ""
		}
		regions := phonenumbers.GetRegionCodesForCountryCode(cc)
		r := ""
		switch len(regions) {
		case 0:
			continue
		case 1: // most calling codes have one country: no pattern to match
			r = regions[0]
		default:
			r, _ = n.plans.regionOf(cc, digits[i:])
		}
		if r == "001" {
			return ""
		}
		return r
	}
	return ""
}

// numberReader reads one candidate number (ASCII digits, maybe after a '+') in a default region ("" for none)
// and returns its E.164 digits when it is valid.
type numberReader func(number, region string) (digits string, ok bool)

// normalize is Normalize with the candidate reader given: numberPlans.number in use, the library itself in the
// tests that prove the two agree.
func (n *Normalizer) normalize(raw string, read numberReader) (string, *status.Problem) {
	s := strings.TrimSpace(raw)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = strings.TrimSpace(s[4:])
	}
	if s == "" {
		return "", &status.Problem{Code: status.CodeEmptyNumber, Reason: "the phone number is empty: fill it in or delete the row"}
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
func (n *Normalizer) diagnose(s, international string, plus bool, digits string) *status.Problem {
	national := !plus && !strings.HasPrefix(digits, "00")
	switch {
	case national && n.region != "":
		what, fix := whyInvalid(digits, n.region)
		return badNumber(s, what, fix)
	case national && strings.HasPrefix(digits, "0"):
		return badNumber(s, "has no country code", "write it with its country code (e.g. +44 7911 123456) or "+
			"set the default region to its country (--region GB, or Region on the TUI's setup)")
	case national:
		what, _ := whyInvalid(international, "")
		return badNumber(s, what, "write it with its country code (e.g. +44 7911 123456), or set the default "+
			"region (--region GB, or Region on the TUI's setup) if the file's numbers have none")
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

// badNumber is a status.CodeBadNumber problem about the cell text s.
func badNumber(s, what, fix string) *status.Problem {
	return &status.Problem{Code: status.CodeBadNumber, Reason: fmt.Sprintf("%q %s: %s", s, what, fix)}
}

var (
	scientificNotation = regexp.MustCompile(`^[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$`)
	storedAsDecimal    = regexp.MustCompile(`^[0-9]+[.,]0+$`)
)

// maxE164Digits is the most digits a number has with its country code (ITU E.164).
const maxE164Digits = 15

// spreadsheetDamage reports a cell a spreadsheet has turned into a number and lost digits of.
func spreadsheetDamage(s string) *status.Problem {
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
	return &status.Problem{Code: status.CodeSpreadsheetNumber, Reason: fmt.Sprintf(
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
