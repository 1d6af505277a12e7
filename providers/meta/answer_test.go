package meta

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/providers"
)

// sendAnswer sends one message to a server that answers status, body and header pairs, and returns the
// classified error (failing the test when there is none).
func sendAnswer(t *testing.T, status int, body string, header ...string) *providers.Error {
	t.Helper()
	a := newTestAdapter(t, answerWith(status, body, nil, header...))
	rcpt, err := a.Send(context.Background(), providers.Message{To: "15551234567", Template: "promo", Language: "en", Ref: "r1"})
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Send = %+v, %v; want a *providers.Error", rcpt, err)
	}
	return pe
}

// TestDocumentedErrorAnswers sends the Cloud API's error answers as Meta words them and checks what the engine
// is told.
func TestDocumentedErrorAnswers(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		header     []string
		class      providers.Class
		code       string
		retryAfter time.Duration
		mentions   string
	}{
		{"throughput 130429 with Retry-After", 400,
			`{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}`,
			[]string{"Retry-After", "7"}, providers.ClassRateLimited, "130429", 7 * time.Second, "Cloud API message throughput has been reached."},
		{"app rate limit 4 on 429", 429,
			`{"error":{"message":"Too many API calls. Please try again later","type":"OAuthException","code":4,"error_subcode":2446079,"fbtrace_id":"AXsg","is_transient":true}}`,
			nil, providers.ClassRateLimited, "4", 0, "Too many API calls"},
		{"business rate limit 80007", 400,
			`{"error":{"message":"Business request limit reached for WhatsApp Business Account","type":"OAuthException","code":80007,"error_subcode":2446079,"is_transient":true}}`,
			nil, providers.ClassRateLimited, "80007", 0, "Business request limit"},
		{"pair rate limit 131056", 400,
			`{"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException","code":131056}}`,
			nil, providers.ClassRetryable, "131056", 0, "pair rate limit hit"},
		{"unexpected error 2", 500,
			`{"error":{"message":"An unexpected error occurred. Please retry your request","type":"GraphMethodException","code":2,"fbtrace_id":"AXsg","is_transient":true}}`,
			nil, providers.ClassRetryable, "2", 0, "Please retry"},
		{"something went wrong 131000", 500,
			`{"error":{"message":"(#131000) Something went wrong","type":"OAuthException","code":131000}}`,
			nil, providers.ClassRetryable, "131000", 0, "Something went wrong"},
		{"service unavailable 131016 with Retry-After", 503,
			`{"error":{"message":"(#131016) Service unavailable","type":"OAuthException","code":131016}}`,
			[]string{"Retry-After", "30"}, providers.ClassRetryable, "131016", 30 * time.Second, "Service unavailable"},
		{"undeliverable 131026", 400,
			`{"error":{"message":"(#131026) Message Undeliverable.","type":"OAuthException","code":131026,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send"}}}`,
			nil, providers.ClassPermanent, "131026", 0, "Message failed to send"},
		{"invalid parameter 100", 400,
			`{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_data":{"messaging_product":"whatsapp","details":"Parameter 'to' is not valid"}}}`,
			nil, providers.ClassPermanent, "100", 0, "Parameter 'to' is not valid"},
		{"parameter count 132000", 400,
			`{"error":{"message":"(#132000) Number of parameters does not match the expected number of params","type":"OAuthException","code":132000}}`,
			nil, providers.ClassPermanent, "132000", 0, "number of parameters does not match"},
		{"newline in parameter 132018", 400,
			`{"error":{"message":"(#132018) There was an issue with the parameters in your template.","type":"OAuthException","code":132018}}`,
			nil, providers.ClassPermanent, "132018", 0, "newline"},
		{"token expired 190", 401,
			`{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AXsg"}}`,
			nil, providers.ClassFatal, "190", 0, "generate a new one"},
		{"no token 104", 401,
			`{"error":{"message":"An access token is required to request this resource","type":"OAuthException","code":104}}`,
			nil, providers.ClassFatal, "104", 0, "set access_token"},
		{"permission 10", 403,
			`{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10}}`,
			nil, providers.ClassFatal, "10", 0, "permission denied"},
		{"permission range 200-299", 403,
			`{"error":{"message":"(#299) Requires business_management permission","type":"OAuthException","code":299}}`,
			nil, providers.ClassFatal, "299", 0, "lacks a permission"},
		{"wrong phone number id 100/33", 400,
			`{"error":{"message":"Unsupported post request. Object with ID '123' does not exist","type":"GraphMethodException","code":100,"error_subcode":33}}`,
			nil, providers.ClassFatal, "100", 0, "check phone_number_id"},
		{"template missing 132001", 404,
			`{"error":{"message":"(#132001) Template name does not exist in the translation","type":"OAuthException","code":132001,"error_data":{"messaging_product":"whatsapp","details":"template name (promo) does not exist in en"}}}`,
			nil, providers.ClassFatal, "132001", 0, "template name (promo) does not exist in en"},
		{"template paused 132015", 400,
			`{"error":{"message":"(#132015) Template is paused","type":"OAuthException","code":132015}}`,
			nil, providers.ClassFatal, "132015", 0, "paused"},
		{"payment 131042", 400,
			`{"error":{"message":"(#131042) Business eligibility payment issue","type":"OAuthException","code":131042}}`,
			nil, providers.ClassFatal, "131042", 0, "payment method"},
		{"unknown code on 400", 400, `{"error":{"message":"(#999999) New thing","type":"OAuthException","code":999999}}`,
			nil, providers.ClassPermanent, "999999", 0, "does not know"},
		{"unknown code on 503", 503, `{"error":{"message":"Down","type":"OAuthException","code":999999}}`,
			nil, providers.ClassRetryable, "999999", 0, "Down"},
		{"unknown code flagged transient", 400, `{"error":{"message":"Try again","type":"OAuthException","code":999999,"is_transient":true}}`,
			nil, providers.ClassRetryable, "999999", 0, "Try again"},
		{"unknown code on 401", 401, `{"error":{"message":"Nope","type":"OAuthException","code":999999}}`,
			nil, providers.ClassFatal, "999999", 0, "Nope"},
		{"error object without code on 200", 200, `{"error":{"message":"odd"}}`,
			nil, providers.ClassPermanent, "http_200", 0, "odd"},
		{"error_data as a string", 400, `{"error":{"message":"(#100) Invalid parameter","code":100,"error_data":"field x"}}`,
			nil, providers.ClassPermanent, "100", 0, "(field x)"},
		{"JSON without error object on 503", 503, `{"status":"down"}`,
			nil, providers.ClassRetryable, "http_503", 0, "HTTP 503"},
		{"JSON without error object on 429", 429, `{}`, []string{"Retry-After", "2"},
			providers.ClassRateLimited, "http_429", 2 * time.Second, "HTTP 429"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := sendAnswer(t, tt.status, tt.body, tt.header...)
			if pe.Class != tt.class || pe.Code != tt.code || pe.HTTPStatus != tt.status || pe.RetryAfter != tt.retryAfter {
				t.Errorf("got class %s code %s status %d retry %v, want %s %s %d %v",
					pe.Class, pe.Code, pe.HTTPStatus, pe.RetryAfter, tt.class, tt.code, tt.status, tt.retryAfter)
			}
			if !strings.Contains(pe.Error(), tt.mentions) {
				t.Errorf("error %q does not mention %q", pe.Error(), tt.mentions)
			}
		})
	}
}

