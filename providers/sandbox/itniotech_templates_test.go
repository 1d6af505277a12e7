package sandbox_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"herald/providers"
	"herald/providers/sandbox"
)

// reviewClock is a template clock the test steps.
type reviewClock struct{ ns atomic.Int64 }

func newReviewClock() *reviewClock {
	c := &reviewClock{}
	c.ns.Store(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *reviewClock) now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *reviewClock) step(d time.Duration) { c.ns.Add(int64(d)) }
func (c *reviewClock) options() sandbox.Options {
	return sandbox.Options{KeepLog: true, TemplateReview: 10 * time.Minute, TemplateClock: c.now}
}

// saleDefinition is a small marketing template.
func saleDefinition(name string) providers.TemplateDefinition {
	return providers.TemplateDefinition{Name: name, Language: "en_US", Category: providers.CategoryMarketing,
		Body: providers.TemplateText{Text: "Hello {{#}}, the sale is on.", Examples: []string{"Olivia"}}}
}

// saleMessage is a send on template name.
func saleMessage(name string) providers.Message {
	return providers.Message{To: "447911123456", Template: name, Language: "en_US",
		Body: []providers.Param{{Kind: providers.ParamText, Text: "Alice"}}}
}

// TestItniotechTemplateGate: a template created in the sandbox refuses sends (-2) while PENDING and when
// REJECTED, and sends once APPROVED; a template it never created sends as before.
func TestItniotechTemplateGate(t *testing.T) {
	clock := newReviewClock()
	s, url := itnioSandbox(t, clock.options())
	a := itnioAdapter(t, s.Profile("itniotech", url))
	ctx := context.Background()
	for _, name := range []string{"spring_sale", sandbox.RejectedTemplatePrefix + "sale"} {
		info, err := a.CreateTemplate(ctx, saleDefinition(name))
		if err != nil || info.Status != providers.TemplatePending {
			t.Fatalf("CreateTemplate(%s) = %+v, %v; want PENDING", name, info, err)
		}
	}
	refused := func(name string) {
		t.Helper()
		_, err := a.Send(ctx, saleMessage(name))
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Code != "-2" || pe.Class != providers.ClassFatal {
			t.Errorf("send on %s: %v, want fatal -2", name, err)
		}
	}
	refused("spring_sale")
	refused(sandbox.RejectedTemplatePrefix + "sale")
	if _, err := a.Send(ctx, saleMessage("made_in_the_console")); err != nil {
		t.Errorf("send on a template the sandbox did not create: %v", err)
	}
	clock.step(10*time.Minute - time.Nanosecond)
	refused("spring_sale")
	clock.step(time.Nanosecond)
	if _, err := a.Send(ctx, saleMessage("spring_sale")); err != nil {
		t.Errorf("send on the approved template: %v", err)
	}
	refused(sandbox.RejectedTemplatePrefix + "sale")
	if n := s.Count(sandbox.TemplateMissing); n != 4 {
		t.Errorf("%d sends refused for their template, want 4", n)
	}
	if n := s.Count(sandbox.Accept); n != 2 {
		t.Errorf("%d sends accepted, want 2", n)
	}
	wrongLanguage := saleMessage("spring_sale")
	wrongLanguage.Language = "de"
	if _, err := a.Send(ctx, wrongLanguage); err == nil {
		t.Error("a send on a created template in a language it was not created in went out")
	}
}

// TestItniotechTemplatesStrict: with StrictTemplates, a template the sandbox did not create is missing.
func TestItniotechTemplatesStrict(t *testing.T) {
	opts := newReviewClock().options()
	opts.StrictTemplates = true
	s, url := itnioSandbox(t, opts)
	a := itnioAdapter(t, s.Profile("itniotech", url))
	if _, err := a.Send(context.Background(), saleMessage("spring_sale")); err == nil {
		t.Error("a send on a template the strict sandbox does not have went out")
	}
	if _, err := a.Templates(context.Background(), "spring_sale", ""); !errors.Is(err, providers.ErrNoTemplate) {
		t.Errorf("query: %v, want ErrNoTemplate", err)
	}
	list, err := a.Templates(context.Background(), "", "")
	if err != nil || len(list) != 0 {
		t.Errorf("list = %+v, %v; want an empty list", list, err)
	}
}

// TestItniotechTemplatesConsoleMade: without StrictTemplates, a query for a template the sandbox did not
// create says APPROVED, as for one made in the provider's console.
func TestItniotechTemplatesConsoleMade(t *testing.T) {
	s, url := itnioSandbox(t, newReviewClock().options())
	a := itnioAdapter(t, s.Profile("itniotech", url))
	got, err := a.Templates(context.Background(), "spring_sale", "en_US")
	if err != nil || len(got) != 1 || got[0].Status != providers.TemplateApproved || got[0].Name != "spring_sale" {
		t.Errorf("Templates = %+v, %v; want spring_sale APPROVED", got, err)
	}
}
