package campaign

import (
	"errors"
	"fmt"

	"herald/providers"
)

// ErrInput marks errors in what the user gave (flags, files, config): nothing was sent, exit code 2.
var ErrInput = errors.New("input error")

// inputError wraps err so that errors.Is(err, ErrInput) holds while its text stays the user's sentence.
type inputError struct{ err error }

// Error is the user's sentence, unchanged.
func (e inputError) Error() string { return e.err.Error() }

// Unwrap exposes both the cause and ErrInput to errors.Is and errors.As.
func (e inputError) Unwrap() []error { return []error{e.err, ErrInput} }

// InputError marks err as an input error (exit code 2).
func InputError(err error) error {
	if err == nil || errors.Is(err, ErrInput) {
		return err
	}
	return inputError{err}
}

// Plan is one campaign as the user described it with flags and the config file.
type Plan struct {
	CSVPath      string
	TemplatePath string
	// PhoneColumn names the phone column ("" picks the first of phone, mobile, msisdn, ...).
	PhoneColumn string
	// Region is the default country for numbers written without a country code ("" for none).
	Region string
	// Campaign is the campaign's identity in the state store; default "<csv stem>-<template name>".
	Campaign string
	// OutPath is the results CSV; default "<csv stem>.<campaign>.results.csv" beside the CSV.
	OutPath string
	// StatePath is the state store; default DefaultStatePath().
	StatePath string
	// Profile is the provider account, already checked.
	Profile providers.Profile
	// Rate is messages per second (0: the profile's, else 20); Concurrency the most requests in flight
	// (0: the profile's, else sized from the rate and the latency).
	Rate        float64
	Concurrency int
	// RetryFailed resends rows whose last outcome was a retryable failure; ResendUnknown resends unknown rows.
	RetryFailed   bool
	ResendUnknown bool
}

// Input is a plan with its files opened and checked against each other: ready to stream rows.
type Input struct {
	Plan       Plan
	Template   *Template
	Binding    *Binding
	Recipients *Recipients
	Phones     *PhoneNormalizer
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
	phones, err := NewPhoneNormalizer(plan.Region)
	if err != nil {
		return nil, InputError(fmt.Errorf("--region: %w", err))
	}
	tpl, err := LoadTemplate(plan.TemplatePath)
	if err != nil {
		return nil, InputError(err)
	}
	rec, err := OpenRecipients(plan.CSVPath, RecipientsOptions{PhoneColumn: plan.PhoneColumn})
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
	return &Input{Plan: plan, Template: tpl, Binding: b, Recipients: rec, Phones: phones}, nil
}

// Close closes the CSV.
func (in *Input) Close() error { return in.Recipients.Close() }

// Checker returns a checker over the input's rows.
func (in *Input) Checker() *Checker {
	return &Checker{Recipients: in.Recipients, Binding: in.Binding, Phones: in.Phones}
}

// IsInputError reports whether err is an input error (exit code 2).
func IsInputError(err error) bool { return errors.Is(err, ErrInput) }
