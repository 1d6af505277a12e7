package open

import "herald/providers"

// providerNames are the providers as people know them, by profile provider.
var providerNames = map[string]string{
	"itniotech": "Itniotech",
	"huawei":    "Huawei Cloud CEC",
	"engagelab": "EngageLab",
	"innopaas":  "InnoPaaS",
	"meta":      "Meta",
	"sandbox":   "the built-in sandbox",
}

// templateConsoles are where templates are created and reviewed, for the providers whose API herald does not
// create them with.
var templateConsoles = map[string]string{
	"huawei":    "the Huawei Cloud CEC (AICC) console",
	"engagelab": "the EngageLab console",
	"innopaas":  "the InnoPaaS console",
	"meta":      "WhatsApp Manager (business.facebook.com, Account tools > Message templates)",
}

// ProviderName is the name people know profile p's provider by: Itniotech, Meta, ...
func ProviderName(p providers.Profile) string {
	if n, ok := providerNames[p.Provider]; ok {
		return n
	}
	return p.Provider
}

// NoTemplateAPI says, for a profile whose adapter is not a providers.TemplateManager, where its templates are
// created and their approval seen instead.
func NoTemplateAPI(p providers.Profile) string {
	if p.Provider == "sandbox" {
		return "the built-in sandbox speaks Meta's Cloud API, which has no template API in herald: to rehearse creating templates, run herald sandbox and use the sandbox-itniotech profile it prints"
	}
	where, ok := templateConsoles[p.Provider]
	if !ok {
		where = "the provider's console"
	}
	return "herald cannot create or check templates through " + ProviderName(p) + "'s API: create them and see their approval in " + where
}
