package sandbox

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The itniotech dialect: POST /wa/template/sendMsg (and /wa/custom/sendMsg: itniotech_session.go), signed with the Api-Key, Timestamp and Sign headers
// (Sign = lowercase hex md5(apiKey + apiSecret + Timestamp), Timestamp within itnioWindow of the sandbox's clock).
// Itniotech answers HTTP 200 with its status in the JSON envelope, success or not. It publishes no rate limit: when
// the sandbox rate-limits, it answers HTTP 429 with Retry-After and {"status":"-429","reason":"too many requests"},
// a body of the sandbox's choosing. Itniotech has no client-reference field, so the log's Ref is always empty.

// itnioPath is the documented template send path.
const itnioPath = "/wa/template/sendMsg"

// itnioWindow is how far a request's Timestamp may be from the sandbox's clock.
const itnioWindow = 300 * time.Second

// itnioReasons are Itniotech's documented reason texts for the status codes the sandbox answers.
var itnioReasons = map[string]string{
	"0":    "success",
	"-1":   "Authentication error",
	"-2":   "Incorrect template status",
	"-4":   "Timestamp expires",
	"-5":   "System exception !",
	"-7":   "json parse exception, plase check you param's type and json format",
	"-8":   "Abnormal parameter verification",
	"-10":  "Application does not exist",
	"-12":  "Network exception or parameter error",
	"-70":  "The recipient number is too long",
	"-71":  "The recipient number is too short",
	"-72":  "The recipient number format is incorrect. It must be a number",
	"-95":  "The businessPhone number format is incorrect. It must be a number",
	"-96":  "Business number does not exist",
	"-112": "The channelType only can be 0 in param",
	"-114": "Required for text parameter",
	"-115": "Required for body parameter",
	"-116": "Required for image parameter",
	"-117": "Required for link parameter",
	"-120": "Required for video parameter",
	"-121": "Required for link parameter",
	"-124": "Required for document parameter",
	"-125": "Required for link parameter",
	"-127": "Required for location parameter",
	"-128": "Required for longitude parameter",
	"-129": "Required for latitude parameter",
	"-132": "Unknown message type",
	"-133": "The link format is incorrect",
	"-134": "The param of parameters type error",
	"-135": "Required for variable parameters",
	"-429": "too many requests",
}

// itnioMediaCodes are the codes for a missing media object and a missing link, by parameter type.
var itnioMediaCodes = map[string][2]string{"image": {"-116", "-117"}, "video": {"-120", "-121"},
	"document": {"-124", "-125"}}

// itnioAnswer is Itniotech's answer envelope.
type itnioAnswer struct {
	Status string         `json:"status"`
	Reason string         `json:"reason"`
	Data   *itnioSentData `json:"data,omitempty"`
}

// itnioSentData is the data of a success answer.
type itnioSentData struct {
	ChannelType int    `json:"channelType"`
	MessageID   string `json:"messageId"`
	Timestamp   int64  `json:"timestamp"`
}

// itnioRequest is the documented request body; unknown fields are a JSON error, as a typed server would see it.
type itnioRequest struct {
	AppID         string         `json:"appId"`
	BusinessPhone string         `json:"businessPhone"`
	Recipient     string         `json:"recipient"`
	ChannelType   *int           `json:"channelType"`
	Template      *itnioTemplate `json:"template"`
}

type itnioTemplate struct {
	Name     string `json:"name"`
	Language *struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []itnioComponent `json:"components"`
}

// languageCode is the template's language code, "" when the request names none.
func (t *itnioTemplate) languageCode() string {
	if t.Language == nil {
		return ""
	}
	return t.Language.Code
}

type itnioComponent struct {
	Type       string       `json:"type"`
	SubType    string       `json:"sub_type"`
	Index      string       `json:"index"`
	Parameters []itnioParam `json:"parameters"`
}

type itnioParam struct {
	Type     string          `json:"type"`
	Text     string          `json:"text"`
	Payload  string          `json:"payload"`
	Image    *itnioMedia     `json:"image"`
	Video    *itnioMedia     `json:"video"`
	Document *itnioMedia     `json:"document"`
	Location *itnioLocation  `json:"location"`
	Currency json.RawMessage `json:"currency"`
	DateTime json.RawMessage `json:"date_time"`
}

type itnioMedia struct {
	Link     string `json:"link"`
	Filename string `json:"filename"`
}

