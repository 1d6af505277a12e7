package sandbox

import (
	"crypto/rand"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Huawei CEC dialect's documented paths: the API Fabric token endpoint and sendWhatsappMessage.
const (
	huaweiTokenPath = "/apigovernance/api/oauth/tokenByAkSk"
	huaweiSendPath  = "/apiaccess/rest/ccmessaging/omni/1/advanced"
)

// huaweiMaxTokenExpire is the longest X-Token-Expire the CEC allows, in seconds.
const huaweiMaxTokenExpire = 3600

// huaweiMaxButtons is the most buttons a WhatsApp template has.
const huaweiMaxButtons = 10

// huaweiFault is the body the CEC's API Fabric answers with a non-200 status.
type huaweiFault struct {
	ErrorCode     string `json:"errorCode"`
	ExceptionInfo string `json:"exceptionInfo"`
}

// huaweiGatewayFault is the body of the API gateway in front of the CEC (Huawei Cloud's API Gateway), which
// answers for throttling and for a CEC that is unavailable.
type huaweiGatewayFault struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// huaweiTokenAnswer is tokenByAkSk's answer, as the CEC documents it (Expires in seconds, as a string).
type huaweiTokenAnswer struct {
	AccessToken string `json:"AccessToken"`
	ApplyType   string `json:"ApplyType"`
	CreateTime  string `json:"CreateTime"`
	Expires     string `json:"Expires"`
	Scope       string `json:"Scope"`
	AppKey      string `json:"AppKey"`
	UserID      string `json:"UserID"`
}

// huaweiSendAnswer is sendWhatsappMessage's 200 answer: one message object per destination.
type huaweiSendAnswer struct {
	Messages []huaweiMessage `json:"messages"`
	BulkID   string          `json:"bulkId"`
}

type huaweiMessage struct {
	To        huaweiTo     `json:"to"`
	Status    huaweiStatus `json:"status"`
	MessageID string       `json:"messageId"`
}

type huaweiTo struct {
	PhoneNumber string `json:"phoneNumber"`
}

type huaweiStatus struct {
	GroupID     int    `json:"groupId"`
	GroupName   string `json:"groupName"`
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Action      string `json:"action,omitempty"`
}

// The statuses a destination gets: taken (the OMNI PENDING_ENROUTE status) or rejected as an invalid number.
var (
	huaweiTaken    = huaweiStatus{GroupID: 1, GroupName: "PENDING", ID: 7, Name: "PENDING_ENROUTE", Description: "Message sent to next instance"}
	huaweiRejected = huaweiStatus{GroupID: 5, GroupName: "REJECTED", ID: 52, Name: "REJECTED_DESTINATION",
		Description: "Invalid destination address", Action: "Check the number: country code first, and a WhatsApp account"}
)

// mountHuawei serves the huawei dialect: an access token from tokenByAkSk (app_key and app_secret in the body),
// then sendWhatsappMessage with Authorization: Bearer {token} and x-app-key.
func (s *Server) mountHuawei(mux *http.ServeMux) {
	mux.HandleFunc("POST "+huaweiTokenPath, s.huaweiToken)
	mux.HandleFunc("POST "+huaweiSendPath, s.huaweiSend)
}

// huaweiToken issues an access token for the account's app_key and app_secret, living TokenTTL or the shorter
// X-Token-Expire the client asked for.
func (s *Server) huaweiToken(w http.ResponseWriter, r *http.Request) {
	acct := s.opts.Credentials["huawei"]
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusBadRequest, huaweiFault{"400", "Content-Type must be application/json"})
		return
	}
	ttl := s.opts.TokenTTL
	if v := r.Header.Get("X-Token-Expire"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > huaweiMaxTokenExpire {
			writeJSON(w, http.StatusBadRequest, huaweiFault{"400", fmt.Sprintf("X-Token-Expire %q must be seconds from 1 to %d", v, huaweiMaxTokenExpire)})
			return
		}
		ttl = min(ttl, time.Duration(n)*time.Second)
	}
	var body struct {
		AppKey    string `json:"app_key"`
		AppSecret string `json:"app_secret"`
	}
	if err := readJSON(r, &body, false); err != nil {
		writeJSON(w, http.StatusBadRequest, huaweiFault{"400", err.Error()})
		return
	}
	if !secretEqual(body.AppKey, acct.AppKey.Reveal()) || !secretEqual(body.AppSecret, acct.AppSecret.Reveal()) {
		writeJSON(w, http.StatusUnauthorized, huaweiFault{"401", "auth fail! app_key or app_secret is incorrect"})
		return
	}
	now := time.Now()
	writeJSON(w, http.StatusOK, huaweiTokenAnswer{AccessToken: s.tokens.issue(body.AppKey, ttl, now), ApplyType: "Bearer",
		CreateTime: strconv.FormatInt(now.Unix(), 10), Expires: strconv.Itoa(int(math.Ceil(ttl.Seconds()))),
		Scope: "default", AppKey: body.AppKey, UserID: "Anonymous"})
}

