package providers

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Secret is a credential. It prints as [redacted] under every fmt verb and in JSON, so that a profile can be
// logged or wrapped into an error without leaking; adapters call Reveal when they sign or send.
type Secret string

// String redacts the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts the secret under %#v.
func (s Secret) GoString() string { return s.String() }

// MarshalText redacts the secret in JSON and YAML output.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the secret's value, for signing and request headers only.
func (s Secret) Reveal() string { return string(s) }

// Profile is one provider account from the config file: which provider, its credentials (field names follow
// each provider's own documents) and optional defaults. Secrets are of type Secret.
type Profile struct {
	// Name is the profile's key in the config file.
	Name string `yaml:"-"`
	// Provider is itniotech, huawei, engagelab, innopaas, meta or sandbox.
	Provider string `yaml:"provider"`
	// BaseURL replaces scheme://host[:port] of the documented URLs; the documented path is kept.
	BaseURL string `yaml:"base_url"`

	// itniotech
	AppID         string `yaml:"app_id"`
	APIKey        Secret `yaml:"api_key"`
	APISecret     Secret `yaml:"api_secret"`
	BusinessPhone string `yaml:"business_phone"`
	// huawei (AppKey is also innopaas's AppKey header)
	AppKey    Secret `yaml:"app_key"`
	AppSecret Secret `yaml:"app_secret"`
	// engagelab
	DevKey    Secret `yaml:"dev_key"`
	DevSecret Secret `yaml:"dev_secret"`
	From      string `yaml:"from"`
	// innopaas
	Token      Secret `yaml:"token"`
	WabaID     string `yaml:"waba_id"`
	SendNumber string `yaml:"send_number"`
	// meta
	AccessToken   Secret `yaml:"access_token"`
	PhoneNumberID string `yaml:"phone_number_id"`
	APIVersion    string `yaml:"api_version"`

	// Rate (messages per second) and Concurrency are optional defaults for campaigns using this profile.
	Rate        float64 `yaml:"rate"`
	Concurrency int     `yaml:"concurrency"`
	// Timeout bounds one request (default 30 s).
	Timeout time.Duration `yaml:"timeout"`
	// MessagingLimit is the account's WhatsApp messaging limit: the distinct numbers it may message in any
	// rolling 24 hours (Meta's tiers: 250, 2000, 10000, 100000); 0 for none. FrequencyCap, when set,
	// suppresses numbers any campaign messaged within it.
	MessagingLimit int           `yaml:"messaging_limit"`
	FrequencyCap   time.Duration `yaml:"frequency_cap"`

	// Sandbox knobs (provider: sandbox): simulated latency, its jitter, and the share of answers that are
	// transient errors.
	Latency   time.Duration `yaml:"latency"`
	Jitter    time.Duration `yaml:"jitter"`
	ErrorRate float64       `yaml:"error_rate"`
	// Callbacks are the sandbox's callback knobs (provider: sandbox): delivered, read, failed later, STOP, a
	// question.
	Callbacks SandboxCallbacks `yaml:"callbacks"`

	// Receiving callbacks (herald listen): VerifyToken answers the provider's subscription check (GET
	// hub.verify_token), WebhookSecret checks X-Hub-Signature-256 on every callback, WebhookToken requires
	// ?token= in the callback URL (for providers that do not sign).
	VerifyToken   Secret `yaml:"verify_token"`
	WebhookSecret Secret `yaml:"webhook_secret"`
	WebhookToken  Secret `yaml:"webhook_token"`
}

// requiredFields lists, per provider, the profile fields it cannot work without (yaml names).
var requiredFields = map[string][]string{
	"itniotech": {"app_id", "api_key", "api_secret", "business_phone"},
	"huawei":    {"base_url", "app_key", "app_secret"},
	"engagelab": {"dev_key", "dev_secret", "from"},
	"innopaas":  {"app_key", "token", "waba_id", "send_number"},
	"meta":      {"access_token", "phone_number_id"},
	"sandbox":   {},
}

// Providers returns the provider names a profile may use.
func Providers() []string {
	return []string{"itniotech", "huawei", "engagelab", "innopaas", "meta", "sandbox"}
}

