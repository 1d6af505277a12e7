package itniotech

import (
	"fmt"

	"herald/providers"
)

// codeInfo is what one documented status code means for a campaign.
type codeInfo struct {
	class providers.Class
	// sentence says what went wrong and, where the user can, how to fix it.
	sentence string
}

// Sentences shared by several codes.
const (
	fixBusinessPhone = "the business number is wrong or unusable: check business_phone in the profile (digits, country code first) and its status in the Itniotech console"
	fixTemplate      = "the template is not usable as it stands at Itniotech: check the template in the Itniotech console"
	fixRecipient     = "the recipient number is not valid for Itniotech: digits only, country code first"
	fixParameter     = "check the row's values against the template"
	fixRequest       = "Itniotech rejected the request's form, which herald builds the same for every row: report this to herald's maintainers"
)

// codes maps every status code in Itniotech's documents (custom/sendMsg, template/add, template/sendMsg) to its
// class. Codes about the account, the application, the business number, the template or the request's fixed
// shape stop the campaign; codes about one row's recipient or values fail the row; -4 and -5 are retried (a
// retry signs with a fresh timestamp). Status "0" is success and is not listed.
var codes = map[string]codeInfo{
	"-1":   {providers.ClassFatal, "authentication failed: check api_key and api_secret in the profile"},
	"-2":   {providers.ClassFatal, "the template's status does not allow sending (not approved, paused or disabled): check it in the Itniotech console"},
	"-4":   {providers.ClassRetryable, "the request's timestamp expired: if this repeats, set this computer's clock right"},
	"-5":   {providers.ClassRetryable, "Itniotech had a system exception"},
	"-6":   {providers.ClassFatal, "this computer's IP address is not allowed: add it to the IP allow list in the Itniotech console"},
	"-7":   {providers.ClassPermanent, "Itniotech could not parse the request JSON: " + fixParameter},
	"-8":   {providers.ClassPermanent, "Itniotech's parameter check failed: " + fixParameter},
	"-10":  {providers.ClassFatal, "the application does not exist: check app_id in the profile"},
	"-11":  {providers.ClassFatal, "the application name already exists: " + fixRequest},
	"-12":  {providers.ClassPermanent, "Itniotech reported a network exception or a parameter error: " + fixParameter},
	"-14":  {providers.ClassFatal, "the Itniotech account is not authenticated: complete its verification in the Itniotech console"},
	"-16":  {providers.ClassFatal, "a template of this name was deleted and cannot be used again within a month: use another template"},
	"-18":  {providers.ClassFatal, "the template's media sample (fileId) is blank: " + fixTemplate},
	"-19":  {providers.ClassFatal, "the template's media sample (fileId) is blank: " + fixTemplate},
	"-21":  {providers.ClassPermanent, "the header text is too long: keep the filled header within 60 characters"},
	"-23":  {providers.ClassFatal, "a template button has no type: " + fixTemplate},
	"-24":  {providers.ClassFatal, "the template has too many buttons: " + fixTemplate},
	"-32":  {providers.ClassFatal, "a template with this name and language already exists: " + fixRequest},
	"-33":  {providers.ClassFatal, "the template name's format is wrong: use lowercase letters, digits and underscores in the template file"},
	"-34":  {providers.ClassFatal, "the template has consecutive variables: " + fixTemplate},
	"-37":  {providers.ClassFatal, "Itniotech failed to create the template: " + fixTemplate},
	"-38":  {providers.ClassFatal, "the template was not found: check name and language in the template file"},
	"-40":  {providers.ClassFatal, "the template's example file is too large: " + fixTemplate},
	"-68":  {providers.ClassFatal, "the Itniotech account's balance is insufficient: top it up"},
	"-69":  {providers.ClassPermanent, "Itniotech has no rate (price) for this message: ask Itniotech to enable the recipient's destination"},
	"-70":  {providers.ClassPermanent, "the recipient number is too long: " + fixRecipient},
	"-71":  {providers.ClassPermanent, "the recipient number is too short: " + fixRecipient},
	"-72":  {providers.ClassPermanent, "the recipient number's format is incorrect: " + fixRecipient},
	"-74":  {providers.ClassFatal, "the language code's format is wrong: set language in the template file (such as en_US)"},
	"-75":  {providers.ClassFatal, "the template type does not match the existing type: " + fixTemplate},
	"-76":  {providers.ClassFatal, "the template type is wrong: " + fixTemplate},
	"-77":  {providers.ClassFatal, "a template phone number or area code is malformed: " + fixTemplate},
	"-78":  {providers.ClassFatal, "the language is not one Itniotech knows: set language in the template file (such as en_US)"},
	"-82":  {providers.ClassFatal, "the template's body example is too long: " + fixTemplate},
	"-83":  {providers.ClassPermanent, "the parameters' format is wrong: " + fixParameter},
	"-84":  {providers.ClassPermanent, "a text is empty: " + fixParameter},
	"-86":  {providers.ClassFatal, "the template body's type is missing: " + fixTemplate},
	"-87":  {providers.ClassFatal, "the template footer's type is missing: " + fixTemplate},
	"-88":  {providers.ClassFatal, "the template footer's text is too long: " + fixTemplate},
	"-89":  {providers.ClassFatal, "a template component is missing: " + fixTemplate},
	"-90":  {providers.ClassFatal, "the template header has consecutive variables: " + fixTemplate},
	"-91":  {providers.ClassFatal, "the template header's variables do not match its examples (at most one is allowed): " + fixTemplate},
	"-92":  {providers.ClassFatal, "a button text is longer than 25 characters: " + fixTemplate},
	"-93":  {providers.ClassFatal, "the business number is too long: " + fixBusinessPhone},
	"-94":  {providers.ClassFatal, "the business number is too short: " + fixBusinessPhone},
	"-95":  {providers.ClassFatal, "the business number is not a number: " + fixBusinessPhone},
	"-96":  {providers.ClassFatal, "the business number does not exist: " + fixBusinessPhone},
	"-97":  {providers.ClassFatal, "the business number's status is abnormal: " + fixBusinessPhone},
	"-99":  {providers.ClassFatal, "the channelType is wrong: " + fixRequest},
	"-100": {providers.ClassFatal, "the template header's format is missing: " + fixTemplate},
	"-101": {providers.ClassPermanent, "a value's format is wrong: " + fixParameter},
	"-102": {providers.ClassFatal, "the template's button type is wrong (only OTP is supported there): " + fixTemplate},
	"-103": {providers.ClassFatal, "the template body's text is missing: " + fixTemplate},
	"-104": {providers.ClassFatal, "the template body's security recommendation is wrong: " + fixTemplate},
	"-105": {providers.ClassFatal, "the template footer is longer than 60 characters: " + fixTemplate},
	"-106": {providers.ClassFatal, "the template's code expiration is over 90 minutes: " + fixTemplate},
	"-107": {providers.ClassFatal, "the application has no alias: set one in the Itniotech console"},
	"-108": {providers.ClassFatal, "the template's OTP button type is missing: " + fixTemplate},
	"-109": {providers.ClassFatal, "the authentication template has no buttons: " + fixTemplate},
	"-112": {providers.ClassFatal, "the channelType must be 0: " + fixRequest},
	"-114": {providers.ClassPermanent, "a text parameter is missing: " + fixParameter},
	"-115": {providers.ClassPermanent, "the body parameter is missing: " + fixParameter},
	"-116": {providers.ClassPermanent, "the image parameter is missing: " + fixParameter},
	"-117": {providers.ClassPermanent, "the image link is missing: " + fixParameter},
	"-118": {providers.ClassPermanent, "the audio parameter is missing: " + fixParameter},
	"-119": {providers.ClassPermanent, "the audio link is missing: " + fixParameter},
	"-120": {providers.ClassPermanent, "the video parameter is missing: " + fixParameter},
	"-121": {providers.ClassPermanent, "the video link is missing: " + fixParameter},
	"-122": {providers.ClassPermanent, "the sticker parameter is missing: " + fixParameter},
	"-123": {providers.ClassPermanent, "the sticker link is missing: " + fixParameter},
	"-124": {providers.ClassPermanent, "the document parameter is missing: " + fixParameter},
	"-125": {providers.ClassPermanent, "the document link is missing: " + fixParameter},
	"-127": {providers.ClassPermanent, "the location parameter is missing: " + fixParameter},
	"-128": {providers.ClassPermanent, "the location's longitude is missing: " + fixParameter},
	"-129": {providers.ClassPermanent, "the location's latitude is missing: " + fixParameter},
	"-132": {providers.ClassFatal, "Itniotech does not know the message type: " + fixRequest},
	"-133": {providers.ClassPermanent, "a link's format is incorrect: use a full https:// link"},
	"-134": {providers.ClassPermanent, "a parameter's type is wrong for its place in the template: " + fixParameter},
	"-135": {providers.ClassPermanent, "a variable parameter is missing: " + fixParameter},
}

// statusError classifies a non-zero status: by the table when the code is documented, else by the HTTP status
// (429 rate-limited, 5xx retryable, 401/403 fatal), else permanent for a well-formed error answer.
func statusError(a providers.Answer, code, reason string) *providers.Error {
	e := &providers.Error{Code: code, HTTPStatus: a.Status, RetryAfter: providers.RetryAfter(a.Header)}
	if info, ok := codes[code]; ok {
		e.Class, e.Message = info.class, info.sentence
	} else {
		e.Class = providers.ClassForStatus(a.Status)
		if e.Class == providers.ClassUnknown {
			e.Class = providers.ClassPermanent
		}
		e.Message = fmt.Sprintf("Itniotech refused the message with status %s (HTTP %d)", code, a.Status)
	}
	if reason != "" {
		e.Message += fmt.Sprintf(" (Itniotech says %q)", providers.Snippet([]byte(reason), 200))
	}
	return e
}
