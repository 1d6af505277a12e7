package campaign

import (
	"errors"
	"fmt"

	"herald/campaign/check"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/template"
	"herald/providers/open"
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

// Open loads the template, checks that the profile's provider can carry it, opens the CSV, checks the template
// against the CSV's header and fills the plan's defaults. Every error is an input error (exit 2) naming the file
// and the fix.
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
	if err := carries(plan, tpl); err != nil {
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
	if err := checkPaths(plan); err != nil {
		rec.Close()
		return nil, InputError(err)
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

// carries checks that the plan's provider can carry the template (its header kind, its parameterised buttons),
// so that what the provider's documents do not list is an input error at preview, never a surprise at send. A
// plan without a profile (tests of the rows alone) is not checked.
func carries(plan Plan, tpl *template.Template) error {
	if plan.Profile.Provider == "" {
		return nil
	}
	if err := open.Check(plan.Profile, tpl.Needs()); err != nil {
		return fmt.Errorf("%s (profile %q): %w", plan.TemplatePath, plan.Profile.Name, err)
	}
	return nil
}

// Close closes the CSV.
func (in *Input) Close() error { return in.Recipients.Close() }

// Checker returns a checker over the input's rows.
func (in *Input) Checker() *check.Checker {
	return &check.Checker{Recipients: in.Recipients, Binding: in.Binding, Phones: in.Phones, Guards: in.Guards}
}