type itnioLocation struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// mountItniotech serves the itniotech dialect.
func (s *Server) mountItniotech(mux *http.ServeMux) {
	mux.HandleFunc("POST "+itnioPath, s.itniotechSend)
	mux.HandleFunc("POST "+itnioSessionPath, s.itniotechSession)
	mux.HandleFunc("POST "+itnioTemplateAddPath, s.itniotechTemplateAdd)
	mux.HandleFunc("POST "+itnioTemplateQueryPath, s.itniotechTemplateQuery)
}

// itniotechSend authenticates, checks the body, admits the one recipient and answers per action.
func (s *Server) itniotechSend(w http.ResponseWriter, r *http.Request) {
	acc := s.opts.Credentials["itniotech"]
	var body itnioRequest
	if !itnioRead(w, r, acc, &body) {
		return
	}
	if code, detail := body.check(acc); code != "" {
		writeJSON(w, http.StatusOK, itnioFault(code, detail))
		return
	}
	req := Request{Dialect: "itniotech", To: body.Recipient, Template: body.Template.Name}
	act := s.admitOne(r.Context(), &req)
	if act == Accept && !s.templateSendable(body.Template.Name, body.Template.languageCode()) {
		act = TemplateMissing
	}
	s.itnioRespond(w, req, act)
}

// itnioRead authenticates a send request against acc and decodes its JSON body into v; it answers the request
// itself, and returns false, when either fails.
func itnioRead(w http.ResponseWriter, r *http.Request, acc Account, v any) bool {
	if code := itnioAuth(r.Header, acc, time.Now()); code != "" {
		writeJSON(w, http.StatusOK, itnioFault(code, ""))
		return false
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusOK, itnioFault("-7", "Content-Type must be application/json"))
		return false
	}
	if err := readJSON(r, v, true); err != nil {
		writeJSON(w, http.StatusOK, itnioFault("-7", err.Error()))
		return false
	}
	return true
}

// itnioRespond records an admitted request and answers it per action, as Itniotech's send endpoints do.
func (s *Server) itnioRespond(w http.ResponseWriter, req Request, act Action) {
	status, id := http.StatusOK, ""
	switch act {
	case Accept:
		id = s.newID("")
	case RateLimited:
		status = http.StatusTooManyRequests
	case Drop:
		status = 0
	case HTMLPage:
		status = http.StatusBadGateway
	}
	// Logged before any answer byte leaves: a client holding its answer always finds it in the log.
	s.record(req, act, status, id)
	switch act {
	case Accept:
		writeJSON(w, status, itnioAnswer{Status: "0", Reason: itnioReasons["0"],
			Data: &itnioSentData{MessageID: id, Timestamp: time.Now().Unix()}})
	case Transient:
		writeJSON(w, status, itnioFault("-5", ""))
	case RateLimited:
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfterSeconds()))
		writeJSON(w, status, itnioFault("-429", ""))
	case RejectNumber:
		writeJSON(w, status, itnioFault("-72", ""))
	case AuthFail:
		writeJSON(w, status, itnioFault("-1", ""))
	case TemplateMissing:
		writeJSON(w, status, itnioFault(map[bool]string{true: "-2", false: "-8"}[req.Session == ""], ""))
	case Drop:
		drop(w)
	case HTMLPage:
		writeHTML(w)
	}
}

// itnioFault is an error answer with the documented reason, and detail after it when there is one.
func itnioFault(code, detail string) itnioAnswer {
	reason := itnioReasons[code]
	if detail != "" {
		reason += ": " + detail
	}
	return itnioAnswer{Status: code, Reason: reason}
}

