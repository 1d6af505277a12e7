package itniotech

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"herald/providers"
)

// The Adapter manages templates through Itniotech's template API.
var _ providers.TemplateManager = (*Adapter)(nil)

// endpoint is the URL of one of Itniotech's documented paths on the profile's host.
func (a *Adapter) endpoint(path string) string { return strings.TrimSuffix(a.url, SendPath) + path }

// PrepareTemplate returns the template/add request for def: its URL and the JSON body Itniotech receives. The
// signature headers, which carry the api key, are left out.
func (a *Adapter) PrepareTemplate(def providers.TemplateDefinition) (providers.PreparedRequest, error) {
	payload, err := newTemplateAddRequest(a.appID, def)
	if err != nil {
		return providers.PreparedRequest{}, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return providers.PreparedRequest{}, fmt.Errorf("itniotech: encoding the template: %w", err)
	}
	return providers.PreparedRequest{Method: http.MethodPost, URL: a.endpoint(TemplateAddPath), Body: body}, nil
}

// CreateTemplate submits def (the request PrepareTemplate returns) and returns the template as Itniotech
// created it, or its refusal as a *providers.Error whose message says what to change.
func (a *Adapter) CreateTemplate(ctx context.Context, def providers.TemplateDefinition) (providers.TemplateInfo, error) {
	req, err := a.PrepareTemplate(def)
	if err != nil {
		return providers.TemplateInfo{}, err
	}
	answer, err := a.post(ctx, req.URL, req.Body)
	if err != nil {
		return providers.TemplateInfo{}, err
	}
	infos, err := parseTemplateAnswer(answer)
	if err != nil {
		return providers.TemplateInfo{}, err
	}
	info := providers.TemplateInfo{Name: def.Name, Language: def.Language, Category: def.Category,
		Status: providers.TemplatePending}
	if len(infos) > 0 {
		info = fillIn(infos[0], info)
	}
	return info, nil
}

// Templates asks template/query for the templates called name in language ("" for any) and returns those
// that match; none is an error wrapping providers.ErrNoTemplate.
func (a *Adapter) Templates(ctx context.Context, name, language string) ([]providers.TemplateInfo, error) {
	body, err := json.Marshal(templateQueryRequest{AppID: a.appID, ChannelType: channelWhatsApp, TemplateName: name,
		Language: language})
	if err != nil {
		return nil, fmt.Errorf("itniotech: encoding the template query: %w", err)
	}
	answer, err := a.post(ctx, a.endpoint(TemplateQueryPath), body)
	if err != nil {
		return nil, err
	}
	infos, err := parseTemplateAnswer(answer)
	if err != nil {
		if pe, ok := err.(*providers.Error); ok && pe.Code == codeTemplateNotFound {
			pe.Err = providers.ErrNoTemplate
		}
		return nil, err
	}
	var found []providers.TemplateInfo
	for _, info := range infos {
		// An answer that leaves out the name or language is taken as the one asked for.
		info = fillIn(info, providers.TemplateInfo{Name: name, Language: language})
		if (name == "" || strings.EqualFold(info.Name, name)) && (language == "" || strings.EqualFold(info.Language, language)) {
			found = append(found, info)
		}
	}
	if len(found) == 0 && name != "" {
		what := name
		if language != "" {
			what += " (" + language + ")"
		}
		return nil, &providers.Error{Class: providers.ClassFatal, Code: codeTemplateNotFound, HTTPStatus: answer.Status,
			Message: "Itniotech has no template " + what + ": check name: and language: in the template file, or create it",
			Err:     providers.ErrNoTemplate}
	}
	return found, nil
}

// fillIn returns info with its empty fields taken from dflt.
func fillIn(info, dflt providers.TemplateInfo) providers.TemplateInfo {
	if info.Name == "" {
		info.Name = dflt.Name
	}
	if info.Language == "" {
		info.Language = dflt.Language
	}
	if info.Category == "" {
		info.Category = dflt.Category
	}
	if info.Status == "" {
		info.Status = dflt.Status
	}
	return info
}
