package itniotech

import (
	"fmt"
	"strings"

	"herald/providers"
)

// The documented template endpoints. The query's request is not documented (only its path and the statuses):
// see templateQueryRequest.
const (
	TemplateAddPath   = "/wa/template/add"
	TemplateQueryPath = "/wa/template/query"
)

// Itniotech's template types, by herald's category.
var templateTypes = map[providers.TemplateCategory]int{
	providers.CategoryAuthentication: 0,
	providers.CategoryMarketing:      1,
	providers.CategoryUtility:        2,
}

// Itniotech's header formats, by parameter kind.
var headerFormats = map[providers.ParamKind]int{
	providers.ParamText: 0, providers.ParamImage: 1, providers.ParamVideo: 2, providers.ParamDocument: 3,
	providers.ParamLocation: 4,
}

// Itniotech's button types.
const (
	buttonURL        = 1
	buttonQuickReply = 2
)

// urlVariable is how Itniotech names the one variable at the end of a URL button's link.
const urlVariable = "{{1}}"

// templateAddRequest is the body of POST /wa/template/add.
type templateAddRequest struct {
	AppID        string             `json:"appId"`
	ChannelType  int                `json:"channelType"`
	TemplateName string             `json:"templateName"`
	Type         int                `json:"type"`
	Language     string             `json:"language"`
	Components   templateComponents `json:"components"`
}

// templateComponents are the template's parts, each an object under its own key (not the Cloud API's list).
type templateComponents struct {
	Header *headerComponent `json:"header,omitempty"`
	Body   *bodyComponent   `json:"body,omitempty"`
	Footer *footerComponent `json:"footer,omitempty"`
	Button *buttonComponent `json:"button,omitempty"`
}

type headerComponent struct {
	Type    string         `json:"type"`
	Format  int            `json:"format"`
	Text    string         `json:"text,omitempty"`
	Example *headerExample `json:"example,omitempty"`
}

type headerExample struct {
	HeaderText []string `json:"header_text"`
}

type bodyComponent struct {
	Type    string       `json:"type"`
	Text    string       `json:"text"`
	Example *bodyExample `json:"example,omitempty"`
}

// bodyExample holds one set of examples: one value per variable, in order.
type bodyExample struct {
	BodyText [][]string `json:"body_text"`
}

type footerComponent struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type buttonComponent struct {
	Type    string         `json:"type"`
	Buttons []templateItem `json:"buttons"`
}

// templateItem is one button.
type templateItem struct {
	Type    int      `json:"type"`
	Text    string   `json:"text"`
	URL     string   `json:"url,omitempty"`
	Example []string `json:"example,omitempty"`
}

// templateQueryRequest is the body of POST /wa/template/query. Itniotech documents only the path and the
// statuses, so this is an assumption made tolerant: the application as every call names it, and the template's
// name and language as template/add calls them, left out to ask for every template.
type templateQueryRequest struct {
	AppID        string `json:"appId"`
	ChannelType  int    `json:"channelType"`
	TemplateName string `json:"templateName,omitempty"`
	Language     string `json:"language,omitempty"`
}

// consoleOnly ends the sentences about templates herald cannot describe to Itniotech.
const consoleOnly = "create this template in the Itniotech console"

// newTemplateAddRequest builds the template/add body for def, or says what of def Itniotech's API cannot take.
func newTemplateAddRequest(appID string, def providers.TemplateDefinition) (*templateAddRequest, error) {
	typ, ok := templateTypes[def.Category]
	switch {
	case !ok:
		return nil, fmt.Errorf("category %q is not one Itniotech knows: use marketing, utility or authentication", def.Category)
	case def.Category == providers.CategoryAuthentication:
		return nil, fmt.Errorf("authentication templates are built by Itniotech from its own one-time-code text and copy-code button, which a template file does not describe: %s", consoleOnly)
	}
	req := &templateAddRequest{AppID: appID, ChannelType: channelWhatsApp, TemplateName: def.Name, Type: typ,
		Language: def.Language}
	c := &req.Components
	if h := def.Header; h != nil {
		header, err := newHeader(h)
		if err != nil {
			return nil, err
		}
		c.Header = header
	}
	if err := consecutive("body", def.Body.Text); err != nil {
		return nil, err
	}
	c.Body = &bodyComponent{Type: "BODY", Text: def.Body.Text}
	if err := examplesFit("body", def.Body); err != nil {
		return nil, err
	}
	if len(def.Body.Examples) > 0 {
		c.Body.Example = &bodyExample{BodyText: [][]string{def.Body.Examples}}
	}
	if def.Footer != "" {
		c.Footer = &footerComponent{Type: "FOOTER", Text: def.Footer}
	}
	if len(def.Buttons) > 0 {
		c.Button = &buttonComponent{Type: "BUTTONS"}
		for i, b := range def.Buttons {
			item, err := newButton(i, b)
			if err != nil {
				return nil, err
			}
			c.Button.Buttons = append(c.Button.Buttons, item)
		}
	}
	return req, nil
}

