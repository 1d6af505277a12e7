package engagelab

import "herald/providers"

// codeMeaning is what one documented EngageLab error code means for a campaign.
type codeMeaning struct {
	Class providers.Class
	// Sentence tells the user what happened and what to do, in one plain sentence.
	Sentence string
}

// codeTable maps EngageLab's documented error codes (the "code" of a failed answer, as text) to their class.
// HTTP statuses per the document: 1000 -> 500; 2001, 2002 -> 401; 2003, 3001-3003, 4001 -> 400; 2004 -> 403;
// 5002 has none published.
//
// 2003 is fatal: EngageLab's own WhatsApp credentials for the account failed, so no row can succeed until
// EngageLab fixes it. 5002 (Meta rejected the template message) is permanent: Meta judges each message
// (recipient, parameters), so one rejection fails that row only; if the template itself is at fault every row
// fails and the engine's auto-pause stops the campaign.
var codeTable = map[string]codeMeaning{
	"1000": {providers.ClassRetryable, "EngageLab had an internal error; the message will be retried"},
	"2001": {providers.ClassFatal, "EngageLab rejected the credentials: check dev_key and dev_secret in the profile"},
	"2002": {providers.ClassFatal, "EngageLab says the API key has expired or was disabled: create a key in the EngageLab console and update dev_key and dev_secret"},
	"2003": {providers.ClassFatal, "EngageLab could not authenticate with WhatsApp for this account: contact EngageLab customer service"},
	"2004": {providers.ClassFatal, "this API key may not send from the profile's number: check from in the profile and the key's sending numbers in the EngageLab console"},
	"3001": {providers.ClassPermanent, "EngageLab could not read the request as JSON"},
	"3002": {providers.ClassPermanent, "EngageLab says the request parameters are wrong: check this row's template parameters"},
	"3003": {providers.ClassPermanent, "EngageLab says a request parameter is invalid (its message names which: the recipient's number or a template parameter): check this row's number and values"},
	"4001": {providers.ClassFatal, "the template does not exist at EngageLab: check the template's name and language in the EngageLab console"},
	"5002": {providers.ClassPermanent, "Meta rejected this template message: check this row's number and parameter values"},
}
