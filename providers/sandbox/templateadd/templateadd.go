// Package templateadd checks the bodies of Itniotech's template/add requests as its document bounds them, for
// the sandbox: the first thing wrong, as the documented code and a detail.
package templateadd

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// template/add's documented limits, and Meta's on buttons.
const (
	tplMaxHeaderRunes = 60
	tplMaxBodyRunes   = 1024
	tplMaxBodyVars    = 20
	tplMaxFooterRunes = 60
	tplMaxButtonRunes = 25
	tplMaxButtons     = 10
	tplMaxURLButtons  = 2
	tplMaxURLRunes    = 2000
	tplMaxPhoneDigits = 20
	tplMaxExpiry      = 90
	tplVariable       = "{{#}}"
	tplURLVariable    = "{{1}}"
)

// Itniotech's template types and button types.
const (
	tplAuthentication = 0
	tplButtonURL      = 1
	tplButtonReply    = 2
	tplButtonOTP      = 3
	tplButtonPhone    = 4
	tplButtonOneTap   = 5
)

var (
	itnioTemplateNameRE = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	itnioLanguageRE     = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
	tplConsecutiveRE    = regexp.MustCompile(`\{\{#\}\}\s*\{\{#\}\}`)
	tplDigitsRE         = regexp.MustCompile(`^[0-9]{1,20}$`)
)

// itnioLanguages are the template languages WhatsApp takes (Meta's list, which Itniotech's enumeration follows).
var itnioLanguages = wordSet(`af sq ar ar_EG ar_AE ar_LB ar_MA ar_QA az be_BY bn bn_IN bg ca zh_CN zh_HK zh_TW hr
	cs da prs_AF nl nl_BE en en_AE en_AU en_CA en_GB en_GH en_IE en_IN en_JM en_MY en_NZ en_QA en_SG en_UG en_US
	en_ZA et fil fi fr fr_BE fr_CA fr_CH fr_CI fr_MA ka de de_AT de_CH el gu ha he hi hu id ga it it_CH ja kn kk
	rw_RW ko ky_KG lo lv lt mk ms ml mr nb ne_NP fa pl pt_BR pt_PT pa ro ru sr si_LK sk sl es es_AR es_CL es_CO
	es_CR es_DO es_EC es_ES es_HN es_MX es_PA es_PE es_UY sw sv ta te th tr uk ur uz vi zu`)

// wordSet is the set of the words of s.
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// flexInt is an integer Itniotech documents as a String and shows as a number: either is read.
type flexInt struct {
	n   int
	set bool
}

// UnmarshalJSON reads a number or a string holding one.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s is not an integer", b)
	}
	f.n, f.set = n, true
	return nil
}

// Body is template/add's documented body; unknown fields are a JSON error.
type Body struct {
	AppID        string              `json:"appId"`
	ChannelType  *int                `json:"channelType"`
	TemplateName string              `json:"templateName"`
	Type         *int                `json:"type"`
	Language     string              `json:"language"`
	Components   *itnioTplComponents `json:"components"`
}

type itnioTplComponents struct {
	Header *itnioTplHeader  `json:"header"`
	Body   *itnioTplBody    `json:"body"`
	Footer *itnioTplFooter  `json:"footer"`
	Button *itnioTplButtons `json:"button"`
}

type itnioTplHeader struct {
	Type    string  `json:"type"`
	Format  flexInt `json:"format"`
	Text    string  `json:"text"`
	Example *struct {
		HeaderText   []string `json:"header_text"`
		HeaderHandle []string `json:"header_handle"`
	} `json:"example"`
}

type itnioTplBody struct {
	Type                      string `json:"type"`
	Text                      string `json:"text"`
	AddSecurityRecommendation *bool  `json:"add_security_recommendation"`
	Example                   *struct {
		BodyText [][]string `json:"body_text"`
	} `json:"example"`
}

type itnioTplFooter struct {
	Type                  string `json:"type"`
	Text                  string `json:"text"`
	CodeExpirationMinutes *int   `json:"code_expiration_minutes"`
}

type itnioTplButtons struct {
	Type    string           `json:"type"`
	Buttons []itnioTplButton `json:"buttons"`
}

type itnioTplButton struct {
	Type          *int            `json:"type"`
	Text          string          `json:"text"`
	OTPType       string          `json:"otp_type"`
	PhoneNumber   string          `json:"phone_number"`
	URL           string          `json:"url"`
	Example       json.RawMessage `json:"example"`
	AutofillText  string          `json:"autofill_text"`
	PackageName   string          `json:"package_name"`
	SignatureHash string          `json:"signature_hash"`
}

