package sandbox

import "herald/providers"

// Account is the provider account a dialect accepts: the same fields a herald profile holds.
type Account = providers.Profile

// Credentials returns the accounts the sandbox accepts by default, one per dialect. They are fixed, public test
// values: the sandbox is a rehearsal stage, not a vault.
func Credentials() map[string]Account {
	accounts := map[string]Account{
		"itniotech": {Provider: "itniotech", AppID: "SANDBOXAPP", APIKey: "sandbox-api-key",
			APISecret: "sandbox-api-secret", BusinessPhone: "15550001111"},
		"huawei": {Provider: "huawei", AppKey: "sandbox-app-key", AppSecret: "sandbox-app-secret"},
		"engagelab": {Provider: "engagelab", DevKey: "sandbox-dev-key", DevSecret: "sandbox-dev-secret",
			From: "15550001111"},
		"innopaas": {Provider: "innopaas", AppKey: "sandbox-app-key", Token: "sandbox-token",
			WabaID: "100000000000001", SendNumber: "15550001111"},
		"meta": {Provider: "meta", AccessToken: "sandbox-access-token", PhoneNumberID: "100000000000002",
			APIVersion: "v23.0"},
	}
	// What the sandbox's callbacks carry to prove they are genuine: a signature for Meta's format, a token in
	// the URL for EngageLab's (which signs nothing).
	for d, a := range accounts {
		if d == "engagelab" {
			a.WebhookToken = "sandbox-webhook-token"
		} else {
			a.WebhookSecret = "sandbox-webhook-secret"
		}
		accounts[d] = a
	}
	return accounts
}

// Profile returns a profile for dialect that the sandbox at baseURL accepts, as a config file would hold it.
func (s *Server) Profile(dialect, baseURL string) providers.Profile {
	p := s.opts.Credentials[dialect]
	p.Name = "sandbox-" + dialect
	p.BaseURL = baseURL
	return p
}

// Dialects lists the provider dialects the sandbox speaks.
func Dialects() []string { return []string{"itniotech", "huawei", "engagelab", "innopaas", "meta"} }
