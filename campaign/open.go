package campaign

import (
	"errors"
	"fmt"

	"herald/campaign/check"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/template"
)

// Input is a plan with its files opened and checked against each other: ready to stream rows.
type Input struct {
	Plan       Plan
	Template   *template.Template
	Binding    *template.Binding
	Recipients *recipients.Reader
	Phones     *phone.Normalizer
	// Guards hold ready rows back before anything is sent: the opt-out list, among others.
	Guards []check.Guard
}

// Open loads the template, opens the CSV, checks the template against the CSV's header and fills the plan's
// defaults. Every error is an input error (exit 2) naming the file and the fix.
func Open(plan Plan) (*Input, error) {
	if plan.CSVPath == "" {
		return nil, InputError(errors.New("no recipients CSV: pass --csv FILE"))
	}
	if plan.TemplatePath == "" {
		return nil, InputError(errors.New("no template: pass --template FILE (see templates/spring_sale.yaml)"))
	}
	phones, err := phone.NewNormalizer(plan.Region)
	if err != nil {
		return nil, InputError(fmt.Errorf("--region: %w", err))
	}
	tpl, err := template.Load(plan.TemplatePath)
	if err != nil {
		return nil, InputError(err)
	}
	rec, err := recipients.Open(plan.CSVPath, recipients.Options{PhoneColumn: plan.PhoneColumn})
	if err != nil {
		return nil, InputError(err)
	}
	b, err := tpl.Bind(rec.Header())
	if err != nil {
		rec.Close()
		return nil, InputError(err)
	}
	if plan.Campaign == "" {
		plan.Campaign = DefaultCampaignName(plan.CSVPath, tpl.Name)
	}
	if plan.OutPath == "" {
		plan.OutPath = DefaultResultsPath(plan.CSVPath, plan.Campaign)
	}
	if plan.StatePath == "" {
		plan.StatePath = DefaultStatePath()
	}
	in := &Input{Plan: plan, Template: tpl, Binding: b, Recipients: rec, Phones: phones}
	optOuts, err := optOutGuard(plan.StatePath, plan.Profile)
	if err != nil {
		rec.Close()
		return nil, err
	}
	if optOuts != nil {
		in.Guards = append(in.Guards, optOuts)
	}
	return in, nil
}

// Close closes the CSV.
func (in *Input) Close() error { return in.Recipients.Close() }

// Checker returns a checker over the input's rows.
func (in *Input) Checker() *check.Checker {
	return &check.Checker{Recipients: in.Recipients, Binding: in.Binding, Phones: in.Phones, Guards: in.Guards}
}