// TestErrorClassTable checks every row of errorClasses against the class each code must have, written out
// independently here, and that the two lists hold the same codes.
func TestErrorClassTable(t *testing.T) {
	want := map[errorKey]providers.Class{
		{4, 0}: providers.ClassRateLimited, {17, 0}: providers.ClassRateLimited, {613, 0}: providers.ClassRateLimited,
		{80004, 0}: providers.ClassRateLimited, {80007, 0}: providers.ClassRateLimited, {130429, 0}: providers.ClassRateLimited,
		{131048, 0}: providers.ClassRateLimited, {131056, 0}: providers.ClassRetryable,

		{1, 0}: providers.ClassRetryable, {2, 0}: providers.ClassRetryable, {131000, 0}: providers.ClassRetryable,
		{131016, 0}: providers.ClassRetryable, {131057, 0}: providers.ClassRetryable, {133004, 0}: providers.ClassRetryable,

		{100, 0}: providers.ClassPermanent, {130472, 0}: providers.ClassPermanent, {130497, 0}: providers.ClassPermanent,
		{131008, 0}: providers.ClassPermanent, {131009, 0}: providers.ClassPermanent, {131021, 0}: providers.ClassPermanent,
		{131026, 0}: providers.ClassPermanent, {131047, 0}: providers.ClassPermanent, {131049, 0}: providers.ClassPermanent,
		{131050, 0}: providers.ClassPermanent, {131051, 0}: providers.ClassPermanent, {131053, 0}: providers.ClassPermanent,
		{132000, 0}: providers.ClassPermanent, {132005, 0}: providers.ClassPermanent, {132007, 0}: providers.ClassPermanent,
		{132012, 0}: providers.ClassPermanent, {132018, 0}: providers.ClassPermanent, {135000, 0}: providers.ClassPermanent,

		{3, 0}: providers.ClassFatal, {10, 0}: providers.ClassFatal, {100, 33}: providers.ClassFatal,
		{104, 0}: providers.ClassFatal, {190, 0}: providers.ClassFatal, {200, 0}: providers.ClassFatal,
		{368, 0}: providers.ClassFatal, {803, 0}: providers.ClassFatal, {131005, 0}: providers.ClassFatal,
		{131031, 0}: providers.ClassFatal, {131037, 0}: providers.ClassFatal, {131042, 0}: providers.ClassFatal,
		{131045, 0}: providers.ClassFatal, {132001, 0}: providers.ClassFatal, {132015, 0}: providers.ClassFatal,
		{132016, 0}: providers.ClassFatal, {133010, 0}: providers.ClassFatal,
	}
	for key := range errorClasses {
		if _, ok := want[key]; !ok {
			t.Errorf("errorClasses has %v, which this test does not expect", key)
		}
	}
	for key, class := range want {
		t.Run(strconv.Itoa(key.code)+"/"+strconv.Itoa(key.subcode), func(t *testing.T) {
			row, ok := lookupClass(key.code, key.subcode)
			if !ok || row.class != class || row.sentence == "" {
				t.Fatalf("lookupClass = %+v, %v; want class %s with a sentence", row, ok, class)
			}
			// Through the parser: a 400 answer with the code gives that class, the code and the sentence.
			body := `{"error":{"message":"m","type":"OAuthException","code":` + strconv.Itoa(key.code) +
				`,"error_subcode":` + strconv.Itoa(key.subcode) + `}}`
			_, err := parseAnswer(providers.Answer{Status: http.StatusBadRequest, Body: []byte(body)}, nil)
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != class || pe.Code != strconv.Itoa(key.code) || !strings.HasPrefix(pe.Message, row.sentence) {
				t.Errorf("parseAnswer = %v, want class %s code %d", err, class, key.code)
			}
		})
	}
	// A subcode without a row of its own falls back on its code's row.
	if row, _ := lookupClass(100, 2494010); row.class != providers.ClassPermanent {
		t.Errorf("100 with an unlisted subcode = %s, want permanent", row.class)
	}
}

