package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/human"
	"herald/ui/common"
)

// confirmedMsg reports that the user typed the number of messages: the run may start.
type confirmedMsg struct{}

// maxTyped bounds what the confirmation field keeps.
const maxTyped = 20

// confirmPane asks the user to type the number of messages about to be sent (or the word send). No single key
// confirms: a wrong number clears the field and says what to type.
type confirmPane struct {
	common.Common
	campaign, template, profile, outPath string
	rate                                 float64
	// ready is the number to type: the rows the run will send.
	ready   int
	resumed bool
	counts  map[string]int
	notes   []string
	typed   string
	hint    string
	outlook campaign.Outlook
}

// newConfirmPane returns an empty confirmation; setSession fills it.
func newConfirmPane(c common.Common) *confirmPane { return &confirmPane{Common: c} }

// setSession asks to confirm the session's run; outPath is its results CSV, absolute.
func (p *confirmPane) setSession(sess *campaign.Session, outPath string) {
	plan := sess.Input.Plan
	*p = confirmPane{Common: p.Common, campaign: sess.Info.Name, template: sess.Input.Template.Name,
		profile: plan.Profile.Name, outPath: outPath, rate: plan.SendRate(),
		ready: sess.ToSend(), resumed: sess.Resumed, counts: sess.Counts, notes: sess.Notes, outlook: sess.Outlook}
	if sess.Recovered > 0 && !plan.ResendUnknown {
		p.notes = append(p.notes, "To send the unknown rows again, go back (esc twice) and choose them under Resend.")
	}
}

// Typing implements common.Typist: the confirmation takes every key, q included.
func (p *confirmPane) Typing() bool { return true }

// Init implements tea.Model.
func (p *confirmPane) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (p *confirmPane) SetSize(width, height int) { p.Common.SetSize(width, height) }

// Update implements tea.Model.
func (p *confirmPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	k := p.Keys
	switch {
	case key.Matches(km, k.Back):
		return p, common.Emit(backMsg{})
	case key.Matches(km, k.Continue):
		return p, p.submit()
	case key.Matches(km, k.Erase):
		if p.typed != "" {
			_, n := utf8.DecodeLastRuneInString(p.typed)
			p.typed = p.typed[:len(p.typed)-n]
		}
	case km.Type == tea.KeyRunes:
		if utf8.RuneCountInString(p.typed)+len(km.Runes) <= maxTyped {
			p.typed += string(km.Runes)
		}
		p.hint = ""
	}
	return p, nil
}

// digitGroups are the thousands separators people may type in the number.
var digitGroups = strings.NewReplacer(",", "", "_", "", " ", "")

// submit confirms when the field holds the number of messages (thousands separators allowed) or "send";
// anything else is refused.
func (p *confirmPane) submit() tea.Cmd {
	typed := strings.TrimSpace(p.typed)
	switch {
	case digitGroups.Replace(typed) == strconv.Itoa(p.ready) || strings.EqualFold(typed, "send"):
		return common.Emit(confirmedMsg{})
	case typed == "":
		p.hint = fmt.Sprintf("Type %d first, then press enter.", p.ready)
	default:
		p.hint = fmt.Sprintf("%q is not %d: type the number of messages, %d, or the word send.", typed, p.ready, p.ready)
	}
	p.typed = ""
	return nil
}

// View implements tea.Model.
func (p *confirmPane) View() string {
	st := p.Styles
	about := "as fast as the provider answers"
	if d := campaign.Estimate(p.ready, p.rate); d > 0 {
		about = "about " + human.Duration(d)
	}
	if sched := p.outlook.Schedule; sched != nil && sched.Waiting() > 0 {
		about += " of sending, as their time comes" // the When row says when
	}
	question := fmt.Sprintf("Send %s with %s via %s at %s, %s?", human.Plural(p.ready, "message"), p.template,
		p.profile, human.Rate(p.rate), about)
	state := "new"
	if p.resumed {
		state = "started before, continuing: nobody is messaged twice"
	}
	// Rows that give way, one line each, when the screen is short: the cost first, then when the rows go, the
	// messaging limit and the notes; the question and the field to type in always show.
	rows := []confirmRow{{"Campaign", lipgloss.NewStyle(), p.campaign + " (" + state + ")", 0},
		{"Rows now", lipgloss.NewStyle(), common.CountsLine(p.counts), 0}, {"Results", lipgloss.NewStyle(), p.outPath, 0}}
	if line, warn := p.outlook.LimitLine(p.profile); warn {
		rows = append(rows, confirmRow{"Warning", st.Warn, "messaging limit: " + line, 3})
	} else if line != "" {
		rows = append(rows, confirmRow{"Limit", lipgloss.NewStyle(), line, 3})
	}
	if line := p.outlook.ScheduleLine(); line != "" {
		rows = append(rows, confirmRow{"When", lipgloss.NewStyle(), line, 2})
	}
	if p.outlook.Cost != nil {
		rows = append(rows, confirmRow{"Cost", lipgloss.NewStyle(), p.outlook.Cost.String(), 1})
	}
	for _, n := range p.notes {
		rows = append(rows, confirmRow{"Note", st.Warn, n, 4})
	}
	tail := []string{"", p.Paragraph(st.Value, fmt.Sprintf("Type %d (or send) and press enter to start; esc goes back.", p.ready)), "",
		"  " + st.Focused.Render("›") + " " + st.Input.Render(p.typed) + "_"}
	if p.hint != "" {
		tail = append(tail, "", p.Paragraph(st.Error, p.hint))
	}
	var view string
	for level := 0; level <= 4; level++ {
		lines := []string{p.Paragraph(st.Heading, question), ""}
		for _, r := range rows {
			text := r.text
			if r.shrink > 0 && r.shrink <= level {
				text = common.FitWords(text, p.ValueWidth())
			}
			lines = append(lines, p.FormRow(r.label, r.style.Render(text)))
		}
		if view = strings.Join(append(lines, tail...), "\n"); lipgloss.Height(view) <= p.Height {
			break
		}
	}
	return view
}

// confirmRow is a row of the confirmation; shrink is when it takes one line as the screen gets short (1 first;
// 0 never).
type confirmRow struct {
	label  string
	style  lipgloss.Style
	text   string
	shrink int
}

// ShortHelp implements help.KeyMap.
func (p *confirmPane) ShortHelp() []key.Binding {
	k := p.Keys
	return []key.Binding{common.WithHelp(k.Continue, "start"), k.Erase, k.Back}
}

// FullHelp implements help.KeyMap.
func (p *confirmPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
