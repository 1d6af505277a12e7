package open

import (
	"fmt"

	"herald/providers"
	"herald/providers/engagelab"
	"herald/providers/huawei"
	"herald/providers/innopaas"
	"herald/providers/itniotech"
	"herald/providers/meta"
)

// Capabilities returns the capability table of p's provider. The built-in sandbox speaks Meta's Cloud API, so
// it carries what Meta does.
func Capabilities(p providers.Profile) (providers.Capabilities, error) {
	switch p.Provider {
	case "itniotech":
		return itniotech.Capabilities(), nil
	case "huawei":
		return huawei.Capabilities(), nil
	case "engagelab":
		return engagelab.Capabilities(), nil
	case "innopaas":
		return innopaas.Capabilities(), nil
	case "meta":
		return meta.Capabilities(), nil
	case "sandbox":
		c := meta.Capabilities()
		c.Provider, c.Source = "the built-in sandbox", "the built-in sandbox (Meta's Cloud API)"
		return c, nil
	}
	return providers.Capabilities{}, fmt.Errorf("profile %q: unknown provider %q", p.Name, p.Provider)
}

// All returns the capability table of every provider herald speaks.
func All() []providers.Capabilities {
	return []providers.Capabilities{itniotech.Capabilities(), huawei.Capabilities(), engagelab.Capabilities(),
		innopaas.Capabilities(), meta.Capabilities()}
}

// Check says whether p's provider can carry what n asks: nil, or a *providers.Refusal naming the provider, the
// feature, the fix and the providers that do carry it.
func Check(p providers.Profile, n providers.Needs) error {
	c, err := Capabilities(p)
	if err != nil {
		return err
	}
	if r := c.Refuse(n); r != nil {
		return r.WithAlternatives(All())
	}
	return nil
}
