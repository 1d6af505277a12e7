package meta

import "herald/providers"

// errorKey names one documented Graph error: its code and, for the few answers a subcode changes, the subcode
// (0 matches any subcode).
type errorKey struct {
	code, subcode int
}

// errorClass is what a documented error means for a campaign, and a sentence that tells the user what happened
// and, where it is theirs to fix, how.
type errorClass struct {
	class    providers.Class
	sentence string
}

// errorClasses maps every error code the Cloud API documents for sending a message to its class. Sources: the
// error examples of the bundled OpenAPI (meta-business-messaging-api_v23.0.yaml: 1, 2, 4, 10, 17, 100, 100/33,
// 104, 190, 200, 613, 803, 80007, 131051), provider-notes.md (130429, 131026, 131047, 131049, 131056, 132000,
// 132001, 132018) and Meta's Cloud API error-code reference for the rest. Codes 200-299 are all permission
// errors and share the row of 200.
var errorClasses = map[errorKey]errorClass{
	// Throttling: the request was fine, the sender is too fast. The engine retries the row and slows down.
	{4, 0}:      {providers.ClassRateLimited, "Meta's API call rate limit for the app was reached"},
	{17, 0}:     {providers.ClassRateLimited, "Meta's API call rate limit for the user was reached"},
	{613, 0}:    {providers.ClassRateLimited, "Meta's API call rate limit was reached"},
	{80004, 0}:  {providers.ClassRateLimited, "Meta's business use case rate limit was reached"},
	{80007, 0}:  {providers.ClassRateLimited, "the WhatsApp Business Account's API call rate limit was reached"},
	{130429, 0}: {providers.ClassRateLimited, "the business number's message throughput was reached"},
	{131048, 0}: {providers.ClassRateLimited, "Meta limits how many messages this number may send because earlier messages were blocked or reported as spam"},
	{131056, 0}: {providers.ClassRetryable, "too many messages went to this recipient in a short time (a per-recipient limit: retried for this row, the campaign keeps its pace)"},

	// Transient failures at Meta: retry with backoff.
	{1, 0}:      {providers.ClassRetryable, "Meta answered with an unknown error"},
	{2, 0}:      {providers.ClassRetryable, "Meta's service is temporarily unavailable"},
	{131000, 0}: {providers.ClassRetryable, "something went wrong at Meta"},
	{131016, 0}: {providers.ClassRetryable, "the WhatsApp service is temporarily unavailable"},
	{131057, 0}: {providers.ClassRetryable, "the WhatsApp Business Account is in maintenance mode"},
	{133004, 0}: {providers.ClassRetryable, "the WhatsApp server is temporarily unavailable"},

	// This row cannot succeed as it is; the others may.
	{100, 0}:    {providers.ClassPermanent, "Meta rejected a parameter of this message"},
	{130472, 0}: {providers.ClassPermanent, "this recipient's number is part of a Meta experiment and gets no marketing templates"},
	{130497, 0}: {providers.ClassPermanent, "the business may not message users in this recipient's country"},
	{131008, 0}: {providers.ClassPermanent, "a required parameter of this message is missing"},
	{131009, 0}: {providers.ClassPermanent, "a parameter value of this message is not valid"},
	{131021, 0}: {providers.ClassPermanent, "the recipient is the sending business number itself"},
	{131026, 0}: {providers.ClassPermanent, "WhatsApp cannot deliver to this number (not on WhatsApp, or unable to receive it)"},
	{131047, 0}: {providers.ClassPermanent, "more than 24 hours passed since the recipient last replied"},
	{131049, 0}: {providers.ClassPermanent, "Meta chose not to deliver it to keep this recipient's marketing messages within limits"},
	{131050, 0}: {providers.ClassPermanent, "the recipient stopped marketing messages from this business"},
	{131051, 0}: {providers.ClassPermanent, "the message type is not supported"},
	{131053, 0}: {providers.ClassPermanent, "Meta could not fetch the media of this message: check its link"},
	{132000, 0}: {providers.ClassPermanent, "the number of parameters does not match the template: check the template file against the approved template"},
	{132005, 0}: {providers.ClassPermanent, "the filled template text is too long"},
	{132007, 0}: {providers.ClassPermanent, "the filled template breaks WhatsApp's formatting policy"},
	{132012, 0}: {providers.ClassPermanent, "a parameter's format does not match the approved template (text, image, document ...)"},
	{132018, 0}: {providers.ClassPermanent, "a parameter has a newline, a tab or more than 4 spaces in a row"},
	{135000, 0}: {providers.ClassPermanent, "Meta rejected this message with a generic user error"},

	// No row can succeed: stop the campaign.
	{3, 0}:      {providers.ClassFatal, "the app lacks the capability or permission for this call: check the app's WhatsApp setup"},
	{10, 0}:     {providers.ClassFatal, "permission denied: give the token's system user the whatsapp_business_messaging permission"},
	{100, 33}:   {providers.ClassFatal, "the phone_number_id does not exist or the token may not use it: check phone_number_id in the profile"},
	{104, 0}:    {providers.ClassFatal, "no access token reached Meta: set access_token in the profile"},
	{190, 0}:    {providers.ClassFatal, "the access token is invalid or expired: generate a new one and set access_token in the profile"},
	{200, 0}:    {providers.ClassFatal, "the access token lacks a permission: give it whatsapp_business_messaging"},
	{368, 0}:    {providers.ClassFatal, "the account is temporarily blocked for policy violations"},
	{803, 0}:    {providers.ClassFatal, "the phone number was not found: check phone_number_id in the profile"},
	{131005, 0}: {providers.ClassFatal, "access denied: check the token's permissions for this phone number"},
	{131031, 0}: {providers.ClassFatal, "the WhatsApp Business Account is locked"},
	{131037, 0}: {providers.ClassFatal, "the business number's display name is not approved yet"},
	{131042, 0}: {providers.ClassFatal, "there is a payment problem with the WhatsApp Business Account: check its payment method"},
	{131045, 0}: {providers.ClassFatal, "the business number is not registered correctly (certificate)"},
	{132001, 0}: {providers.ClassFatal, "the template does not exist in this language: check its name and language in the template file"},
	{132015, 0}: {providers.ClassFatal, "the template is paused for low quality"},
	{132016, 0}: {providers.ClassFatal, "the template is disabled"},
	{133010, 0}: {providers.ClassFatal, "the business number is not registered with the Cloud API"},
}

// lookupClass finds the row of a Graph error: its code and subcode first, then its code alone.
func lookupClass(code, subcode int) (errorClass, bool) {
	if code >= 200 && code <= 299 {
		code = 200
	}
	if subcode != 0 {
		if c, ok := errorClasses[errorKey{code, subcode}]; ok {
			return c, true
		}
	}
	c, ok := errorClasses[errorKey{code, 0}]
	return c, ok
}
