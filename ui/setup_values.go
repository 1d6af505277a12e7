package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"herald/campaign/config"
	"herald/campaign/human"
	"herald/campaign/phone"
	"herald/ui/common"
)

// What each field of the setup shows: its value, or what choosing one does.

// phoneText is the phone column: the one found or chosen, or how to choose one when none was found.
func (s *setupPane) phoneText() string {
	switch {
	case s.info != nil && s.plan.PhoneColumn == "":
		return "column " + s.info.phoneColumn + s.Styles.Muted.Render(" (found by its name; c picks another)")
	case s.info != nil:
		return "column " + s.info.phoneColumn
	case len(s.columns) > 0:
		return s.Styles.Muted.Render(fmt.Sprintf("none found: press c to pick one of the %d columns", len(s.columns)))
	}
	return s.Styles.Muted.Render("-")
}

// regionText is the default country for numbers without a country code, or the one the file suggests.
func (s *setupPane) regionText() string {
	muted := s.Styles.Muted
	if r := s.plan.Region; r != "" {
		return r + " (+" + phone.CallingCode(r) + ")" + muted.Render(" · numbers without a country code are "+r+" numbers")
	}
	switch suggested := s.suggestedRegion(); {
	case s.result != nil && s.result.national == 0:
		return "none" + muted.Render(" · every number has its country code")
	case suggested == "":
		return "none" + muted.Render(" · every number must start with its country code")
	case len(s.result.regions) > 0:
		return "none" + muted.Render(fmt.Sprintf(" · c sets %s (+%s), the country of most numbers", suggested, phone.CallingCode(suggested)))
	default:
		return "none" + muted.Render(fmt.Sprintf(" · c sets %s, your computer's region", suggested))
	}
}

// windowText is the send window, or what setting one does.
func (s *setupPane) windowText() string {
	muted := s.Styles.Muted
	if w := s.plan.SendWindow; w != "" {
		return w + muted.Render(" of each recipient's local time")
	}
	return "none" + muted.Render(" · c sets hours of the recipients' local time")
}

// capText is the frequency cap in force (the field's, else the profile's), or what setting one does.
func (s *setupPane) capText() string {
	muted := s.Styles.Muted
	profile := s.plan.Profile
	what := muted.Render(" · suppresses numbers other campaigns messaged within it")
	switch c := s.plan.FrequencyCap; {
	case c > 0:
		return capString(c) + what
	case c < 0 && profile.FrequencyCap > 0:
		return "none" + muted.Render(" · the profile's frequency_cap ("+capString(profile.FrequencyCap)+") is off")
	case c == 0 && profile.FrequencyCap > 0:
		return capString(profile.FrequencyCap) + muted.Render(" (profile "+profile.Name+")") + what
	}
	return "none" + muted.Render(" · c suppresses numbers another campaign messaged recently")
}

// capString is a cap as people write it: 72h, 1h30m, 90s.
func capString(d time.Duration) string {
	s := d.String()
	if d%time.Minute == 0 {
		s = strings.TrimSuffix(s, "0s")
	}
	if d%time.Hour == 0 {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// pricesText is the price table, or what choosing one does.
func (s *setupPane) pricesText() string {
	if p := s.plan.PricesPath; p != "" {
		return common.FitPath(p, s.ValueWidth())
	}
	return "none" + s.Styles.Muted.Render(" · c chooses a price table (.csv) for the cost estimate")
}

// campaignFieldText is the campaign's name and whether it is new.
func (s *setupPane) campaignFieldText() string {
	if s.info == nil {
		return common.OrText(s.plan.Campaign, s.Styles.Muted.Render("named after the files once they are read"))
	}
	state := "new campaign"
	if p := s.info.prior; p != nil {
		state = p.Info.Status + " " + human.Ago(p.Info.Updated, s.info.opened) + " (below)"
	}
	return s.info.plan.Campaign + s.Styles.Muted.Render(" · "+state)
}

// templateText is the template path and, once read, its name and language.
func (s *setupPane) templateText() string {
	if s.plan.TemplatePath == "" {
		return "none: press c to choose a .yaml file"
	}
	name := ""
	if s.info != nil {
		name = fmt.Sprintf(" · %s (%s)", s.info.template, s.info.language)
	}
	return common.FitPath(s.plan.TemplatePath, s.ValueWidth()-ansi.StringWidth(name)) + name
}

// profileText is the profile's name, what it sends to, the pace and its messaging limit.
func (s *setupPane) profileText() string {
	p := s.plan.Profile
	name := p.Name
	if len(s.names) > 1 {
		name = "‹ " + name + " ›"
	}
	if s.profileErr != nil {
		return name
	}
	where := "provider " + p.Provider
	if p.Provider == config.SandboxProfile && p.BaseURL == "" {
		where = "built-in simulator"
	}
	pace := human.Rate(s.plan.SendRate())
	if n := s.plan.SendConcurrency(); n > 0 {
		pace += fmt.Sprintf(", %d in flight", n)
	}
	if n := p.MessagingLimit; n > 0 {
		pace += " · limit " + human.Thousands(n) + " numbers/day"
	}
	return name + " · " + where + " · " + pace
}
