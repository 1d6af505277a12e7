package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/ui/common"
)

// profilesConfig writes a config file with a fast sandbox profile and a Meta profile whose token comes from an
// unset variable, and loads it.
func profilesConfig(t *testing.T) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := `profiles:
  fast:
    provider: sandbox
    rate: 80
  meta-prod:
    provider: meta
    access_token: ${HERALD_TEST_TOKEN}
    phone_number_id: "123456"
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestProfilePicker(t *testing.T) {
	cases := []struct {
		name      string
		rateGiven bool
		// after each press of c on the profile field: the profile, the rate, and whether Enter previews.
		want []struct {
			profile string
			rate    float64
			ok      bool
		}
	}{
		{"rate from each profile", false, []struct {
			profile string
			rate    float64
			ok      bool
		}{{"fast", 80, true}, {"meta-prod", 20, false}, {"sandbox", 20, true}}},
		{"rate from --rate", true, []struct {
			profile string
			rate    float64
			ok      bool
		}{{"fast", 5, true}, {"meta-prod", 5, false}, {"sandbox", 5, true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan := samplePlan(sampleDir(t))
			plan.Rate = 0
			if tc.rateGiven {
				plan.Rate = 5
			}
			m := newModel(context.Background(), Config{Plan: plan, Config: profilesConfig(t)}, nil)
			t.Cleanup(func() { m.shutdown() })
			drive(t, m, m.Init()())
			drive(t, m, keyPress("down"))
			drive(t, m, keyPress("down"))
			for _, w := range tc.want {
				drive(t, m, keyPress("c"))
				s := m.setup
				if s.plan.Profile.Name != w.profile || s.plan.SendRate() != w.rate || s.ready() != w.ok {
					t.Fatalf("profile %q rate %v ready %v, want %q %v %v (error %v)", s.plan.Profile.Name,
						s.plan.SendRate(), s.ready(), w.profile, w.rate, w.ok, s.profileErr)
				}
				if !w.ok && !strings.Contains(flat(m.View()), "export HERALD_TEST_TOKEN=") {
					t.Errorf("the profile's problem does not show:\n%s", m.View())
				}
			}
			drive(t, m, keyPress("enter"))
			if m.active != screenPreview || m.plan.Profile.Name != "sandbox" {
				t.Fatalf("enter: screen %d with profile %q", m.active, m.plan.Profile.Name)
			}
		})
	}
}

func TestFilePickerChoosesTheTemplate(t *testing.T) {
	dir := sampleDir(t)
	spring, err := os.ReadFile(filepath.Join(dir, "templates", "spring_sale.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	autumn := strings.Replace(string(spring), "name: spring_sale", "name: autumn_sale", 1)
	if err := os.WriteFile(filepath.Join(dir, "templates", "autumn.yaml"), []byte(autumn), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newModel(context.Background(), Config{Plan: samplePlan(dir)}, nil)
	t.Cleanup(func() { m.shutdown() })
	drive(t, m, m.Init()())
	drive(t, m, keyPress("down"))

	drive(t, m, keyPress("c"))
	if m.setup.picker == nil || !strings.Contains(m.View(), "Choose the template") {
		t.Fatalf("c did not open the picker:\n%s", m.View())
	}
	drive(t, m, keyPress("esc"))
	if m.setup.picker != nil || m.setup.plan.TemplatePath != samplePlan(dir).TemplatePath {
		t.Fatalf("esc: picker open %v, template %q", m.setup.picker != nil, m.setup.plan.TemplatePath)
	}

	drive(t, m, keyPress("c"))
	if view := flat(m.View()); !strings.Contains(view, "› ../") || !strings.Contains(view, "autumn.yaml spring_sale.yaml") {
		t.Fatalf("the picker does not list the parent folder, then the templates:\n%s", m.View())
	}
	drive(t, m, keyPress("down"))
	drive(t, m, keyPress("enter")) // the first file: autumn.yaml
	if want := filepath.Join(dir, "templates", "autumn.yaml"); m.setup.plan.TemplatePath != want {
		t.Fatalf("template %q, want %q", m.setup.plan.TemplatePath, want)
	}
	if !m.setup.ready() || !strings.Contains(flat(m.View()), "/templates/autumn.yaml · autumn_sale (en_US)") {
		t.Errorf("the chosen template was not checked:\n%s", m.View())
	}
}

func TestCheckKeepsTheFirstRowsAndCountsAll(t *testing.T) {
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("phone,first_name\n")
	const rows = previewRowLimit + 1000
	for i := range rows {
		fmt.Fprintf(&csv, "+447400%06d,Ann\n", i)
	}
	plan := campaign.Plan{CSVPath: filepath.Join(dir, "big.csv"), TemplatePath: filepath.Join(dir, "t.yaml"),
		StatePath: filepath.Join(dir, "herald.db"), Profile: sandboxProfile}
	if err := os.WriteFile(plan.CSVPath, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plan.TemplatePath, []byte("name: t\nlanguage: en\nbody: \"Hi {{first_name}}\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opened := openCmd(1, plan, guards.System(), absPath)().(openedMsg)
	if opened.err != nil {
		t.Fatal(opened.err)
	}
	progress := &checkProgress{}
	checked := checkCmd(context.Background(), 1, opened.in, opened.info, progress)().(checkedMsg)
	if checked.err != nil {
		t.Fatal(checked.err)
	}
	r := checked.result
	if len(r.rows) != previewRowLimit || r.summary.Rows != rows || progress.rows.Load() != rows ||
		progress.ready.Load() != rows {
		t.Fatalf("kept %d rows of %d (progress %d, ready %d); want %d of %d", len(r.rows), r.summary.Rows,
			progress.rows.Load(), progress.ready.Load(), previewRowLimit, rows)
	}
	if last := r.rows[len(r.rows)-1]; last.num != previewRowLimit+1 || last.values[0] != "Ann" {
		t.Errorf("last kept row %d with values %q", last.num, last.values)
	}
	p := newPreviewPane(common.New())
	p.SetSize(100, 27)
	p.setData(opened.info, r)
	if want := "First 5,000 of 6,000 rows kept"; !strings.Contains(p.View(), want) {
		t.Errorf("preview does not say the table is bounded (%q):\n%s", want, p.View())
	}
}

func TestPhoneColumnCanBeChosen(t *testing.T) {
	dir := sampleDir(t)
	csv := "first_name,telephone_no,code,discount,expires\nOlivia,+44 7400 123593,SPRING-1,15%,30 April\n"
	if err := os.WriteFile(filepath.Join(dir, "crm.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := samplePlan(dir)
	plan.CSVPath = filepath.Join(dir, "crm.csv")
	m := newModel(context.Background(), Config{Plan: plan}, nil)
	t.Cleanup(func() { m.shutdown() })
	drive(t, m, m.Init()())
	if m.setup.ready() || !strings.Contains(flat(m.View()), "none found: press c to pick one of the 5 columns") {
		t.Fatalf("a CSV without a phone column must offer its columns:\n%s", m.View())
	}
	for range 3 {
		drive(t, m, keyPress("down"))
	}
	drive(t, m, keyPress("c")) // first_name: names are not numbers, so the row is invalid
	drive(t, m, keyPress("c")) // telephone_no
	if m.setup.plan.PhoneColumn != "telephone_no" || !m.setup.ready() {
		t.Fatalf("phone column %q, ready %v:\n%s", m.setup.plan.PhoneColumn, m.setup.ready(), m.View())
	}
	if got := m.setup.result.summary.Counts[status.Ready]; got != 1 {
		t.Fatalf("ready rows %d with telephone_no as the phone column", got)
	}
	drive(t, m, keyPress("enter"))
	if m.active != screenPreview || m.plan.PhoneColumn != "telephone_no" {
		t.Fatalf("enter: screen %d, plan phone column %q", m.active, m.plan.PhoneColumn)
	}
}