// field returns a profile field's value by its yaml name, for the required-field check.
func (p Profile) field(name string) string {
	switch name {
	case "base_url":
		return p.BaseURL
	case "app_id":
		return p.AppID
	case "api_key":
		return p.APIKey.Reveal()
	case "api_secret":
		return p.APISecret.Reveal()
	case "business_phone":
		return p.BusinessPhone
	case "app_key":
		return p.AppKey.Reveal()
	case "app_secret":
		return p.AppSecret.Reveal()
	case "dev_key":
		return p.DevKey.Reveal()
	case "dev_secret":
		return p.DevSecret.Reveal()
	case "from":
		return p.From
	case "token":
		return p.Token.Reveal()
	case "waba_id":
		return p.WabaID
	case "send_number":
		return p.SendNumber
	case "access_token":
		return p.AccessToken.Reveal()
	case "phone_number_id":
		return p.PhoneNumberID
	}
	return ""
}

// Validate checks that the provider is known, that every field it requires is set, and that base_url, when
// given, is an absolute http(s) URL with no path. The error names the profile and the missing fields, never a
// value.
func (p Profile) Validate() error {
	req, ok := requiredFields[p.Provider]
	if !ok {
		if p.Provider == "" {
			return fmt.Errorf("profile %q has no provider: set provider to one of %s", p.Name, strings.Join(Providers(), ", "))
		}
		return fmt.Errorf("profile %q: unknown provider %q: use one of %s", p.Name, p.Provider, strings.Join(Providers(), ", "))
	}
	var missing []string
	for _, f := range req {
		if strings.TrimSpace(p.field(f)) == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("profile %q (%s) is missing %s: set %s in the config file (a ${VAR} there must be set in the environment)",
			p.Name, p.Provider, strings.Join(missing, ", "), plural(len(missing), "it", "them"))
	}
	if p.BaseURL != "" {
		if _, err := BaseURL(p.BaseURL, ""); err != nil {
			return fmt.Errorf("profile %q: %w", p.Name, err)
		}
	}
	if p.Rate < 0 || p.Concurrency < 0 || p.ErrorRate < 0 || p.ErrorRate > 1 {
		return fmt.Errorf("profile %q: rate and concurrency must be positive and error_rate between 0 and 1", p.Name)
	}
	if c := p.Callbacks; !share(c.Read) || !share(c.Failed) || !share(c.Stop) || !share(c.Reply) || !share(c.Duplicates) ||
		c.Delay < 0 || c.Jitter < 0 {
		return fmt.Errorf("profile %q: callbacks: read, failed, stop, reply and duplicates are shares between 0 and 1, delay and jitter durations such as 500ms", p.Name)
	}
	if p.MessagingLimit < 0 || p.FrequencyCap < 0 {
		return fmt.Errorf("profile %q: messaging_limit (e.g. 1000) and frequency_cap (e.g. 72h) must not be negative", p.Name)
	}
	return nil
}

// Warnings returns what is unsafe in the profile without making it unusable, one sentence each, for the
// campaign to print before it sends: a base_url of http:// to a host other than this computer's loopback
// (localhost, 127.0.0.0/8, ::1), over which credentials and messages would travel in clear text. A warning names
// the profile and the host, never a secret.
func (p Profile) Warnings() []string {
	var warnings []string
	if u, err := url.Parse(p.BaseURL); err == nil && u.Scheme == "http" && u.Host != "" && !isLoopback(u.Hostname()) {
		warnings = append(warnings, fmt.Sprintf("profile %q: base_url is http://%s, so the credentials and every message would travel to it in clear text, readable and changeable on the way: use https://",
			p.Name, u.Host))
	}
	return warnings
}

// isLoopback reports whether host is this computer: localhost, or an address in 127.0.0.0/8 or ::1. A name is
// not resolved: only localhost itself counts.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}

// share reports whether v is a share: between 0 and 1.
func share(v float64) bool { return v >= 0 && v <= 1 }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// BaseURL returns scheme://host[:port] to send to: the profile's base_url when set (checked: http or https, a
// host, no path, query or credentials), else def.
func BaseURL(configured, def string) (string, error) {
	if configured == "" {
		return def, nil
	}
	u, err := url.Parse(configured)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base_url %q must look like https://host[:port]", configured)
	}
	if u.User != nil || u.RawQuery != "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("base_url %q must be scheme://host[:port] only: the documented path is added by herald", u.Redacted())
	}
	return u.Scheme + "://" + u.Host, nil
}
