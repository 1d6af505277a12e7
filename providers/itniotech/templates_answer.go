package itniotech

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"herald/providers"
)

// codeTemplateNotFound is the documented "current template was not found" status, which a query for a
// template Itniotech does not have answers.
const codeTemplateNotFound = "-38"

// Where a template's fields may be found in a template answer. template/add documents templateId,
// templateName, type, languageCode and status; the query's answer is not documented, so the spellings the
// Cloud API and Itniotech's other answers use are read too.
var (
	idKeys       = []string{"templateId", "id"}
	nameKeys     = []string{"templateName", "name"}
	typeKeys     = []string{"type", "category"}
	languageKeys = []string{"languageCode", "language"}
	statusKeys   = []string{"status", "templateStatus"}
	reasonKeys   = []string{"reason", "rejectedReason", "rejectReason", "rejected_reason", "failReason"}
	// listKeys hold a list of templates when the data is an object around one.
	listKeys = []string{"list", "records", "rows", "templates", "data"}
)

// categoryOfType is herald's category for Itniotech's template type (a number, or the name it stands for).
var categoryOfType = map[string]providers.TemplateCategory{
	"0": providers.CategoryAuthentication, "1": providers.CategoryMarketing, "2": providers.CategoryUtility,
	"AUTHENTICATION": providers.CategoryAuthentication, "MARKETING": providers.CategoryMarketing,
	"UTILITY": providers.CategoryUtility,
}

// parseTemplateAnswer reads a template/add or template/query answer: the templates its data holds (one object,
// a list, or an object around a list), or the refusal as a *providers.Error.
func parseTemplateAnswer(a providers.Answer) ([]providers.TemplateInfo, error) {
	var env envelope
	if err := json.Unmarshal(a.Body, &env); err != nil {
		return nil, providers.NotJSON(a, err)
	}
	status := strings.TrimSpace(string(env.Status))
	if status == "" || len(status) > maxCodeLen {
		return nil, providers.NotJSON(a, errNoStatus)
	}
	if status != statusSent {
		return nil, templateError(a, status, env.Reason)
	}
	items, err := templateItems(env.Data)
	if err != nil {
		return nil, providers.NotJSON(a, err)
	}
	infos := make([]providers.TemplateInfo, 0, len(items))
	for _, m := range items {
		info := providers.TemplateInfo{ID: text(m, idKeys), Name: text(m, nameKeys), Language: text(m, languageKeys),
			Category: categoryOfType[strings.ToUpper(text(m, typeKeys))],
			Status:   providers.TemplateState(strings.ToUpper(text(m, statusKeys))), Reason: text(m, reasonKeys)}
		infos = append(infos, info)
	}
	return infos, nil
}

// templateItems returns the template objects in data.
func templateItems(data json.RawMessage) ([]map[string]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, nil
	}
	if data[0] == '[' {
		var list []map[string]json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("reading the list of templates: %w", err)
		}
		return list, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	for _, k := range listKeys {
		if inner := bytes.TrimSpace(obj[k]); len(inner) > 0 && inner[0] == '[' {
			return templateItems(inner)
		}
	}
	return []map[string]json.RawMessage{obj}, nil
}

// text returns the first of keys that m holds as a string or a number, trimmed; "" when none does.
func text(m map[string]json.RawMessage, keys []string) string {
	for _, k := range keys {
		var s looseString
		if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil && strings.TrimSpace(string(s)) != "" {
			return strings.TrimSpace(string(s))
		}
	}
	return ""
}

// templateError classifies a refusal of the template API: its sentence from templateSentences, where the fix
// is in the template file, else from the code table every endpoint shares.
func templateError(a providers.Answer, code, reason string) *providers.Error {
	e := statusError(a, code, "")
	if s, ok := templateSentences[code]; ok {
		e.Message = s
	} else if _, documented := codes[code]; !documented {
		e.Message = fmt.Sprintf("Itniotech refused the template with status %s (HTTP %d)", code, a.Status)
	}
	if reason != "" {
		e.Message += fmt.Sprintf(" (Itniotech says %q)", providers.Snippet([]byte(reason), 200))
	}
	return e
}
