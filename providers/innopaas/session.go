package innopaas

import (
	"herald/providers"
)

// The session message objects of innopaas-msg-submit.txt ("multimedia messages"): messageType text with body;
// image, video or document with media; location; interactive (list or button). Fields are named as the
// document names them.

// mediaDto is the media object: the link, a caption, and a document's filename ("required when
// messageType=document").
type mediaDto struct {
	Link     string `json:"link"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// locationDto is the location object.
type locationDto struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
}

// interactiveDto is the interactive object of a list or button message.
type interactiveDto struct {
	Type   string             `json:"type"`
	Header *interactiveHeader `json:"header,omitempty"`
	Body   *textDto           `json:"body,omitempty"`
	Footer *textDto           `json:"footer,omitempty"`
	Action actionDto          `json:"action"`
}

// interactiveHeader is the InteractiveHeader: type text, image, video or document; a media header's link; a text
// header's text as paramValue, the one field the document gives a text header ("valid when type=text").
type interactiveHeader struct {
	Type       string `json:"type"`
	Link       string `json:"link,omitempty"`
	ParamValue string `json:"paramValue,omitempty"`
}

// textDto is the Body and the Footer: a text.
type textDto struct {
	Text string `json:"text"`
}

// actionDto is the action: a button message's buttons, or a list message's button and sections.
type actionDto struct {
	Buttons  []buttonDto  `json:"buttons,omitempty"`
	Button   string       `json:"button,omitempty"`
	Sections []sectionDto `json:"sections,omitempty"`
}

// buttonDto is the Button: type reply, its title and id (a flat object, unlike the Cloud API's).
type buttonDto struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	ID    string `json:"id"`
}

// sectionDto is the Section of a list message.
type sectionDto struct {
	Title string   `json:"title,omitempty"`
	Rows  []rowDto `json:"rows"`
}

// rowDto is the Row of a list section.
type rowDto struct {
	Title       string `json:"title"`
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
}

// sessionRequest turns msg's session message into the submit body; its recipients are set as for a template.
func (a *Adapter) sessionRequest(msg providers.Message) (submitRequest, error) {
	s := msg.Session
	req := submitRequest{WabaID: a.wabaID, MessageType: string(s.Kind), UID: msg.Ref, SendNumber: a.sendNumber,
		RecipientNumber: msg.To}
	switch s.Kind {
	case providers.SessionText:
		req.Body = s.Text
	case providers.SessionImage, providers.SessionVideo, providers.SessionDocument:
		req.Media = &mediaDto{Link: s.Link, Caption: s.Caption, Filename: s.Filename}
	case providers.SessionLocation:
		req.Location = &locationDto{Latitude: s.Latitude, Longitude: s.Longitude, Name: s.Name, Address: s.Address}
	case providers.SessionInteractive:
		in, err := interactive(s)
		if err != nil {
			return submitRequest{}, err
		}
		req.Interactive = in
	default:
		return submitRequest{}, badMessage("session message kind %q: InnoPaaS takes text, image, video, document, location and interactive", s.Kind)
	}
	return req, nil
}

// interactive builds the interactive object of an interactive session message.
func interactive(s *providers.Session) (*interactiveDto, error) {
	i := s.Interactive
	if i == nil {
		return nil, badMessage("an interactive session message has no buttons or list")
	}
	out := &interactiveDto{Type: string(i.Kind), Body: &textDto{Text: s.Text}}
	if h := i.Header; h != nil {
		out.Header = &interactiveHeader{Type: string(h.Kind)}
		switch h.Kind {
		case providers.ParamText:
			out.Header.ParamValue = h.Text
		case providers.ParamImage, providers.ParamVideo, providers.ParamDocument:
			out.Header.Link = h.Link
		default:
			return nil, badMessage("interactive header kind %q: InnoPaaS takes text, image, video and document", h.Kind)
		}
	}
	if i.Footer != "" {
		out.Footer = &textDto{Text: i.Footer}
	}
	switch i.Kind {
	case providers.InteractiveButtons:
		for _, b := range i.Buttons {
			out.Action.Buttons = append(out.Action.Buttons, buttonDto{Type: "reply", Title: b.Title, ID: b.ID})
		}
	case providers.InteractiveList:
		out.Action.Button = i.Button
		for _, sec := range i.Sections {
			rows := make([]rowDto, len(sec.Rows))
			for r, row := range sec.Rows {
				rows[r] = rowDto{Title: row.Title, ID: row.ID, Description: row.Description}
			}
			out.Action.Sections = append(out.Action.Sections, sectionDto{Title: sec.Title, Rows: rows})
		}
	default:
		return nil, badMessage("interactive kind %q: InnoPaaS takes list and button", i.Kind)
	}
	return out, nil
}
