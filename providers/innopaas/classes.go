package innopaas

import "herald/providers"

// codeMeaning is what one InnoPaaS answer code means for the campaign: its class and a sentence for the user.
type codeMeaning struct {
	class providers.Class
	human string
}

// successCode is the code of a submitted message.
const successCode = "0"

// codeTable maps the codes an InnoPaaS answer may carry to their class. The first block is InnoPaaS's own
// published list (provider-notes.md). The second holds Meta's Cloud API codes that bound every provider sitting on
// it (provider-notes.md, "Bounds that apply through every provider"): InnoPaaS publishes no code of its own for a
// missing template or Meta's throughput limit, so herald reads Meta's codes when InnoPaaS relays them. Codes not
// listed fall back on the HTTP status (see classify). The table is never written after start-up.
var codeTable = map[string]codeMeaning{
	"101": {providers.ClassFatal, "InnoPaaS does not know this account: check app_key and waba_id in the innopaas profile"},
	"102": {providers.ClassFatal, "InnoPaaS refused the token: set token in the innopaas profile to the one the console shows now (generating a new token revokes the old one)"},
	// 105: herald's uid is at most 32 characters by contract, so this answer means herald built a bad reference.
	// Every row's reference is built the same way, so no row would succeed: stop at once rather than fail rows.
	"105": {providers.ClassFatal, "InnoPaaS says the uid (herald's row reference) is longer than 32 characters: this is a herald bug, please report it"},
	"108": {providers.ClassPermanent, "InnoPaaS says the recipient's number is not in a valid format (country code and number, digits only)"},
	"109": {providers.ClassPermanent, "InnoPaaS says the request has a wrong number of recipients (1 to 1000)"},
	"110": {providers.ClassFatal, "the InnoPaaS account's balance is too low: top it up in the InnoPaaS console, then run the same command again"},
	"114": {providers.ClassFatal, "InnoPaaS does not accept requests from this machine's IP address: add it to the allowed IPs in the InnoPaaS console"},
	"118": {providers.ClassFatal, "InnoPaaS does not know the sending number: set send_number in the innopaas profile to a number of this WhatsApp Business account (country code and number)"},

	"130429": {providers.ClassRateLimited, "WhatsApp's throughput limit for the business number was reached: herald slows down"},
	"131026": {providers.ClassPermanent, "WhatsApp could not deliver to this number (not on WhatsApp, or it cannot receive this message)"},
	"131047": {providers.ClassPermanent, "WhatsApp refused the message: more than 24 hours passed since the recipient last replied"},
	"131049": {providers.ClassPermanent, "WhatsApp did not deliver this marketing message: the recipient has reached their marketing message limit"},
	"131056": {providers.ClassRetryable, "WhatsApp allows about one message every 6 seconds to the same recipient: herald retries later"},
	"132000": {providers.ClassPermanent, "WhatsApp says the number of parameters does not match the approved template: check the template file against the template at the provider"},
	"132001": {providers.ClassFatal, "WhatsApp says the template does not exist in this language: check name and language in the template file against the approved template"},
	"132018": {providers.ClassPermanent, "WhatsApp refused a parameter: it contains a newline, a tab or more than 4 spaces in a row"},
}