func TestAnswersThatAreNotReceipts(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		class    providers.Class
		code     string
		mentions []string
	}{
		{"proxy HTML page", 502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
			providers.ClassRetryable, "bad_answer", []string{"HTTP 502", "<html><head><title>502 Bad Gateway"}},
		{"HTML on 200", 200, "<html>captive portal</html>", providers.ClassUnknown, "bad_answer", []string{"HTTP 200", "captive portal"}},
		{"truncated JSON", 200, `{"messages":[{"id":"wamid.HBg`, providers.ClassUnknown, "bad_answer", []string{"HTTP 200", `{\"messages\"`}},
		{"empty body on 200", 200, "", providers.ClassUnknown, "bad_answer", []string{"HTTP 200"}},
		{"200 without a message id", 200, `{"messaging_product":"whatsapp","messages":[]}`, providers.ClassUnknown, "bad_answer",
			[]string{"HTTP 200", `\"messages\":[]`}},
		{"empty body on 503", 503, "", providers.ClassRetryable, "bad_answer", []string{"HTTP 503"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := sendAnswer(t, tt.status, tt.body)
			if pe.Class != tt.class || pe.Code != tt.code || pe.HTTPStatus != tt.status {
				t.Errorf("got %s %s %d, want %s %s %d", pe.Class, pe.Code, pe.HTTPStatus, tt.class, tt.code, tt.status)
			}
			for _, m := range tt.mentions {
				if !strings.Contains(pe.Error(), m) {
					t.Errorf("error %q does not mention %q", pe.Error(), m)
				}
			}
		})
	}
}

func TestLongProviderTextIsBounded(t *testing.T) {
	long := strings.Repeat("x", 5000)
	pe := sendAnswer(t, 400, `{"error":{"message":"`+long+`","code":131026,"error_data":{"details":"`+long+`"},"fbtrace_id":"`+long+`"}}`)
	if n := len(pe.Message); n > 2*maxProviderText+200 {
		t.Errorf("message is %d bytes long", n)
	}
}

// TestAcceptedIDReadsTheCommonAnswer: the success answer Meta (and the sandbox) gives every accepted message is
// read by the fast path; an answer that also carries an error object is left to the full decode.
func TestAcceptedIDReadsTheCommonAnswer(t *testing.T) {
	for body, want := range map[string]string{
		okAnswer: "wamid.HBgLNDQ3OTExMTIzNDU2FQIAERgSQjk2",
		`{"messaging_product":"whatsapp","contacts":[{"input":"+447400123456","wa_id":"447400123456"}],"messages":[{"id":"wamid.X","message_status":"accepted"}]}` + "\n": "wamid.X",
		`{"messages":[{"id":"wamid.X"}],"error":{"code":100}}`: "",
		`{"messages":[{"id":"wamid.\u0058"}]}`:                 "",
	} {
		if id, ok := acceptedID([]byte(body)); id != want || ok != (want != "") {
			t.Errorf("acceptedID(%s) = %q, %v; want %q", body, id, ok, want)
		}
	}
}
