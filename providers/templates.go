package providers

import (
	"context"
	"errors"
)

// Placeholder is how a variable is written in a TemplateDefinition's texts: each one is filled, in order of
// appearance, by the next example and, once approved, by the next parameter of a send. Adapters turn it into
// their provider's own notation ({{#}} for Itniotech, {{1}}..{{n}} for the Cloud API).
const Placeholder = "{{#}}"

// TemplateCategory is what a template is for, as WhatsApp prices and reviews it.
type TemplateCategory string

// The categories WhatsApp knows.
const (
	CategoryMarketing      TemplateCategory = "marketing"
	CategoryUtility        TemplateCategory = "utility"
	CategoryAuthentication TemplateCategory = "authentication"
)

// TemplateDefinition is a template as it is submitted to a provider for approval: fixed texts with a
// Placeholder for each variable, and one example value per placeholder for the reviewers.
type TemplateDefinition struct {
	// Name (lower-case letters, digits and _) and Language (en_US) identify the template at the provider.
	Name     string
	Language string
	Category TemplateCategory
	// Header is nil when the template has none.
	Header *TemplateHeader
	Body   TemplateText
	// Footer is fixed text, "" for none.
	Footer  string
	Buttons []TemplateButton
}

// TemplateHeader is a template's header. Format is text, image, video, document or location; only a text
// header has Text (at most one Placeholder, with its example).
type TemplateHeader struct {
	Format ParamKind
	TemplateText
}

// TemplateText is a text with placeholders and one example per placeholder, in order.
type TemplateText struct {
	Text     string
	Examples []string
}

// TemplateButton is one button of a template definition.
type TemplateButton struct {
	// Kind is url or quick_reply; Text is the label people tap.
	Kind ButtonKind
	Text string
	// URL is a URL button's link. A Placeholder at its very end makes it dynamic; Example is then the whole
	// link with an example filled in.
	URL     string
	Example string
}

// TemplateState is a template's review state, as the provider spells it.
type TemplateState string

// Review states. Providers report others as well (Itniotech, like Meta: DELETED, DISABLED, PAUSED, IN_APPEAL,
// LIMIT_EXCEEDED, PENDING_DELETION).
const (
	TemplatePending  TemplateState = "PENDING"
	TemplateApproved TemplateState = "APPROVED"
	TemplateRejected TemplateState = "REJECTED"
	// TemplateFlagged is an approved template whose quality dropped: it still sends, and will be disabled if
	// the quality does not recover.
	TemplateFlagged TemplateState = "FLAGGED"
	// TemplateReinstated is a paused or flagged template approved again.
	TemplateReinstated TemplateState = "REINSTATED"
)

// Sendable reports whether messages may be sent on a template in state s: APPROVED, and the approved
// templates WhatsApp flagged for quality or reinstated.
func (s TemplateState) Sendable() bool {
	return s == TemplateApproved || s == TemplateFlagged || s == TemplateReinstated
}

// TemplateInfo is what a provider says about one of its templates.
type TemplateInfo struct {
	// ID is the provider's id for the template, "" when it gave none.
	ID       string
	Name     string
	Language string
	// Category is "" when the provider did not say.
	Category TemplateCategory
	Status   TemplateState
	// Reason is why the template is rejected, paused or disabled, "" when the provider gave none.
	Reason string
}

// PreparedRequest is a request exactly as an adapter would send it, for the user to check first: the method,
// the URL and the body. Secrets travel in headers, which it leaves out.
type PreparedRequest struct {
	Method string
	URL    string
	Body   []byte
}

// TemplateManager is implemented by the adapters whose provider's API creates templates and reports their
// review status. The campaign code finds it with a type assertion; providers without such an API leave it out,
// and their templates are managed in the provider's console.
type TemplateManager interface {
	// PrepareTemplate returns the request CreateTemplate would send for def, or an error saying what of def the
	// provider cannot take.
	PrepareTemplate(def TemplateDefinition) (PreparedRequest, error)
	// CreateTemplate submits def for review (the very request PrepareTemplate returns) and returns what the
	// provider answered: typically PENDING. A refusal is an *Error whose Message says what to change.
	CreateTemplate(ctx context.Context, def TemplateDefinition) (TemplateInfo, error)
	// Templates returns the provider's templates called name in language: every language when language is "",
	// every template when name is "". When none matches it returns an error wrapping ErrNoTemplate.
	Templates(ctx context.Context, name, language string) ([]TemplateInfo, error)
}

// ErrNoTemplate is wrapped by the error of a template query that matched no template.
var ErrNoTemplate = errors.New("no such template at the provider")
