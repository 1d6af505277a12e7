package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"herald/campaign"
	"herald/campaign/templates"
	"herald/providers"
)

// TemplatesOptions are the arguments and flags of `herald templates`.
type TemplatesOptions struct {
	// Action is list, status or create; Arg is status's template name or create's template file.
	Action string
	Arg    string
	// Language narrows status to one language.
	Language string
	Profile  providers.Profile
	// CSVPath, PhoneColumn and Region give create its examples from the CSV's first ready row.
	CSVPath     string
	PhoneColumn string
	Region      string
	// Yes skips create's confirmation; Interactive says stdin is a terminal (without it, Yes is required).
	Yes         bool
	Interactive bool
	Stdin       io.Reader
}

// Templates runs `herald templates list|status NAME|create FILE`. Exit codes: 0 done (status: every template
// shown can be sent), 1 status shows a template that cannot be sent yet, or the provider could not be
// reached (try again), 2 input error, a refusal, or no such template.
func Templates(ctx context.Context, o TemplatesOptions, stdout, stderr io.Writer) int {
	switch o.Action {
	case "create":
		return createTemplate(ctx, o, stdout, stderr)
	case "status":
		return templateStatus(ctx, o, stdout, stderr)
	case "list":
		return listTemplates(ctx, o, stdout, stderr)
	}
	return fail(campaign.InputError(fmt.Errorf("herald templates %s: say list, status NAME or create FILE", o.Action)), stderr)
}

// templatesFail prints err and returns 1 for a passing failure (try again), 2 for anything to fix.
func templatesFail(err error, stderr io.Writer) int {
	if templates.Transient(err) {
		fmt.Fprintln(stderr, "herald:", err, "- try again in a moment")
		return campaign.ExitPartial
	}
	return fail(campaign.InputError(err), stderr)
}

// createTemplate shows what it will submit, asks, submits and prints the provider's answer.
func createTemplate(ctx context.Context, o TemplatesOptions, stdout, stderr io.Writer) int {
	draft, err := templates.Create(ctx, templates.CreateRequest{Profile: o.Profile, TemplatePath: o.Arg,
		CSVPath: o.CSVPath, PhoneColumn: o.PhoneColumn, Region: o.Region})
	if err != nil {
		return templatesFail(err, stderr)
	}
	defer draft.Close()
	def := draft.Definition
	fmt.Fprintf(stdout, "herald will submit template %s (%s, %s) to %s (profile %s):\n\n%s %s\n%s\n",
		def.Name, def.Language, def.Category, draft.Provider(), o.Profile.Name, draft.Request.Method, draft.Request.URL,
		draft.Request.Body)
	if vars := draft.Template.Variables(); len(vars) > 0 {
		fmt.Fprintln(stdout, "\nExamples for the reviewers:")
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for i, v := range vars {
			fmt.Fprintf(tw, "  %s\t{{%s}}\t%s\t(%s)\n", v.Part, v.Ref, draft.Examples.Values[i], draft.Examples.Sources[i])
		}
		tw.Flush()
	}
	switch {
	case o.Yes:
	case !o.Interactive:
		return fail(campaign.InputError(fmt.Errorf("standard input is not a terminal, so herald cannot ask before submitting: check the request above, then add --yes")), stderr)
	default:
		fmt.Fprintf(stderr, "\nSubmit it to %s for review? Type yes to confirm: ", draft.Provider())
		line, _ := bufio.NewReader(o.Stdin).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(line), "yes") {
			fmt.Fprintln(stderr, "Not confirmed: nothing was submitted.")
			return campaign.ExitInput
		}
	}
	info, err := draft.Submit(ctx)
	if err != nil {
		return templatesFail(err, stderr)
	}
	fmt.Fprintf(stdout, "\n%s created template %s (%s): %s", draft.Provider(), info.Name, info.Language, info.Status)
	if info.ID != "" {
		fmt.Fprintf(stdout, " (id %s)", info.ID)
	}
	fmt.Fprintf(stdout, "\n%s\n", advice(info, o.Profile.Name))
	return campaign.ExitOK
}

// templateStatus prints the review status of one template, in each of its languages or in one.
func templateStatus(ctx context.Context, o TemplatesOptions, stdout, stderr io.Writer) int {
	if o.Arg == "" {
		return fail(campaign.InputError(fmt.Errorf("herald templates status: give the template's name, as in herald templates status spring_sale --profile NAME")), stderr)
	}
	api, err := templates.Open(o.Profile)
	if err != nil {
		return templatesFail(err, stderr)
	}
	defer api.Close()
	infos, err := api.Status(ctx, o.Arg, o.Language)
	if err != nil {
		return templatesFail(err, stderr)
	}
	writeTemplates(stdout, infos)
	code := campaign.ExitOK
	for _, info := range infos {
		if !info.Status.Sendable() {
			code = campaign.ExitPartial
		}
		name := info.Name
		if info.Language != "" {
			name += " (" + info.Language + ")"
		}
		fmt.Fprintf(stdout, "%s: %s\n", name, advice(info, o.Profile.Name))
	}
	return code
}

// listTemplates prints every template the provider holds for the profile.
func listTemplates(ctx context.Context, o TemplatesOptions, stdout, stderr io.Writer) int {
	api, err := templates.Open(o.Profile)
	if err != nil {
		return templatesFail(err, stderr)
	}
	defer api.Close()
	infos, err := api.List(ctx)
	if err != nil {
		return templatesFail(err, stderr)
	}
	if len(infos) == 0 {
		fmt.Fprintf(stdout, "%s has no templates for profile %s yet: create one with herald templates create FILE --profile %s\n",
			api.Provider, o.Profile.Name, o.Profile.Name)
		return campaign.ExitOK
	}
	writeTemplates(stdout, infos)
	return campaign.ExitOK
}

// writeTemplates prints templates as a table.
func writeTemplates(w io.Writer, infos []providers.TemplateInfo) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tLANGUAGE\tCATEGORY\tSTATUS\tREASON")
	for _, t := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Language, orDash(string(t.Category)), orDash(string(t.Status)), orDash(t.Reason))
	}
	tw.Flush()
}

// advice says what a template's status means for sending on it.
func advice(info providers.TemplateInfo, profile string) string {
	switch {
	case info.Status.Sendable():
		return "approved: campaigns can be sent on it"
	case info.Status == providers.TemplatePending:
		return fmt.Sprintf("under review: see where it stands with herald templates status %s --language %s --profile %s",
			info.Name, info.Language, profile)
	case info.Status == providers.TemplateRejected:
		return "rejected: change the template as the reason says, then create it under a new name"
	}
	return fmt.Sprintf("%s: it cannot be sent now; check it in the provider's console", info.Status)
}

// orDash is s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// approved asks the provider, before the confirmation, whether the campaign's template is approved: it prints
// the status when the provider tells, and the refusal (and false) when the provider says it is not approved.
// Session.Start asks again, so a run started with --yes is held back as well.
func approved(in *campaign.Input, stderr io.Writer) bool {
	a, err := campaign.TemplateApproval(context.Background(), in)
	if err == nil {
		err = a.Refusal()
	}
	if err != nil {
		fail(campaign.InputError(err), stderr)
		return false
	}
	if a.Known {
		fmt.Fprintln(stderr, a.Line())
	}
	return true
}
