package campaign

import (
	"math"
	"time"

	"herald/providers"
)

// DefaultRate is the pace, in messages per second, of a campaign whose profile and flags name none.
const DefaultRate = 20

// Plan is one campaign as the user described it with flags (or the setup screen) and the config file. Fields
// left zero take their defaults when the plan is opened (paths, campaign name) or when it runs (rate,
// concurrency): the rules for those defaults are the methods below, and nowhere else.
type Plan struct {
	CSVPath      string
	TemplatePath string
	// PhoneColumn names the phone column ("" picks the first of phone, mobile, msisdn, ...).
	PhoneColumn string
	// Region is the default country for numbers written without a country code ("" for none).
	Region string
	// Campaign is the campaign's identity in the state store; default "<csv stem>-<template name>".
	Campaign string
	// OutPath is the results CSV; default "<campaign>.results.csv" beside the CSV.
	OutPath string
	// StatePath is the state store; default DefaultStatePath().
	StatePath string
	// ConfigPath is the config file the profile came from ("" for none): an input no output may overwrite.
	ConfigPath string
	// Profile is the provider account, already checked.
	Profile providers.Profile
	// Rate is --rate, messages per second (math.Inf(1) for unlimited); 0 takes the profile's, else DefaultRate.
	Rate float64
	// Concurrency is --concurrency, the most requests in flight; 0 takes the profile's, else it is sized from
	// the rate and the latency as the run goes.
	Concurrency int
	// RetryFailed resends rows whose last outcome was a retryable failure; ResendUnknown resends unknown rows.
	RetryFailed   bool
	ResendUnknown bool
	// Listen receives the providers' callbacks during the run (--listen); the built-in sandbox profile listens
	// on loopback by itself.
	Listen Listening
	// SendWindow is --send-window, HH:MM-HH:MM of each recipient's local time ("" for none).
	SendWindow string
	// FrequencyCap is --frequency-cap; 0 takes the profile's frequency_cap, a negative value turns it off.
	FrequencyCap time.Duration
	// PricesPath is --prices, the price table of the cost estimate ("" for none).
	PricesPath string
	// FollowUp is --followup: the campaign whose repliers CSVPath holds (FollowUp.Plan); "" otherwise. Only the
	// commands a front end prints use it.
	FollowUp string
}

// SendFrequencyCap is how recently another campaign may have messaged a number before this one suppresses it:
// --frequency-cap, else the profile's frequency_cap; 0 for no cap.
func (p Plan) SendFrequencyCap() time.Duration {
	switch {
	case p.FrequencyCap > 0:
		return p.FrequencyCap
	case p.FrequencyCap < 0:
		return 0
	}
	return p.Profile.FrequencyCap
}

// SendRate is the pace the campaign runs at: --rate, else the profile's rate, else DefaultRate.
func (p Plan) SendRate() float64 {
	switch {
	case p.Rate > 0:
		return p.Rate
	case p.Profile.Rate > 0:
		return p.Profile.Rate
	}
	return DefaultRate
}

// SendConcurrency is the most requests in flight: --concurrency, else the profile's, else 0 (sized from the
// rate and the latency).
func (p Plan) SendConcurrency() int {
	if p.Concurrency > 0 {
		return p.Concurrency
	}
	return p.Profile.Concurrency
}

// Unlimited reports whether the plan sends as fast as the provider answers.
func (p Plan) Unlimited() bool { return math.IsInf(p.SendRate(), 1) }