// newHeader builds the header component: text (format 0) or location (4). Image, video and document headers
// need a sample file uploaded through an API herald does not have.
func newHeader(h *providers.TemplateHeader) (*headerComponent, error) {
	format, ok := headerFormats[h.Format]
	switch {
	case !ok:
		return nil, fmt.Errorf("a %q header is not one Itniotech knows: use text, image, video, document or location", h.Format)
	case h.Format == providers.ParamImage || h.Format == providers.ParamVideo || h.Format == providers.ParamDocument:
		return nil, fmt.Errorf("a header of type %s needs a sample uploaded to Itniotech first (header_handle), which herald cannot do: %s, or use a text header", h.Format, consoleOnly)
	case h.Format == providers.ParamLocation:
		return &headerComponent{Type: "HEADER", Format: format}, nil
	}
	if err := consecutive("header", h.Text); err != nil {
		return nil, err
	}
	if err := examplesFit("header", h.TemplateText); err != nil {
		return nil, err
	}
	hc := &headerComponent{Type: "HEADER", Format: format, Text: h.Text}
	if len(h.Examples) > 0 {
		hc.Example = &headerExample{HeaderText: h.Examples}
	}
	return hc, nil
}

// newButton builds button i (from 0): a URL (static, or with {{1}} at its end) or a quick reply.
func newButton(i int, b providers.TemplateButton) (templateItem, error) {
	switch b.Kind {
	case providers.ButtonQuickReply:
		return templateItem{Type: buttonQuickReply, Text: b.Text}, nil
	case providers.ButtonURL:
		n := strings.Count(b.URL, providers.Placeholder)
		switch {
		case n == 0:
			return templateItem{Type: buttonURL, Text: b.Text, URL: b.URL}, nil
		case n > 1 || !strings.HasSuffix(b.URL, providers.Placeholder):
			return templateItem{}, fmt.Errorf("button %d: Itniotech takes one variable in a link, at its end", i+1)
		case b.Example == "":
			return templateItem{}, fmt.Errorf("button %d: the link has a variable but no example", i+1)
		}
		url := strings.TrimSuffix(b.URL, providers.Placeholder) + urlVariable
		return templateItem{Type: buttonURL, Text: b.Text, URL: url, Example: []string{b.Example}}, nil
	}
	return templateItem{}, fmt.Errorf("button %d is a %q button, which herald cannot create at Itniotech: %s", i+1, b.Kind, consoleOnly)
}

// examplesFit checks that a text has one example per variable.
func examplesFit(part string, t providers.TemplateText) error {
	if n := strings.Count(t.Text, providers.Placeholder); n != len(t.Examples) {
		return fmt.Errorf("the %s has %d variables but %d examples: give one example per variable", part, n, len(t.Examples))
	}
	return nil
}

// consecutive refuses two variables with nothing but spaces between them, which Itniotech rejects (-34, -90).
func consecutive(part, text string) error {
	pieces := strings.Split(text, providers.Placeholder)
	for i := 1; i < len(pieces)-1; i++ {
		if strings.TrimSpace(pieces[i]) == "" {
			return fmt.Errorf("the %s has variables %d and %d next to each other, which Itniotech refuses: put words between them", part, i, i+1)
		}
	}
	return nil
}
