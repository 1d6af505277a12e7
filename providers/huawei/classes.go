package huawei

import (
	"encoding/json"
	"net/http"
	"strconv"

	"herald/providers"
)

// codeClass is what a CEC answer means for a campaign, and a sentence that tells the user what happened and,
// where it is theirs to fix, how.
type codeClass struct {
	class    providers.Class
	sentence string
}

// codeClasses maps every answer the CEC documents for sendWhatsappMessage to its class. The document lists no
// error codes ("Error Codes: None"), so the rows are:
//   - the HTTP statuses it documents (400, 401, 404, 500), the API Fabric gateway's 403 for an expired token
//     (CC-Messaging applyToken document) and 429 for flow control; the error body is {"errorCode",
//     "exceptionInfo"} or a gateway's (see fabricError). Other statuses take the default table (502, 503, 504
//     are retried);
//   - the names of a destination's status in a 200 answer. The StatusObject (groupId, groupName, id, name,
//     description, action) is the OMNI status object of the API this endpoint mirrors (/omni/1/advanced), whose
//     rejected-status names are listed here where they change what the engine does.
//
// A status whose name is not listed takes the row of its group (failedGroups).
var codeClasses = map[string]codeClass{
	"http_400": {providers.ClassPermanent, "the CEC found the request incorrect: check this row's parameters against the template registered in the CEC"},
	"http_401": {providers.ClassFatal, "the CEC refused a freshly fetched access token: check that the WhatsApp service is purchased for this app_key and that the account is active"},
	"http_403": {providers.ClassFatal, "the CEC refused access with a freshly fetched access token: check that this app_key may send WhatsApp messages and that this machine's address is allowed"},
	"http_404": {providers.ClassFatal, "the CEC found no such resource: check base_url and that the template exists in the CEC with this name and language"},
	"http_429": {providers.ClassRateLimited, "the CEC's flow control refused the request as too fast"},
	// 500 is documented as "Incorrect request. Check the values of parameters in the request.": the row's
	// values, which a retry sends again unchanged. A CEC that is down answers through its gateway (502, 503, 504).
	"http_500": {providers.ClassPermanent, "the CEC found a value in the request incorrect (HTTP 500, as its document describes it): check this row's parameter values against the template registered in the CEC"},

	"REJECTED_DESTINATION":             {providers.ClassPermanent, "the number is not a valid destination: check it"},
	"REJECTED_PREFIX_MISSING":          {providers.ClassPermanent, "the number's country prefix or length is wrong: check it"},
	"REJECTED_DESTINATION_BLOCKLISTED": {providers.ClassPermanent, "the number is blocklisted for this account"},
	"REJECTED_NETWORK":                 {providers.ClassPermanent, "the account does not cover the recipient's network"},
	"REJECTED_SYSTEM_ERROR":            {providers.ClassRetryable, "the CEC had a system error"},
	"REJECTED_NOT_ENOUGH_CREDITS":      {providers.ClassFatal, "the account is out of credit: top it up"},
	"REJECTED_PREPAID_PACKAGE_EXPIRED": {providers.ClassFatal, "the account's credit has expired: top it up"},
	"REJECTED_SENDER":                  {providers.ClassFatal, "the sender is blocklisted for this account"},
	"REJECTED_SOURCE":                  {providers.ClassFatal, "the sender is not registered for this account"},
	"REJECTED_ROUTE_NOT_AVAILABLE":     {providers.ClassFatal, "the account has no route to send messages on: ask the CEC's operator to set one up"},
}

// failedGroups are the status groups of a message that was not taken, with the row a status of the group takes
// when its name is not in codeClasses. Every other group (PENDING, DELIVERED, the document's "send-test") means
// the message was taken.
var failedGroups = map[string]codeClass{
	"REJECTED":      {providers.ClassPermanent, "the CEC rejected the message to this number"},
	"UNDELIVERABLE": {providers.ClassPermanent, "the CEC cannot deliver to this number"},
	"EXPIRED":       {providers.ClassPermanent, "the message expired before the CEC could send it"},
}

// failedGroupIDs names the failed groups by groupId, for a status that gives no groupName.
var failedGroupIDs = map[string]string{"2": "UNDELIVERABLE", "4": "EXPIRED", "5": "REJECTED"}

// tokenError classifies a non-2xx answer of tokenByAkSk, for which the CEC documents no error: any 4xx but 429
// means the profile's credentials or base_url are wrong and no row can be sent (fatal); 429 slows down; the
// rest (5xx, redirects) is retried, since no message left.
func tokenError(ans providers.Answer, profile string) *providers.Error {
	class := providers.ClassRetryable
	sentence := "the CEC could not issue an access token"
	switch s := ans.Status; {
	case s == http.StatusNotFound:
		class, sentence = providers.ClassFatal, "there is no CEC token endpoint at base_url of profile "+strconv.Quote(profile)+": check base_url (https://{domain}[:port])"
	case s == http.StatusTooManyRequests:
		class, sentence = providers.ClassRateLimited, "the CEC refused the token request as too fast"
	case s >= 400 && s < 500:
		class, sentence = providers.ClassFatal, "the CEC refused app_key and app_secret of profile "+strconv.Quote(profile)+": check both in the config file"
	}
	detail := providers.Snippet(ans.Body, maxProviderText)
	fe := fabricError{raw: ans.Body}
	if json.Unmarshal(ans.Body, &fe) == nil {
		detail = fe.detail()
	}
	return &providers.Error{Class: class, Code: "token_http_" + strconv.Itoa(ans.Status), HTTPStatus: ans.Status,
		RetryAfter: providers.RetryAfter(ans.Header),
		Message:    "getting an access token (HTTP " + strconv.Itoa(ans.Status) + "): " + describe(sentence, detail)}
}
