package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"herald/campaign/human"
	"herald/providers"
)

// SandboxProfile is the name of the built-in profile that sends to the in-process simulator.
const SandboxProfile = "sandbox"

// Config is the parsed config file: the provider profiles by name. The built-in sandbox profile is always there.
type Config struct {
	// Path is the file it was read from ("" when there is none).
	Path     string
	profiles map[string]providers.Profile
	// unset lists, per profile, the ${VAR}s that the environment does not set, with their lines.
	unset map[string][]string
	// literalSecrets is set when a secret field holds a value written in the file rather than a ${VAR}.
	literalSecrets bool
	// Warnings are things the user should know but that do not stop anything (a secret-holding file readable
	// by others).
	Warnings []string
}

// DefaultPath returns $XDG_CONFIG_HOME/herald/config.yaml, else ~/.config/herald/config.yaml.
func DefaultPath() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "herald", "config.yaml")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".config", "herald", "config.yaml")
	}
	return filepath.Join(home, ".config", "herald", "config.yaml")
}

// Load reads the config file at path. When the file does not exist and mustExist is false (the default
// path), the config holds only the built-in sandbox profile. getenv resolves ${VAR} (os.Getenv in production).
func Load(path string, mustExist bool, getenv func(string) string) (*Config, error) {
	cfg := &Config{profiles: map[string]providers.Profile{}, unset: map[string][]string{}}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !mustExist:
		cfg.addSandbox()
		return cfg, nil
	case err != nil:
		return nil, fmt.Errorf("config %s: %w - check the --config path", path, err)
	}
	cfg.Path = path
	if err := cfg.parse(data, getenv); err != nil {
		return nil, err
	}
	if cfg.holdsSecret() {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			cfg.Warnings = append(cfg.Warnings, fmt.Sprintf(
				"warning: %s holds a secret and can be read by other users (mode %04o): run chmod 600 %s, or move the secret into an environment variable (${VAR})",
				path, st.Mode().Perm(), path))
		}
	}
	cfg.addSandbox()
	return cfg, nil
}

func (c *Config) addSandbox() {
	if _, ok := c.profiles[SandboxProfile]; !ok {
		c.profiles[SandboxProfile] = providers.Profile{Name: SandboxProfile, Provider: "sandbox"}
	}
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// configFile is the file's shape; profiles are decoded one by one so an error can name the profile.
type configFile struct {
	Profiles map[string]yaml.Node `yaml:"profiles"`
}

func (c *Config) parse(data []byte, getenv func(string) string) error {
	var f configFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: %s - fix the YAML (indent with spaces; quote values that contain ': ' or '#')", c.Path, yamlMessage(err))
	}
	for name, node := range f.Profiles {
		node := node
		if err := checkProfileKeys(&node); err != nil {
			return fmt.Errorf("config %s: profile %q: %w", c.Path, name, err)
		}
		if hasLiteralSecret(&node) {
			c.literalSecrets = true
		}
		missing := expandVars(&node, getenv)
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(&node); err != nil {
			return fmt.Errorf("config %s: profile %q: %w", c.Path, name, err)
		}
		var p providers.Profile
		pd := yaml.NewDecoder(&buf)
		pd.KnownFields(true)
		if err := pd.Decode(&p); err != nil {
			return fmt.Errorf("config %s: profile %q (line %d): %s - see README.md for each provider's fields",
				c.Path, name, node.Line, yamlMessage(err))
		}
		p.Name = name
		c.profiles[name] = p
		if len(missing) > 0 {
			c.unset[name] = missing
		}
	}
	return nil
}

// yamlMessage strips the library's "yaml: " prefix.
func yamlMessage(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  "), "yaml: ")
}

// expandVars replaces ${VAR} in every scalar value under n with the environment's value, and returns the
// variables that are not set ("ITNIO_API_KEY (line 5)").
func expandVars(n *yaml.Node, getenv func(string) string) []string {
	var missing []string
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
			n.Value = varRef.ReplaceAllStringFunc(n.Value, func(m string) string {
				name := m[2 : len(m)-1]
				v := getenv(name)
				if v == "" {
					missing = append(missing, fmt.Sprintf("%s (line %d)", name, n.Line))
				}
				return v
			})
			n.Tag = "!!str"
			n.Style = yaml.DoubleQuotedStyle
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return missing
}

// profileKeys are the fields a profile may have: the yaml names of providers.Profile.
var profileKeys = func() []string {
	var keys []string
	t := reflect.TypeOf(providers.Profile{})
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}()

// checkProfileKeys refuses a profile field herald does not know (a typo such as acess_token), naming its line
// and the closest known field.
func checkProfileKeys(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a profile is a set of fields such as provider: meta", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if slices.Contains(profileKeys, k.Value) {
			continue
		}
		hint := "a profile's fields are " + strings.Join(profileKeys, ", ")
		if near, ok := human.Closest(k.Value, profileKeys); ok {
			hint = "did you mean " + near + "?"
		}
		return fmt.Errorf("line %d: unknown field %q - %s", k.Line, k.Value, hint)
	}
	return nil
}

// secretKeys are the profile fields that hold credentials.
var secretKeys = map[string]bool{"api_key": true, "api_secret": true, "app_key": true, "app_secret": true,
	"dev_key": true, "dev_secret": true, "token": true, "access_token": true}

// hasLiteralSecret reports whether a profile mapping writes a credential into the file itself instead of
// taking it from a ${VAR}.
func hasLiteralSecret(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if secretKeys[k.Value] && strings.TrimSpace(varRef.ReplaceAllString(v.Value, "")) != "" {
			return true
		}
	}
	return false
}

// holdsSecret reports whether any profile has a secret written in the file itself rather than taken from ${VAR}.
func (c *Config) holdsSecret() bool { return c.literalSecrets }

// Profile returns the named profile, checked: it exists, its ${VAR}s are set, and the provider's required
// fields are there. Errors name the config file and say what to do.
func (c *Config) Profile(name string) (providers.Profile, error) {
	p, ok := c.profiles[name]
	if !ok {
		where := "no config file was found at " + DefaultPath()
		if c.Path != "" {
			where = c.Path + " has " + strings.Join(c.Names(), ", ")
		}
		return providers.Profile{}, fmt.Errorf("unknown profile %q: %s - add it under profiles: in the config file, or pass --profile with one of those", name, where)
	}
	if vars := c.unset[name]; len(vars) > 0 {
		return providers.Profile{}, fmt.Errorf("profile %q in %s uses %s, not set in the environment - export %s before running herald",
			name, c.Path, strings.Join(vars, ", "), plainVar(vars[0]))
	}
	if err := p.Validate(); err != nil {
		if c.Path != "" {
			return providers.Profile{}, fmt.Errorf("config %s: %w", c.Path, err)
		}
		return providers.Profile{}, err
	}
	return p, nil
}

// Lookup returns the named profile as written, without checking its credentials: for a preview, which sends
// nothing but keeps the profile's messaging_limit and frequency_cap.
func (c *Config) Lookup(name string) (providers.Profile, bool) {
	p, ok := c.profiles[name]
	return p, ok
}

func plainVar(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i] + "=..."
	}
	return s + "=..."
}

// Names returns the profile names, sorted.
func (c *Config) Names() []string {
	names := make([]string, 0, len(c.profiles))
	for n := range c.profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