// itnioAuth checks the signed headers against acc: "" when they are right, else -1 (wrong key or signature)
// or -4 (timestamp outside the window).
func itnioAuth(h http.Header, acc Account, now time.Time) string {
	key, ts := h.Get("Api-Key"), h.Get("Timestamp")
	sum := md5.Sum([]byte(key + acc.APISecret.Reveal() + ts))
	if !secretEqual(key, acc.APIKey.Reveal()) || !secretEqual(h.Get("Sign"), hex.EncodeToString(sum[:])) {
		return "-1"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > itnioWindow {
		return "-4"
	}
	return ""
}

// check returns the status code and a detail for the first thing wrong with the body, or "" when it is fine.
func (b *itnioRequest) check(acc Account) (code, detail string) {
	if code, detail := itnioCheckAccount(b.AppID, b.BusinessPhone, b.Recipient, b.ChannelType, acc); code != "" {
		return code, detail
	}
	switch {
	case b.Template == nil || b.Template.Name == "":
		return "-8", "template.name is required"
	case b.Template.Language != nil && b.Template.Language.Code == "":
		return "-8", "template.language.code is required"
	}
	for i := range b.Template.Components {
		if code, detail := b.Template.Components[i].check(); code != "" {
			return code, detail
		}
	}
	return "", ""
}

// itnioCheckAccount checks the fields every send request carries: the application, the channel, the business
// number and the recipient.
func itnioCheckAccount(appID, businessPhone, recipient string, channelType *int, acc Account) (code, detail string) {
	switch {
	case appID == "":
		return "-8", "appId is required"
	case appID != acc.AppID:
		return "-10", ""
	case channelType == nil:
		return "-8", "channelType is required"
	case *channelType != 0:
		return "-112", ""
	case !isMSISDN(businessPhone):
		return "-95", ""
	case businessPhone != acc.BusinessPhone:
		return "-96", ""
	case recipient == "":
		return "-8", "recipient is required"
	case len(recipient) > 15:
		return "-70", ""
	case len(recipient) < 7:
		return "-71", ""
	case !isMSISDN(recipient):
		return "-72", ""
	}
	return "", ""
}

// check checks one template component and its parameters.
func (c *itnioComponent) check() (code, detail string) {
	switch {
	case c.Type != "header" && c.Type != "body" && c.Type != "button":
		return "-8", "component type must be header, body or button"
	case c.Type == "button" && c.SubType != "url" && c.SubType != "quick_reply":
		return "-8", "a button component's sub_type must be url or quick_reply"
	case c.Type == "button" && (len(c.Index) != 1 || c.Index[0] < '0' || c.Index[0] > '9'):
		return "-8", "a button component's index must be \"0\" to \"9\""
	case len(c.Parameters) == 0:
		return "-135", ""
	}
	for i := range c.Parameters {
		p := &c.Parameters[i]
		if !itnioAllowed(c, p.Type) {
			return "-134", c.Type + " cannot take a " + strconv.Quote(p.Type) + " parameter"
		}
		if code := p.check(); code != "" {
			return code, ""
		}
	}
	return "", ""
}

// itnioAllowed says whether a parameter type may appear in component c.
func itnioAllowed(c *itnioComponent, typ string) bool {
	switch c.Type {
	case "header":
		return typ == "text" || typ == "image" || typ == "video" || typ == "document" || typ == "location"
	case "body":
		return typ == "text" || typ == "currency" || typ == "date_time"
	default:
		return (c.SubType == "url" && typ == "text") || (c.SubType == "quick_reply" && typ == "payload")
	}
}

// check returns the code for a parameter whose value is missing or malformed, "" when it is fine.
func (p *itnioParam) check() string {
	switch p.Type {
	case "text":
		if p.Text == "" {
			return "-114"
		}
	case "payload":
		if p.Payload == "" {
			return "-135"
		}
	case "image", "video", "document":
		m, codes := p.Image, itnioMediaCodes[p.Type]
		if p.Type == "video" {
			m = p.Video
		} else if p.Type == "document" {
			m = p.Document
		}
		switch {
		case m == nil:
			return codes[0]
		case m.Link == "":
			return codes[1]
		case !strings.HasPrefix(m.Link, "https://") && !strings.HasPrefix(m.Link, "http://"):
			return "-133"
		}
	case "location":
		switch {
		case p.Location == nil:
			return "-127"
		case p.Location.Longitude == "":
			return "-128"
		case p.Location.Latitude == "":
			return "-129"
		}
	case "currency":
		var c struct {
			FallbackValue string `json:"fallback_value"`
			Code          string `json:"code"`
			Amount1000    *int64 `json:"amount_1000"`
		}
		switch {
		case len(p.Currency) == 0:
			return "-135"
		case json.Unmarshal(p.Currency, &c) != nil || c.FallbackValue == "" || len(c.Code) != 3 || c.Amount1000 == nil:
			return "-12" // Itniotech's answer for a parameter it cannot pass on
		}
	case "date_time":
		var d struct {
			FallbackValue string `json:"fallback_value"`
		}
		switch {
		case len(p.DateTime) == 0:
			return "-135"
		case json.Unmarshal(p.DateTime, &d) != nil || d.FallbackValue == "":
			return "-12"
		}
	}
	return ""
}
