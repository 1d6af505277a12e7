package campaign

import (
	"errors"
	"fmt"
	"os"
	"time"

	"herald/campaign/check"
	"herald/campaign/guards"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
	"herald/providers/open"
)

// Input is a plan with its files opened and checked against each other: ready to stream rows.
type Input struct {
	Plan       Plan
	Template   *template.Template
	Binding    *template.Binding
	Recipients *recipients.Reader
	Phones     *phone.Normalizer
	// OptOut suppresses the numbers on the opt-out list (nil when the store has none).
	OptOut check.Guard
	// Guards are the plan's guards of the sender's number (send window, frequency cap, messaging limit);
	// Prices is its price table, nil without --prices.
	Guards *guards.Guards
	Prices *guards.Prices
	// Clock is the time the guards go by (nil: the system's); tests set a fake one right after Open.
	Clock guards.Clock
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
	if labelPayloads(plan.Profile) {
		b = b.WithLabelPayloads()
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
	if err := in.openGuards(); err != nil {
		rec.Close()
		return nil, InputError(err)
	}
	optOut, err := optOutGuard(plan.StatePath, plan.Profile)
	if err != nil {
		rec.Close()
		return nil, err
	}
	in.OptOut = optOut
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

// labelPayloads reports whether the profile's provider requires a payload on every quick reply (Huawei CEC's
// quickReplyPayload): its messages then carry each quick reply's label where the template gives no payload.
func labelPayloads(p providers.Profile) bool {
	if p.Provider == "" {
		return false
	}
	c, err := open.Capabilities(p)
	if err != nil {
		return false
	}
	qr, ok := c.Button(providers.ButtonQuickReply)
	return ok && qr.NeedsPayload
}

// openGuards reads the guard flags and the price table; the history they need is read by LoadHistory.
func (in *Input) openGuards() error {
	plan := in.Plan
	rules := guards.Rules{FrequencyCap: plan.SendFrequencyCap(), MessagingLimit: plan.Profile.MessagingLimit,
		Profile: plan.Profile.Name, Campaign: plan.Campaign}
	if in.Template.IsSession() {
		// A session message answers someone who wrote in the last 24 hours: neither the frequency cap (which
		// keeps business-initiated messages from coming too often) nor Meta's messaging limit (of
		// business-initiated conversations) holds it back; the 24-hour window does.
		rules.FrequencyCap, rules.MessagingLimit, rules.SessionWindow = 0, 0, true
	}
	if plan.SendWindow != "" {
		w, err := guards.ParseWindow(plan.SendWindow)
		if err != nil {
			return err
		}
		rules.Window = &w
	}
	in.Guards = guards.New(rules)
	if plan.PricesPath != "" {
		p, err := guards.LoadPrices(plan.PricesPath)
		if err != nil {
			return err
		}
		in.Prices = p
	}
	return nil
}

// now is the time by the input's clock.
func (in *Input) now() time.Time { return in.clock().Now() }

// clock is the input's clock, the system's unless a test set one.
func (in *Input) clock() guards.Clock {
	if in.Clock == nil {
		return guards.System()
	}
	return in.Clock
}

// LoadHistory reads what the frequency cap and the messaging limit need from the state store (the numbers
// messaged recently), when the plan has either and the store exists; it never creates the store. A check
// without it applies the send window only.
func (in *Input) LoadHistory() error {
	if !in.Guards.NeedsHistory() {
		return nil
	}
	if _, err := os.Stat(in.Plan.StatePath); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	st, err := OpenExistingStore(in.Plan.StatePath)
	if err != nil {
		return err
	}
	defer st.Close()
	return in.loadHistory(st)
}

// loadHistory reads the guards' history from an open store, as of now.
func (in *Input) loadHistory(st *store.Store) error {
	if !in.Guards.NeedsHistory() {
		return nil
	}
	return in.Guards.Load(st, in.now())
}

// Estimate returns an empty cost estimate of the template's category; nil without a price table, and for a
// session message (inside the 24-hour window it is not priced as a template).
func (in *Input) Estimate() *guards.Estimate {
	if in.Prices == nil || in.Template.IsSession() {
		return nil
	}
	return in.Prices.Estimate(in.Template.Category)
}

// Close closes the CSV.
func (in *Input) Close() error { return in.Recipients.Close() }

// Checker returns a checker over the input's rows, with the guards of the sender's number as of now.
func (in *Input) Checker() *check.Checker {
	var guards []check.Guard
	if in.OptOut != nil { // opted out first: such a row is suppressed whatever its window or the limit say
		guards = append(guards, in.OptOut)
	}
	return &check.Checker{Recipients: in.Recipients, Binding: in.Binding, Phones: in.Phones,
		Guards: append(guards, in.Guards.Check(in.now())...)}
}
