package templates

import (
	"context"
	"errors"
	"fmt"

	"herald/providers"
	"herald/providers/open"
)

// ErrNoAPI is wrapped by the error of a profile whose provider's API herald cannot manage templates with.
var ErrNoAPI = errors.New("no template API")

// API is the template API of one profile's provider.
type API struct {
	Manager providers.TemplateManager
	// Provider names the provider as people know it: Itniotech.
	Provider string
	// Profile is the profile it was opened for.
	Profile providers.Profile
	prov    providers.Provider
}

// Open opens profile p's provider for its template API. A provider without one is an error wrapping ErrNoAPI
// that names the console where its templates are managed.
func Open(p providers.Profile) (*API, error) {
	prov, err := open.Provider(p, providers.ClientOptions{Concurrency: 2})
	if err != nil {
		return nil, err
	}
	return forProvider(p, prov)
}

// forProvider is the template API of an opened provider; it closes prov when it has none.
func forProvider(p providers.Profile, prov providers.Provider) (*API, error) {
	mgr, ok := prov.(providers.TemplateManager)
	if !ok {
		_ = prov.Close()
		return nil, noAPIError("profile " + p.Name + ": " + open.NoTemplateAPI(p))
	}
	return &API{Manager: mgr, Provider: open.ProviderName(p), Profile: p, prov: prov}, nil
}

// noAPIError says where a profile's templates are managed; it wraps ErrNoAPI.
type noAPIError string

// Error is the sentence.
func (e noAPIError) Error() string { return string(e) }

// Unwrap gives ErrNoAPI.
func (e noAPIError) Unwrap() error { return ErrNoAPI }

// Close closes the provider's connections.
func (a *API) Close() error { return a.prov.Close() }

// Status returns what the provider says of the template called name, in language ("" for every language it
// has): its review status and the reason of a rejection. No such template is an error wrapping
// providers.ErrNoTemplate.
func (a *API) Status(ctx context.Context, name, language string) ([]providers.TemplateInfo, error) {
	infos, err := a.Manager.Templates(ctx, name, language)
	if err != nil {
		return nil, a.wrap(err)
	}
	return infos, nil
}

// List returns every template the provider holds for the profile's account.
func (a *API) List(ctx context.Context) ([]providers.TemplateInfo, error) {
	infos, err := a.Manager.Templates(ctx, "", "")
	if err != nil {
		return nil, a.wrap(err)
	}
	return infos, nil
}

// wrap names the provider in err.
func (a *API) wrap(err error) error {
	return fmt.Errorf("%s (profile %s): %w", a.Provider, a.Profile.Name, err)
}

// Transient reports whether err may pass by itself (a network failure, a timeout, a rate limit, a provider's
// passing fault): trying again later is the fix, not changing the input.
func Transient(err error) bool {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Class {
	case providers.ClassRetryable, providers.ClassRateLimited, providers.ClassUnknown:
		return true
	}
	return false
}