// Check returns the documented code and a detail for the first thing wrong with a template/add body (appID
// is the account's), "" when
// it is fine (a duplicate is the registry's to find).
func (b *Body) Check(appID string) (code, detail string) {
	switch {
	case b.AppID == "":
		return "-8", "appId is required"
	case b.AppID != appID:
		return "-10", ""
	case b.ChannelType == nil:
		return "-8", "channelType is required"
	case *b.ChannelType != 0:
		return "-99", ""
	case b.TemplateName == "":
		return "-8", "templateName is required"
	case !itnioTemplateNameRE.MatchString(b.TemplateName):
		return "-33", "templateName takes lowercase letters, numbers and underscores"
	case b.Type == nil:
		return "-8", "type is required"
	case *b.Type < 0 || *b.Type > 2:
		return "-76", ""
	case b.Language == "":
		return "-8", "language is required"
	case !itnioLanguageRE.MatchString(b.Language):
		return "-74", ""
	case !itnioLanguages[b.Language]:
		return "-78", ""
	case b.Components == nil:
		return "-89", ""
	}
	c := b.Components
	if *b.Type == tplAuthentication {
		return c.checkAuthentication()
	}
	if c.Header != nil {
		if code, detail := c.Header.check(); code != "" {
			return code, detail
		}
	}
	if code, detail := c.Body.check(); code != "" {
		return code, detail
	}
	if f := c.Footer; f != nil {
		switch n := utf8.RuneCountInString(f.Text); {
		case f.Type != "FOOTER":
			return "-87", ""
		case n == 0:
			return "-84", "footer.text"
		case n > tplMaxFooterRunes:
			return "-105", ""
		}
	}
	if c.Button != nil {
		return c.Button.check()
	}
	return "", ""
}

// checkAuthentication checks an authentication template: a security recommendation, OTP buttons, an expiry
// of at most 90 minutes.
func (c *itnioTplComponents) checkAuthentication() (code, detail string) {
	switch {
	case c.Body == nil || c.Body.Type != "BODY":
		return "-86", ""
	case c.Body.AddSecurityRecommendation == nil:
		return "-104", ""
	case c.Footer != nil && c.Footer.Type != "FOOTER":
		return "-87", ""
	case c.Footer != nil && c.Footer.CodeExpirationMinutes != nil &&
		(*c.Footer.CodeExpirationMinutes < 1 || *c.Footer.CodeExpirationMinutes > tplMaxExpiry):
		return "-106", ""
	case c.Button == nil || len(c.Button.Buttons) == 0:
		return "-109", ""
	}
	for _, bt := range c.Button.Buttons {
		switch {
		case bt.Type == nil:
			return "-23", ""
		case *bt.Type != tplButtonOTP:
			return "-102", ""
		case bt.OTPType == "":
			return "-108", ""
		}
	}
	return "", ""
}

// check checks a header: its format, and for a text header its length, its one variable and its example.
func (h *itnioTplHeader) check() (code, detail string) {
	switch {
	case h.Type != "HEADER":
		return "-8", `header.type must be "HEADER"`
	case !h.Format.set:
		return "-100", ""
	case h.Format.n < 0 || h.Format.n > 4:
		return "-101", "header.format takes 0 to 4"
	case h.Format.n >= 1 && h.Format.n <= 3:
		if h.Example == nil || len(h.Example.HeaderHandle) == 0 {
			return "-18", ""
		}
		return "", ""
	case h.Format.n == 4:
		return "", ""
	}
	vars := strings.Count(h.Text, tplVariable)
	var examples []string
	if h.Example != nil {
		examples = h.Example.HeaderText
	}
	switch {
	case strings.TrimSpace(h.Text) == "":
		return "-84", "header.text"
	case utf8.RuneCountInString(h.Text) > tplMaxHeaderRunes:
		return "-21", ""
	case strings.Count(h.Text, "{{") != vars:
		return "-8", "variables are written {{#}}"
	case tplConsecutiveRE.MatchString(h.Text):
		return "-90", ""
	case vars > 1 || len(examples) != vars:
		return "-91", ""
	}
	for _, e := range examples {
		if strings.TrimSpace(e) == "" {
			return "-84", "header_text example"
		}
	}
	return "", ""
}