// huaweiSend checks the token, then the body, then admits each destination. Accepted and rejected numbers are
// answered per destination in one 200 answer; any other action answers the whole request, and every
// destination is recorded with it (a failed request sends nothing).
func (s *Server) huaweiSend(w http.ResponseWriter, r *http.Request) {
	acct := s.opts.Credentials["huawei"]
	appKey := r.Header.Get("X-App-Key")
	tok, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !bearer || !secretEqual(appKey, acct.AppKey.Reveal()) || !s.tokens.valid(tok, appKey, time.Now()) {
		writeJSON(w, http.StatusUnauthorized, huaweiFault{"401",
			"auth fail! illegal or expired token info. please apply or refresh the access token from the server!"})
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusBadRequest, huaweiFault{"400", "Content-Type must be application/json"})
		return
	}
	var body huaweiRequest
	if err := readJSON(r, &body, true); err != nil {
		writeJSON(w, http.StatusBadRequest, huaweiFault{"400", err.Error()})
		return
	}
	status, msg := body.check()
	sendAt, sendAtMsg := s.huaweiSendAt(body.SendAt)
	if msg == "" && sendAtMsg != "" {
		status, msg = http.StatusInternalServerError, sendAtMsg
	}
	if msg != "" {
		writeJSON(w, status, huaweiFault{strconv.Itoa(status), msg})
		return
	}
	reqs := make([]Request, len(body.Destinations))
	for i, d := range body.Destinations {
		reqs[i] = Request{Dialect: "huawei", To: d.To.PhoneNumber, Template: body.WhatsApp.TemplateName, Ref: d.MessageID,
			SendAt: sendAt}
	}
	acts := s.admit(r.Context(), reqs)
	act := Accept
	for _, a := range acts {
		if a != Accept && a != RejectNumber && act == Accept {
			act = a
		}
	}
	if act != Accept {
		s.huaweiFail(w, act, reqs, body.WhatsApp)
		return
	}
	answer := huaweiSendAnswer{Messages: make([]huaweiMessage, len(reqs)), BulkID: body.BulkID}
	for i, req := range reqs {
		m := huaweiMessage{To: huaweiTo{PhoneNumber: req.To}, Status: huaweiRejected, MessageID: req.Ref}
		id := ""
		if acts[i] == Accept {
			id = s.newID("")
			m.Status, m.MessageID = huaweiTaken, id
		}
		answer.Messages[i] = m
		// Recorded before answering, so that a client holding its answer finds the request in the log.
		s.record(req, acts[i], http.StatusOK, id)
	}
	writeJSON(w, http.StatusOK, answer)
}

