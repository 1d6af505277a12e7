package templates

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"herald/providers"
	"herald/providers/open"
)

// Approval is what a provider says of a campaign's template before its first send.
type Approval struct {
	// Name and Language identify the template; Provider and Profile where it was asked.
	Name, Language string
	Provider       string
	Profile        string
	// Known is set when the provider answered; Info is then its answer.
	Known bool
	Info  providers.TemplateInfo
	// Missing is set when the provider has no such template.
	Missing bool
	// Unknown says why the provider could not tell (no template API, a failed query), when neither Known nor
	// Missing is set. Such a template is not held back: its first send will tell.
	Unknown string
}

// Approve asks prov, the profile's opened provider, for the review status of template name in language. A
// provider without a template API, or one that could not answer for a passing reason, gives an Approval that
// is not Known; a refusal that no send could pass either (authentication, the application) is an error.
func Approve(ctx context.Context, p providers.Profile, prov providers.Provider, name, language string) (Approval, error) {
	a := Approval{Name: name, Language: language, Provider: open.ProviderName(p), Profile: p.Name}
	mgr, ok := prov.(providers.TemplateManager)
	if !ok {
		a.Unknown = open.NoTemplateAPI(p)
		return a, nil
	}
	infos, err := mgr.Templates(ctx, name, language)
	switch {
	case errors.Is(err, providers.ErrNoTemplate):
		a.Missing = true
		return a, nil
	case err != nil && providers.Classify(err) == providers.ClassFatal:
		return a, fmt.Errorf("asking %s for the status of template %s: %w", a.Provider, a.what(), err)
	case err != nil:
		a.Unknown = fmt.Sprintf("%s could not say whether template %s is approved (%v)", a.Provider, a.what(), err)
		return a, nil
	case len(infos) == 0 || infos[0].Status == "":
		a.Unknown = fmt.Sprintf("%s did not say whether template %s is approved", a.Provider, a.what())
		return a, nil
	}
	a.Known, a.Info = true, infos[0]
	return a, nil
}

// Sendable reports whether a campaign may start on the template: it is approved, or the provider cannot tell.
func (a Approval) Sendable() bool {
	switch {
	case a.Missing:
		return false
	case a.Known:
		return a.Info.Status.Sendable()
	}
	return true
}

// Line is the approval in one line, for the setup screen: "template spring_sale (en_US) at Itniotech:
// APPROVED".
func (a Approval) Line() string {
	head := fmt.Sprintf("template %s at %s: ", a.what(), a.Provider)
	switch {
	case a.Missing:
		return head + "not found"
	case !a.Known:
		return head + "approval unknown"
	case a.Info.Reason != "":
		return head + string(a.Info.Status) + " (" + a.Info.Reason + ")"
	}
	return head + string(a.Info.Status)
}

// Refusal is the error that stops a campaign on a template that is not sendable, saying what to do; nil
// when it is sendable.
func (a Approval) Refusal() error {
	if a.Sendable() {
		return nil
	}
	statusCmd := fmt.Sprintf("herald templates status %s --language %s --profile %s", a.Name, a.Language, a.Profile)
	createCmd := fmt.Sprintf("herald templates create FILE --profile %s", a.Profile)
	var b strings.Builder
	fmt.Fprintf(&b, "template %s ", a.what())
	switch {
	case a.Missing:
		fmt.Fprintf(&b, "does not exist at %s: nothing was sent. Create it with %s, wait until %s says APPROVED, then run the same command again",
			a.Provider, createCmd, statusCmd)
	case a.Info.Status == providers.TemplatePending:
		fmt.Fprintf(&b, "is PENDING at %s (its review is not over): nothing was sent. Run %s until it says APPROVED, then run the same command again",
			a.Provider, statusCmd)
	case a.Info.Status == providers.TemplateRejected:
		fmt.Fprintf(&b, "is REJECTED at %s%s: nothing was sent. Change the template as the reason says, create it under a new name (name: in the template file, then %s) and send with that file once it is APPROVED",
			a.Provider, a.reason(), createCmd)
	default:
		fmt.Fprintf(&b, "is %s at %s%s, so it cannot be sent: nothing was sent. Check it in %s's console, and run the same command again once %s says APPROVED",
			a.Info.Status, a.Provider, a.reason(), a.Provider, statusCmd)
	}
	return errors.New(b.String())
}

// Gate asks prov for the template's status and returns the error that stops the campaign when the provider
// says it is not approved (or does not exist); nil when it is approved or the provider cannot tell.
func Gate(ctx context.Context, p providers.Profile, prov providers.Provider, name, language string) error {
	a, err := Approve(ctx, p, prov, name, language)
	if err != nil {
		return err
	}
	return a.Refusal()
}

// what names the template: "spring_sale (en_US)".
func (a Approval) what() string { return a.Name + " (" + a.Language + ")" }

// reason is " (the provider's reason)", or "" when it gave none.
func (a Approval) reason() string {
	if a.Info.Reason == "" {
		return ""
	}
	return " (" + a.Info.Reason + ")"
}
