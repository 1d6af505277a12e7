package config_test

import (
	"fmt"
	"herald/campaign/config"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

const itnioConfig = `profiles:
  itnio:
    provider: itniotech
    app_id: DGziZf5u
    api_key: ${ITNIO_API_KEY}
    api_secret: ${ITNIO_API_SECRET}
    business_phone: "91856321412"
    rate: 50
    concurrency: 16
`

func TestConfigExpandsVariables(t *testing.T) {
	path := writeConfig(t, itnioConfig, 0o644)
	cfg, err := config.Load(path, true, env(map[string]string{"ITNIO_API_KEY": "k-123", "ITNIO_API_SECRET": "s: #456"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("secrets come from the environment, so no warning is due: %v", cfg.Warnings)
	}
	p, err := cfg.Profile("itnio")
	if err != nil {
		t.Fatal(err)
	}
	if p.APIKey.Reveal() != "k-123" || p.APISecret.Reveal() != "s: #456" || p.Rate != 50 || p.Concurrency != 16 {
		t.Fatalf("profile %+v", p)
	}
	if got := fmt.Sprintf("%v %+v %s", p, p, p.APISecret); strings.Contains(got, "k-123") || strings.Contains(got, "456") {
		t.Fatalf("a printed profile shows a secret: %s", got)
	}
	if names := strings.Join(cfg.Names(), ","); names != "itnio,sandbox" {
		t.Fatalf("names %s: the built-in sandbox must always be there", names)
	}
}

func TestConfigUnsetVariableNamesIt(t *testing.T) {
	path := writeConfig(t, itnioConfig, 0o600)
	cfg, err := config.Load(path, true, env(nil))
	if err != nil {
		t.Fatal(err) // only the profile that is used must be complete
	}
	_, err = cfg.Profile("itnio")
	if err == nil || !strings.Contains(err.Error(), "ITNIO_API_KEY (line 5)") || !strings.Contains(err.Error(), "export ITNIO_API_KEY=") {
		t.Fatalf("err = %v", err)
	}
	if _, err := cfg.Profile("sandbox"); err != nil {
		t.Fatalf("the sandbox needs nothing: %v", err)
	}
}

func TestConfigPermissionWarning(t *testing.T) {
	literal := strings.Replace(itnioConfig, "${ITNIO_API_KEY}", "literal-key", 1)
	for _, tc := range []struct {
		body string
		mode os.FileMode
		warn bool
	}{
		{literal, 0o644, true},
		{literal, 0o640, true},
		{literal, 0o600, false},
		{itnioConfig, 0o644, false}, // no secret in the file itself
	} {
		path := writeConfig(t, tc.body, tc.mode)
		cfg, err := config.Load(path, true, env(map[string]string{"ITNIO_API_SECRET": "x"}))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(cfg.Warnings, "\n")
		if (got != "") != tc.warn {
			t.Errorf("mode %o: warnings %q, want warning=%v", tc.mode, got, tc.warn)
		}
		if tc.warn && (!strings.Contains(got, "chmod 600") || strings.Contains(got, "literal-key")) {
			t.Errorf("warning %q must give the fix and never the secret", got)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, profile, want string }{
		{"unknown profile", itnioConfig, "nosuch", `unknown profile "nosuch"`},
		{"missing field", "profiles:\n  m:\n    provider: meta\n    access_token: ${T}\n", "m", "missing phone_number_id"},
		{"unknown provider", "profiles:\n  w:\n    provider: twilio\n", "w", `unknown provider "twilio"`},
		{"typo", "profiles:\n  m:\n    provider: meta\n    acces_token: x\n", "m", `line 4: unknown field "acces_token" - did you mean access_token?`},
		{"huawei needs base_url", "profiles:\n  h:\n    provider: huawei\n    app_key: a\n    app_secret: b\n", "h", "missing base_url"},
		{"base_url with a path", "profiles:\n  h:\n    provider: huawei\n    base_url: https://x.example/api\n    app_key: a\n    app_secret: b\n", "h", "scheme://host[:port] only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.body, 0o600)
			cfg, err := config.Load(path, true, env(map[string]string{"T": "tok"}))
			if err == nil {
				_, err = cfg.Profile(tc.profile)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestConfigMissingDefaultFileIsFine(t *testing.T) {
	cfg, err := config.Load(filepath.Join(t.TempDir(), "none.yaml"), false, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Profile("sandbox"); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(filepath.Join(t.TempDir(), "none.yaml"), true, env(nil)); err == nil {
		t.Fatal("a --config that does not exist must be an error")
	}
}

// TestProfileToPreview: a preview takes a profile whose secrets are not set, with a note of what a send would
// need, but still refuses a profile that does not exist.
func TestProfileToPreview(t *testing.T) {
	path := writeConfig(t, itnioConfig, 0o600)
	cfg, err := config.Load(path, true, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	p, note, err := cfg.ProfileToPreview("itnio")
	if err != nil || p.Provider != "itniotech" || p.Name != "itnio" || !strings.Contains(note, "ITNIO_API_KEY") {
		t.Errorf("ProfileToPreview(itnio) = %+v, %q, %v; want the itniotech profile and a note naming ITNIO_API_KEY", p, note, err)
	}
	if p, note, err := cfg.ProfileToPreview("sandbox"); err != nil || note != "" || p.Provider != "sandbox" {
		t.Errorf("ProfileToPreview(sandbox) = %+v, %q, %v", p, note, err)
	}
	if _, _, err := cfg.ProfileToPreview("nosuch"); err == nil || !strings.Contains(err.Error(), "unknown profile") {
		t.Errorf("ProfileToPreview(nosuch) = %v, want unknown profile", err)
	}
}
