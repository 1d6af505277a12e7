// Package cmdline parses herald's command lines the way its users expect: flags before, between or after a
// command's words, -h printing what the command does and its flags, and a mistyped flag answered with the
// closest one (an input error, exit 2) rather than the whole usage.
package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"herald/campaign"
	"herald/campaign/human"
)

// Command is one command's flags and what -h says of it.
type Command struct {
	Flags *flag.FlagSet
	// About is the sentence -h prints under the command's name.
	About string
	// Help, when set, prints the whole help for -h instead of About and the flags (herald's own usage).
	Help func(w io.Writer)
}

// Parse parses the command's flags; it takes no other argument. -h prints the help on stdout and returns
// flag.ErrHelp (exit 0).
func (c Command) Parse(args []string, stdout io.Writer) error {
	rest, err := c.Words(args, stdout)
	if err == nil && len(rest) > 0 {
		return campaign.InputError(fmt.Errorf("unexpected argument %q: flags start with -- (%s -h lists them)", rest[0], c.Flags.Name()))
	}
	return err
}

// Words parses flags given before, between or after the command's words, and returns the words in order.
func (c Command) Words(args []string, stdout io.Writer) ([]string, error) {
	fs := c.Flags
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, c.failure(err, stdout)
		}
		if args = fs.Args(); len(args) == 0 {
			return words, nil
		}
		words, args = append(words, args[0]), args[1:]
	}
}

// failure turns a flag parsing error into what the user reads: the help for -h, else an input error that names
// the closest flag to a mistyped one.
func (c Command) failure(err error, stdout io.Writer) error {
	fs := c.Flags
	if errors.Is(err, flag.ErrHelp) {
		if c.Help != nil {
			c.Help(stdout)
			return err
		}
		fmt.Fprintf(stdout, "Usage: %s [flags]\n  %s\n\nFlags:\n", fs.Name(), c.About)
		PrintFlags(stdout, fs)
		return err
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := fs.Name() + " -h lists them"
		if near, ok := human.Closest(name, names); ok {
			hint = fmt.Sprintf("did you mean --%s? (%s)", near, hint)
		}
		return campaign.InputError(fmt.Errorf("%s has no flag --%s: %s", fs.Name(), name, hint))
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag needs an argument: -"); ok {
		return campaign.InputError(fmt.Errorf("--%s needs a value (%s -h lists the flags)", name, fs.Name()))
	}
	return campaign.InputError(fmt.Errorf("%w (%s -h lists the flags)", err, fs.Name()))
}

// PrintFlags lists a command's flags as --name VALUE  what it is (default).
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if v, ok := flagValueNames[f.Name]; ok {
			kind = v
		}
		if kind != "" {
			name += " " + strings.ToUpper(kind)
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "0s" && f.DefValue != "false" {
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %-26s %s\n", name, text)
	})
}

// flagValueNames name the value a flag takes in the usage, where its type alone would not say it.
var flagValueNames = map[string]string{"csv": "FILE", "template": "FILE", "config": "FILE", "state": "FILE",
	"out": "FILE", "log": "FILE", "profile": "NAME", "campaign": "NAME", "phone-column": "NAME", "region": "CC",
	"rate": "N", "concurrency": "N", "addr": "HOST:PORT", "reject-prefix": "PREFIXES", "followup": "CAMPAIGN",
	"frequency-cap": "DUR", "listen": "HOST:PORT", "prices": "FILE", "send-window": "HH:MM-HH:MM"}
