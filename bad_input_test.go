package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocarina/gocsv"
)

// badInputCase is one line of testdata/bad/cases.csv: a command line over the catalog's files, the exit code it
// must give and the words its output must contain (separated by |).
type badInputCase struct {
	Name     string `csv:"name"`
	Args     string `csv:"args"`
	Exit     int    `csv:"exit"`
	Contains string `csv:"contains"`
}

// TestBadInputCatalog runs every case of the bad-input catalog: real-world broken CSVs, templates and configs,
// each with its exit code and the words that name the file, row or line and the fix.
func TestBadInputCatalog(t *testing.T) {
	f, err := os.Open("testdata/bad/cases.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []badInputCase
	if err := gocsv.UnmarshalFile(f, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Fatalf("the catalog has %d cases, want at least 25", len(cases))
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	bigCell := writeBigCellCSV(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			tmp := t.TempDir()
			args := catalogArgs(c.Args, bigCell)
			if args[0] == "preview" || args[0] == "send" {
				args = append(args, "--out", filepath.Join(tmp, "out.csv"), "--state", filepath.Join(tmp, "state.db"))
			}
			var stdout, stderr bytes.Buffer
			code := run(args, strings.NewReader(""), &stdout, &stderr)
			// Compare with runs of spaces collapsed: the summary aligns its columns.
			out := strings.Join(strings.Fields(stdout.String()+"\n"+stderr.String()), " ")
			if code != c.Exit {
				t.Errorf("herald %s: exit %d, want %d\n%s", strings.Join(args, " "), code, c.Exit, out)
			}
			for _, want := range strings.Split(c.Contains, "|") {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if c.Exit == 2 && stdout.Len() > 0 && strings.Contains(stdout.String(), "sent") {
				t.Errorf("an input error must send nothing, but stdout says:\n%s", stdout.String())
			}
		})
	}
}

// catalogArgs splits a case's command line and points file flags into testdata/bad.
func catalogArgs(line, bigCell string) []string {
	args := strings.Fields(line)
	for i := 1; i < len(args); i++ {
		switch args[i-1] {
		case "--csv", "--template", "--config", "--prices":
			if args[i] == "GENERATED_BIG_CELL" {
				args[i] = bigCell
			} else {
				args[i] = filepath.Join("testdata", "bad", args[i])
			}
		}
	}
	return args
}

// writeBigCellCSV writes a CSV whose first_name cell is 10 MB (generated: too big to keep in the repository).
func writeBigCellCSV(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big_cell.csv")
	body := "first_name,phone,code,discount,expires\n" + strings.Repeat("A", 10<<20) +
		",+44 7400 123593,SPRING-1,15%,30 April\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