// check checks the body of a marketing or utility template: its text, its variables and their examples.
func (b *itnioTplBody) check() (code, detail string) {
	switch {
	case b == nil:
		return "-103", ""
	case b.Type != "BODY":
		return "-86", ""
	case strings.TrimSpace(b.Text) == "":
		return "-103", ""
	}
	vars := strings.Count(b.Text, tplVariable)
	switch {
	case utf8.RuneCountInString(b.Text) > tplMaxBodyRunes:
		return "-8", fmt.Sprintf("body.text is longer than %d characters", tplMaxBodyRunes)
	case strings.Count(b.Text, "{{") != vars:
		return "-8", "variables are written {{#}}"
	case vars > tplMaxBodyVars:
		return "-8", fmt.Sprintf("body.text has more than %d variables", tplMaxBodyVars)
	case tplConsecutiveRE.MatchString(b.Text):
		return "-34", ""
	}
	var sets [][]string
	if b.Example != nil {
		sets = b.Example.BodyText
	}
	switch {
	case vars == 0 && len(sets) == 0:
		return "", ""
	case len(sets) != 1 || len(sets[0]) != vars:
		return "-83", fmt.Sprintf("body_text needs one list of %d examples", vars)
	}
	filled := b.Text
	for _, e := range sets[0] {
		if strings.TrimSpace(e) == "" {
			return "-84", "body_text example"
		}
		filled = strings.Replace(filled, tplVariable, e, 1)
	}
	if utf8.RuneCountInString(filled) > tplMaxBodyRunes {
		return "-82", ""
	}
	return "", ""
}

// check checks the buttons of a marketing or utility template.
func (bs *itnioTplButtons) check() (code, detail string) {
	switch {
	case bs.Type != "BUTTONS":
		return "-8", `button.type must be "BUTTONS"`
	case len(bs.Buttons) == 0:
		return "-8", "button.buttons is empty"
	case len(bs.Buttons) > tplMaxButtons:
		return "-24", ""
	}
	urls := 0
	for i, bt := range bs.Buttons {
		if bt.Type != nil && *bt.Type == tplButtonURL {
			if urls++; urls > tplMaxURLButtons {
				return "-24", "at most 2 URL buttons"
			}
		}
		if code, detail := bt.check(); code != "" {
			return code, fmt.Sprintf("button %d%s", i+1, prefixed(detail))
		}
	}
	return "", ""
}

// check checks one button of a marketing or utility template.
func (bt *itnioTplButton) check() (code, detail string) {
	switch n := utf8.RuneCountInString(bt.Text); {
	case bt.Type == nil:
		return "-23", ""
	case *bt.Type == tplButtonOTP || *bt.Type == tplButtonOneTap:
		return "-8", "OTP buttons are for authentication templates"
	case *bt.Type < tplButtonURL || *bt.Type > tplButtonOneTap:
		return "-8", "type takes 1 to 5"
	case n == 0:
		return "-84", "text"
	case n > tplMaxButtonRunes:
		return "-92", ""
	case *bt.Type == tplButtonPhone && !tplDigitsRE.MatchString(bt.PhoneNumber):
		return "-77", ""
	case *bt.Type == tplButtonURL:
		return bt.checkURL()
	}
	return "", ""
}

// checkURL checks a URL button: an http(s) link of at most 2000 characters, with at most one variable
// ({{1}}) at its end, and then an example link.
func (bt *itnioTplButton) checkURL() (code, detail string) {
	u := bt.URL
	switch {
	case u == "":
		return "-8", "url is required"
	case utf8.RuneCountInString(u) > tplMaxURLRunes:
		return "-8", "url is longer than 2000 characters"
	case !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://"):
		return "-8", "url must be an http(s) link"
	case !strings.Contains(u, "{{"):
		return "", ""
	case strings.Count(u, "{{") != 1 || !strings.HasSuffix(u, tplURLVariable):
		return "-8", "url takes one variable, {{1}}, at its end"
	}
	var examples []string
	if len(bt.Example) == 0 || json.Unmarshal(bt.Example, &examples) != nil || len(examples) != 1 ||
		!strings.HasPrefix(examples[0], "http") || utf8.RuneCountInString(examples[0]) > tplMaxURLRunes {
		return "-8", "a dynamic url needs example: [one http(s) link]"
	}
	return "", ""
}

// prefixed is ": detail", or "" for no detail.
func prefixed(detail string) string {
	if detail == "" {
		return ""
	}
	return ": " + detail
}

// LanguageCode reports whether s is written as a language code (en, en_US), whether or not WhatsApp knows it.
func LanguageCode(s string) bool { return itnioLanguageRE.MatchString(s) }
