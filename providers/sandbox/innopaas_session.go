package sandbox

import (
	"herald/providers/sandbox/sessions"
	"strconv"
)

// innopaasSessionRules are the session messageTypes of innopaas-msg-submit.txt that herald sends: a document's
// filename is required; an interactive header (InteractiveHeader) is text, image, video or document, without a
// file name.
var innopaasSessionRules = sessions.Rules{Types: []string{"text", "image", "video", "document", "location", "interactive"},
	Interactive: []string{"button", "list"}, Headers: []string{"text", "image", "video", "document"},
	RequireFilename: true}

// innopaasSession holds a session message's fields as the document names them.
type innopaasSession struct {
	Body        string               `json:"body"`
	Media       *sessions.Media      `json:"media"`
	Location    *sessions.Location   `json:"location"`
	Interactive *innopaasInteractive `json:"interactive"`
}

// innopaasInteractive is the document's interactive object.
type innopaasInteractive struct {
	Type   string `json:"type"`
	Header *struct {
		Type       string `json:"type"`
		Link       string `json:"link"`
		Caption    string `json:"caption"`
		ParamValue string `json:"paramValue"`
	} `json:"header"`
	Body   *sessions.Text `json:"body"`
	Footer *sessions.Text `json:"footer"`
	Action *struct {
		Buttons []struct {
			Type  string `json:"type"`
			Title string `json:"title"`
			ID    string `json:"id"`
		} `json:"buttons"`
		Button   string `json:"button"`
		Sections []struct {
			Title string         `json:"title"`
			Rows  []sessions.Row `json:"rows"`
		} `json:"sections"`
	} `json:"action"`
}

// content is the session message in the Cloud API's shapes, which sessions.Check reads: body becomes the text,
// media the object of messageType, a text header's paramValue its text, a flat button a reply.
func (b *innopaasRequest) content() *sessions.Content {
	c := &sessions.Content{Location: b.Location}
	if b.Body != "" {
		c.Text = &sessions.TextMessage{Body: b.Body}
	}
	switch b.MessageType {
	case "image":
		c.Image = b.Media
	case "video":
		c.Video = b.Media
	case "document":
		c.Document = b.Media
	}
	in := b.Interactive
	if in == nil {
		return c
	}
	c.Interactive = &sessions.Interactive{Type: in.Type, Body: in.Body, Footer: in.Footer}
	if h := in.Header; h != nil {
		ch := &sessions.Header{Type: h.Type, Text: h.ParamValue}
		m := &sessions.Media{Link: h.Link, Caption: h.Caption}
		switch h.Type {
		case "image":
			ch.Image = m
		case "video":
			ch.Video = m
		case "document":
			ch.Document = m
		}
		c.Interactive.Header = ch
	}
	if a := in.Action; a != nil {
		ca := &sessions.Action{Button: a.Button}
		for _, bt := range a.Buttons {
			sb := sessions.Button{Type: bt.Type}
			sb.Reply = &struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			}{ID: bt.ID, Title: bt.Title}
			ca.Buttons = append(ca.Buttons, sb)
		}
		for _, sec := range a.Sections {
			ca.Sections = append(ca.Sections, sessions.Section{Title: sec.Title, Rows: sec.Rows})
		}
		c.Interactive.Action = ca
	}
	return c
}

// checkSession checks a session message: none of a template's fields, the part its messageType names.
func (b *innopaasRequest) checkSession() string {
	switch {
	case b.TemplateName != "" || b.Language != "" || b.Header != nil || len(b.BodyParams) > 0 || len(b.ButtonParams) > 0:
		return "templateName, language, header, bodyParams and buttonParams are for messageType=template, not " +
			strconv.Quote(b.MessageType)
	case b.MessageType == "text" && b.Body == "":
		return "body is required for messageType=text"
	case b.MessageType != "text" && b.Body != "":
		return "body is for messageType=text only"
	case b.Media != nil && b.MessageType != "image" && b.MessageType != "video" && b.MessageType != "document":
		return "media is for messageType image, video, audio or document"
	case b.Interactive != nil && b.Interactive.Header != nil && b.Interactive.Header.Type != "text" &&
		b.Interactive.Header.ParamValue != "":
		return "interactive.header.paramValue is for a text header only"
	}
	if p := sessions.Check(b.MessageType, b.content(), innopaasSessionRules); p != nil {
		return p.Msg
	}
	return ""
}

// sessionLabel names the session message for the log; "" for a template message.
func (b *innopaasRequest) sessionLabel() string {
	if b.MessageType == "template" {
		return ""
	}
	label := b.MessageType
	if b.Interactive != nil {
		label += "/" + b.Interactive.Type
	}
	return label
}