// huaweiFail records every destination of a failed request with act, then answers as the CEC would.
func (s *Server) huaweiFail(w http.ResponseWriter, act Action, reqs []Request, wa *huaweiWhatsApp) {
	var status int
	var fault huaweiFault
	switch act {
	case RateLimited:
		// The gateway in front of the CEC throttles, with its own body.
		wait := strconv.Itoa(s.retryAfterSeconds())
		w.Header().Set("Retry-After", wait)
		s.answer(w, reqs, act, http.StatusTooManyRequests, "", huaweiGatewayFault{ErrorCode: "APIG.0308",
			ErrorMsg: "The throttling threshold has been reached: flow control, retry after " + wait + " seconds", RequestID: rand.Text()})
		return
	case AuthFail:
		status, fault = http.StatusUnauthorized, huaweiFault{"401",
			"Unauthorized: the related services are not purchased or the account is not in service"}
	case TemplateMissing:
		status, fault = http.StatusNotFound, huaweiFault{"404", "the template " + wa.TemplateName + " (" + wa.Language + ") is not found"}
	case Drop:
		// No answer is written: the status stays 0.
	case HTMLPage:
		status = http.StatusBadGateway
	default: // Transient: the CEC documents 500 as a bad value, so a passing failure is the gateway's 503
		s.answer(w, reqs, act, http.StatusServiceUnavailable, "", huaweiGatewayFault{ErrorCode: "APIG.0202",
			ErrorMsg: "Backend unavailable, please try again later", RequestID: rand.Text()})
		return
	}
	s.answer(w, reqs, act, status, "", fault)
}

// huaweiRequest is the body of sendWhatsappMessage, decoded strictly so that a misspelt field is caught.
type huaweiRequest struct {
	ScenarioKey  string              `json:"scenarioKey"`
	BulkID       string              `json:"bulkId"`
	Destinations []huaweiDestination `json:"destinations"`
	WhatsApp     *huaweiWhatsApp     `json:"whatsApp"`
	SendAt       string              `json:"sendAt"`
}

type huaweiDestination struct {
	MessageID string    `json:"messageId"`
	To        *huaweiTo `json:"to"`
}

type huaweiWhatsApp struct {
	Text              string       `json:"text"`
	ImageURL          string       `json:"imageUrl"`
	AudioURL          string       `json:"audioUrl"`
	VideoURL          string       `json:"videoUrl"`
	LocationName      string       `json:"locationName"`
	Address           string       `json:"address"`
	Longitude         *float64     `json:"longitude"`
	Latitude          *float64     `json:"latitude"`
	TemplateName      string       `json:"templateName"`
	TemplateData      []string     `json:"templateData"`
	Language          string       `json:"language"`
	MediaTemplateData *huaweiMedia `json:"mediaTemplateData"`
}

type huaweiMedia struct {
	Header  *huaweiHeader  `json:"header"`
	Body    *huaweiBody    `json:"body"`
	Buttons []huaweiButton `json:"buttons"`
}

type huaweiHeader struct {
	TextPlaceholder string   `json:"textPlaceholder"`
	ImageURL        string   `json:"imageUrl"`
	VideoURL        string   `json:"videoUrl"`
	Latitude        *float64 `json:"latitude"`
	Longitude       *float64 `json:"longitude"`
}

type huaweiBody struct {
	Placeholders *[]string `json:"placeholders"`
}

type huaweiButton struct {
	URLPlaceholder    string `json:"urlPlaceholder"`
	QuickReplyPayload string `json:"quickReplyPayload"`
}

// check returns what is wrong with the request, naming the field, and the status the CEC answers it with: 400
// ("Incorrect request. Check the request path and parameters.") for its shape, 500 ("Incorrect request. Check
// the values of parameters in the request.") for a value: an empty parameter, a number that is not
// international, coordinates out of range. It returns "" for a well-formed template message.
func (b *huaweiRequest) check() (int, string) {
	const shape, value = http.StatusBadRequest, http.StatusInternalServerError
	switch {
	case b.BulkID == "":
		return shape, "bulkId is required"
	case len(b.Destinations) == 0:
		return shape, "destinations is required: at least one destination"
	case b.WhatsApp == nil:
		return shape, "whatsApp is required"
	case b.WhatsApp.TemplateName == "":
		return shape, "whatsApp.templateName is required: the sandbox sends template messages"
	case b.WhatsApp.Language == "":
		return shape, "whatsApp.language is required for a template message"
	}
	for i, d := range b.Destinations {
		switch {
		case d.MessageID == "":
			return shape, fmt.Sprintf("destinations[%d].messageId is required", i)
		case d.To == nil:
			return shape, fmt.Sprintf("destinations[%d].to is required", i)
		case !isMSISDN(d.To.PhoneNumber):
			return value, fmt.Sprintf("destinations[%d].to.phoneNumber must be an international number: 7 to 15 digits, country code first", i)
		}
	}
	if msg := huaweiValues("whatsApp.templateData", b.WhatsApp.TemplateData); msg != "" {
		return value, msg
	}
	if m := b.WhatsApp.MediaTemplateData; m != nil {
		return m.check()
	}
	return 0, ""
}

