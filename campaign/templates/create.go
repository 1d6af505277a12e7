package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"herald/campaign/check"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/status"
	"herald/campaign/template"
	"herald/providers"
)

// CreateRequest is what creating a template needs: the profile, the template file and, optionally, a
// recipients CSV whose first ready row gives the examples the template file's example: leaves out.
type CreateRequest struct {
	Profile      providers.Profile
	TemplatePath string
	CSVPath      string
	// PhoneColumn and Region read the CSV as a campaign would.
	PhoneColumn string
	Region      string
}

// Draft is a template ready to be submitted, for the user to check first: the request exactly as the provider
// will receive it.
type Draft struct {
	Template   *template.Template
	Definition providers.TemplateDefinition
	Examples   Examples
	// Request is the request Submit sends; its Body is indented for reading by Create (Submit sends the same
	// document).
	Request providers.PreparedRequest
	api     *API
}

// Create loads the template file, finds an example for each variable (example:, else the CSV's first ready
// row, else the variable's fallback), builds the provider's definition and the request that would submit it.
// Nothing leaves until Submit. The caller closes the draft.
func Create(ctx context.Context, req CreateRequest) (*Draft, error) {
	t, err := template.Load(req.TemplatePath)
	if err != nil {
		return nil, err
	}
	if t.IsSession() {
		return nil, fmt.Errorf("%s is a session message (kind: session): it is sent as it is to people who wrote in "+
			"the last 24 hours, with nothing to create or approve at the provider", req.TemplatePath)
	}
	var row []string
	var where string
	if req.CSVPath != "" {
		if row, where, err = firstReadyRow(ctx, req, t); err != nil {
			return nil, err
		}
	}
	ex := examples(t, row, where)
	def, err := Definition(t, ex)
	if err != nil {
		return nil, err
	}
	api, err := Open(req.Profile)
	if err != nil {
		return nil, err
	}
	prepared, err := api.Manager.PrepareTemplate(def)
	if err != nil {
		_ = api.Close()
		return nil, fmt.Errorf("%s: %s cannot take this template: %w", req.TemplatePath, api.Provider, err)
	}
	var indented bytes.Buffer
	if json.Indent(&indented, prepared.Body, "", "  ") == nil {
		prepared.Body = indented.Bytes()
	}
	return &Draft{Template: t, Definition: def, Examples: ex, Request: prepared, api: api}, nil
}

// Provider names the provider the draft goes to.
func (d *Draft) Provider() string { return d.api.Provider }

// Submit sends the draft to the provider and returns the template as the provider created it (PENDING,
// typically). A refusal is an error saying what to change.
func (d *Draft) Submit(ctx context.Context) (providers.TemplateInfo, error) {
	info, err := d.api.Manager.CreateTemplate(ctx, d.Definition)
	if err != nil {
		return providers.TemplateInfo{}, fmt.Errorf("%s: %w", d.Template.Path, d.api.wrap(err))
	}
	return info, nil
}

// Close closes the provider's connections.
func (d *Draft) Close() error { return d.api.Close() }

// examples picks each variable's example: the template file's example: for its column, else its value in
// row (found at where), else its fallback; "" when none.
func examples(t *template.Template, row []string, where string) Examples {
	vars := t.Variables()
	ex := Examples{Values: make([]string, len(vars)), Sources: make([]string, len(vars))}
	for i, v := range vars {
		switch s, ok := t.Example(v.Column); {
		case ok:
			ex.Values[i], ex.Sources[i] = s, "example:"
		case row != nil && row[i] != "":
			ex.Values[i], ex.Sources[i] = row[i], where
		case v.HasFallback:
			ex.Values[i], ex.Sources[i] = v.Fallback, "fallback"
		}
	}
	return ex
}

// errFound stops the check at the first ready row.
var errFound = errors.New("found a ready row")

// firstReadyRow checks req's CSV against t as a campaign would and returns the values of t's variables in its
// first ready row, with where that row is ("row 2 of sample.csv").
func firstReadyRow(ctx context.Context, req CreateRequest, t *template.Template) ([]string, string, error) {
	phones, err := phone.NewNormalizer(req.Region)
	if err != nil {
		return nil, "", fmt.Errorf("--region: %w", err)
	}
	rec, err := recipients.Open(req.CSVPath, recipients.Options{PhoneColumn: req.PhoneColumn})
	if err != nil {
		return nil, "", err
	}
	defer rec.Close()
	b, err := t.Bind(rec.Header())
	if err != nil {
		return nil, "", err
	}
	var fields []string
	num := 0
	c := &check.Checker{Recipients: rec, Binding: b, Phones: phones, Workers: 1}
	_, err = c.Run(ctx, func(r *check.Row) error {
		if fields == nil && r.Status == status.Ready {
			fields, num = slices.Clone(r.Fields), r.Num
		}
		if fields != nil {
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, "", err
	}
	if fields == nil {
		return nil, "", fmt.Errorf("%s has no ready row to take examples from: run herald preview on it, or give them under example: in %s", req.CSVPath, req.TemplatePath)
	}
	return b.Cells(fields), fmt.Sprintf("row %d of %s", num, req.CSVPath), nil
}