// check returns what is wrong with mediaTemplateData and its status (as huaweiRequest.check), or "".
func (m *huaweiMedia) check() (int, string) {
	const at = "whatsApp.mediaTemplateData"
	const shape, value = http.StatusBadRequest, http.StatusInternalServerError
	if h := m.Header; h != nil {
		kinds := 0
		for _, set := range []bool{h.TextPlaceholder != "", h.ImageURL != "", h.VideoURL != "", h.Latitude != nil || h.Longitude != nil} {
			if set {
				kinds++
			}
		}
		switch {
		case kinds != 1:
			return shape, at + ".header must hold exactly one of textPlaceholder, imageUrl, videoUrl or latitude and longitude"
		case (h.Latitude == nil) != (h.Longitude == nil):
			return shape, at + ".header needs both latitude and longitude for a location"
		case h.Latitude != nil && (math.Abs(*h.Latitude) > 90 || math.Abs(*h.Longitude) > 180):
			return value, at + ".header latitude must be from -90 to 90 and longitude from -180 to 180"
		}
	}
	if m.Body != nil {
		if m.Body.Placeholders == nil {
			return shape, at + ".body.placeholders cannot be null: send an empty array when the body has no parameters"
		}
		if msg := huaweiValues(at+".body.placeholders", *m.Body.Placeholders); msg != "" {
			return value, msg
		}
	}
	if len(m.Buttons) > huaweiMaxButtons {
		return shape, fmt.Sprintf("%s.buttons has %d entries: a template has at most %d buttons", at, len(m.Buttons), huaweiMaxButtons)
	}
	for i, btn := range m.Buttons {
		switch {
		case btn.URLPlaceholder != "" && btn.QuickReplyPayload != "":
			return shape, fmt.Sprintf("%s.buttons[%d] must hold urlPlaceholder or quickReplyPayload, not both", at, i)
		case btn.URLPlaceholder == "" && btn.QuickReplyPayload == "":
			return shape, fmt.Sprintf("%s.buttons[%d] holds neither urlPlaceholder nor quickReplyPayload: quickReplyPayload "+
				"is required for the quick reply button, and a button without a parameter is left out", at, i)
		}
	}
	return 0, ""
}

// huaweiValues returns what is wrong with a list of parameter values (none may be empty), or "".
func huaweiValues(at string, values []string) string {
	for i, v := range values {
		if v == "" {
			return fmt.Sprintf("%s[%d] cannot be empty", at, i)
		}
	}
	return ""
}

// tokenStore holds the Huawei access tokens the sandbox issued, each bound to its app_key and expiry.
type tokenStore struct {
	mu     sync.RWMutex
	tokens map[string]issuedToken
}

// issuedToken is one access token's app_key and expiry.
type issuedToken struct {
	appKey  string
	expires time.Time
}

func (t *tokenStore) init() { t.tokens = make(map[string]issuedToken) }

// expireAll makes every token issued so far invalid.
func (t *tokenStore) expireAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tokens = make(map[string]issuedToken)
}

// issue returns a new random token for appKey living ttl from now, dropping the tokens that have expired.
func (t *tokenStore) issue(appKey string, ttl time.Duration, now time.Time) string {
	v := rand.Text()
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, it := range t.tokens {
		if !now.Before(it.expires) {
			delete(t.tokens, k)
		}
	}
	t.tokens[v] = issuedToken{appKey: appKey, expires: now.Add(ttl)}
	return v
}

// valid reports whether v is a live token issued for appKey.
func (t *tokenStore) valid(v, appKey string, now time.Time) bool {
	t.mu.RLock()
	it, ok := t.tokens[v]
	t.mu.RUnlock()
	return ok && it.appKey == appKey && now.Before(it.expires)
}
