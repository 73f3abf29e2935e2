// Package ui is pipesim's live dashboard: a Bubble Tea program that polls
// the engine's immutable snapshots on a tick, renders them in panes, and
// sends commands for keys. It never blocks on the engine.
package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Source is the running engine as the dashboard sees it.
type Source interface {
	Snapshot() *sim.Snapshot // latest published picture; never blocks
	Send(sim.Command)        // never blocks
}

// Options tune the dashboard.
type Options struct {
	NoColor   bool          // no colour at all (NO_COLOR in the environment does the same)
	Theme     string        // one of Themes; "" is auto
	Present   bool          // start in the presenter's view (z switches)
	Tour      bool          // walk through the Tour's stops
	TickEvery time.Duration // how often to poll the engine; 100ms when zero

	// For tests and embedding; nil/zero means the terminal.
	Input         io.Reader
	Output        io.Writer
	Width, Height int // initial size, when the output is not a terminal
}

// Run runs the dashboard until q or ctrl+c (nil), or until ctx ends
// (ctx.Err()). The caller owns the engine: start it before, stop it after.
func Run(ctx context.Context, src Source, opt Options) error {
	if os.Getenv("NO_COLOR") != "" {
		opt.NoColor = true
	}
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opt.Input != nil {
		popts = append(popts, tea.WithInput(opt.Input))
	}
	if opt.Output != nil {
		popts = append(popts, tea.WithOutput(opt.Output))
	}
	if opt.Width > 0 && opt.Height > 0 {
		popts = append(popts, tea.WithWindowSize(opt.Width, opt.Height))
	}
	_, err := tea.NewProgram(New(src, opt), popts...).Run()
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return ctx.Err()
	}
	return err
}

// tickMsg asks the model to poll the engine; it carries the wall time.
type tickMsg time.Time

// answerMsg polls the engine soon after a command was sent, so that its
// answer shows within a frame of the engine applying it rather than at
// the next tick; it carries the wall time.
type answerMsg time.Time

// answerEvery is how often the model polls while a command it sent is
// not applied yet.
const answerEvery = 10 * time.Millisecond

// Model is the root model: it owns the panes, routes keys to the focused
// pane (scrolling, folding) and handles the rest (commands, focus, help).
type Model struct {
	src  Source
	opt  Options
	sh   *shared
	help help.Model

	w, h     int
	layout   Layout
	focus    PaneID
	panes    [numPanes]pane
	snap     *sim.Snapshot
	now      time.Time
	toast    *toast
	present  presenter
	tour     tour
	dark     bool
	quitting bool

	sent      int  // commands sent to the engine
	answering bool // an answerMsg is on its way
}

// New builds the root model. It does not start polling until Init.
func New(src Source, opt Options) *Model {
	if opt.TickEvery <= 0 {
		opt.TickEvery = 100 * time.Millisecond
	}
	if opt.Theme == "" {
		opt.Theme = "auto"
	}
	m := &Model{src: src, opt: opt, dark: true, sh: &shared{keys: DefaultKeyMap()}}
	m.sh.st = NewThemeStyles(opt.Theme, m.dark, opt.NoColor)
	m.present.on = opt.Present
	m.tour.on = opt.Tour
	m.tour.stop = -1 // the first stop is set once the engine answers
	m.help = help.New()
	m.help.Styles = m.sh.st.Help
	m.panes = [numPanes]pane{
		PaneThroughput: newThroughputPane(m.sh),
		PaneDuplicates: newDuplicatesPane(m.sh),
		PaneStaging:    newStagingPane(m.sh),
		PaneParquet:    newParquetPane(m.sh),
		PaneCloudWatch: newCloudWatchPane(m.sh),
		PaneCost:       newCostPane(m.sh),
	}
	m.setFocus(PaneThroughput)
	if opt.Width > 0 && opt.Height > 0 {
		m.resize(opt.Width, opt.Height)
	}
	return m
}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(m.opt.TickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Init polls at once, then on every tick, and asks for the background
// colour to pick light or dark styles.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(
		func() tea.Msg { return tickMsg(time.Now()) },
		tea.RequestBackgroundColor,
	)
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.restyle()
	case tickMsg:
		m.poll(time.Time(msg))
		return m, tea.Batch(m.tick(), m.awaitAnswer())
	case answerMsg:
		m.answering = false
		m.poll(time.Time(msg))
		return m, m.awaitAnswer()
	case tea.KeyPressMsg:
		return m, tea.Batch(m.key(msg), m.awaitAnswer())
	}
	return m, nil
}

// send hands a command to the engine.
func (m *Model) send(c sim.Command) {
	m.src.Send(c)
	m.sent++
}

// awaitAnswer polls again soon while the engine, still running, has not
// applied every command sent.
func (m *Model) awaitAnswer() tea.Cmd {
	if m.answering || m.snap == nil || m.snap.Applied >= m.sent || m.snap.Done || m.snap.Err != nil {
		return nil
	}
	m.answering = true
	return tea.Tick(answerEvery, func(t time.Time) tea.Msg { return answerMsg(t) })
}

// poll takes the engine's latest snapshot (never blocking) and hands it to
// the panes if it is new.
func (m *Model) poll(at time.Time) {
	m.now = at
	if s := m.src.Snapshot(); s != nil && s != m.snap {
		m.snap = s
		for _, p := range m.panes {
			p.SetSnapshot(s)
		}
	}
	if m.toast != nil && !m.toast.observe(m.snap, at) {
		m.toast = nil
	}
	if m.tour.on && m.tour.stop < 0 && m.snap != nil {
		m.goTo(0)
	}
	if m.toast != nil && m.present.key != "" {
		m.present.said, _ = m.toast.text(at)
	}
}

// goTo sets the pipeline to stop i of the tour.
func (m *Model) goTo(i int) {
	s := Tour[i]
	m.tour.stop = i
	m.present.pressed("tour "+itoa(i+1), s.card, m.snap, m.now)
	m.present.said = s.Title
	m.toast = nil
	for _, c := range s.commands() {
		m.send(c)
	}
	m.relayout() // the caption's height
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.sh.keys
	if m.tour.on && m.tour.stop >= 0 {
		switch {
		case key.Matches(msg, k.TourNext):
			if m.tour.stop < len(Tour)-1 {
				m.goTo(m.tour.stop + 1)
			}
			return nil
		case key.Matches(msg, k.TourBack):
			if m.tour.stop > 0 {
				m.goTo(m.tour.stop - 1)
			}
			return nil
		case key.Matches(msg, k.TourEnd):
			m.tour.on = false
			m.relayout()
			return nil
		}
	}
	switch {
	case key.Matches(msg, k.Quit):
		m.quitting = true
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.relayout()
		return nil
	case key.Matches(msg, k.NextPane):
		m.setFocus((m.focus + 1) % numPanes)
		return nil
	case key.Matches(msg, k.PrevPane):
		m.setFocus((m.focus + numPanes - 1) % numPanes)
		return nil
	case key.Matches(msg, k.Present):
		m.present.on = !m.present.on
		return nil
	case key.Matches(msg, k.Events):
		m.sh.events = !m.sh.events
		return nil
	case key.Matches(msg, k.Theme):
		m.opt.Theme = Themes[(slices.Index(Themes, m.opt.Theme)+1)%len(Themes)]
		m.restyle()
		m.toast = &toast{asked: "theme " + m.opt.Theme, sentAt: m.now, quiet: true}
		m.present.pressed(msg.String(), "", m.snap, m.now) // the status line is v's, not the last command's
		m.present.said, _ = m.toast.text(m.now)
		return nil
	}
	if c, ok := k.commandFor(msg); ok {
		m.toast = newToast(c, m.sent+1, m.snap, m.now)
		m.present.pressed(msg.String(), cardFor(c), m.snap, m.now)
		m.present.said, _ = m.toast.text(m.now)
		if m.snap == nil || !(m.snap.Done || m.snap.Err != nil) {
			m.send(c) // an ended run takes no more commands; the toast says so
		}
		return nil
	}
	// the rest (scrolling, folding) goes to the focused pane
	return m.panes[m.focus].Update(msg)
}

// restyle rebuilds the styles for the theme and the background.
func (m *Model) restyle() {
	m.sh.st = NewThemeStyles(m.opt.Theme, m.dark, m.opt.NoColor)
	m.help.Styles = m.sh.st.Help
}

func (m *Model) setFocus(f PaneID) {
	m.focus = f
	for i, p := range m.panes {
		p.SetFocused(PaneID(i) == f)
	}
	m.relayout() // the compact layout shows CloudWatch only while focused
}

func (m *Model) resize(w, h int) {
	m.w, m.h = w, h
	m.relayout()
}

// relayout recomputes the layout and gives each pane its size.
func (m *Model) relayout() {
	if m.w == 0 {
		return
	}
	m.help.SetWidth(m.w)
	m.layout = ComputeLayout(m.w, m.h, len(m.tour.captionLines(&m.sh.st, m.w))+1+len(m.helpLines()), m.focus)
	for i, p := range m.panes {
		r := m.layout.Panes[i]
		p.SetSize(r.W, r.H)
	}
}

// helpLines is the help at the bottom: one line, or (with ?) every key in
// as few rows as fit the width.
func (m *Model) helpLines() []string {
	if !m.help.ShowAll {
		all := m.sh.keys.ShortHelp()
		n := len(all) - 2
		right := m.help.ShortHelpView(all[n:])
		left := m.help
		left.SetWidth(m.w - width(right) - 3)
		return []string{spread(left.ShortHelpView(all[:n]), right, m.w)}
	}
	keys := m.sh.keys
	keys.Help.SetHelp("?", "close help")
	var all []key.Binding
	for _, g := range keys.FullHelp() {
		all = append(all, g...)
	}
	free := m.help
	free.SetWidth(0)
	for rows := 4; rows <= len(all); rows++ {
		var groups [][]key.Binding
		for i := 0; i < len(all); i += rows {
			groups = append(groups, all[i:min(i+rows, len(all))])
		}
		v := free.FullHelpView(groups)
		if lipgloss.Width(v) <= m.w || rows == len(all) {
			return strings.Split(v, "\n")
		}
	}
	return nil
}

// View composes header, panes and footer from the layout's rectangles.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "pipesim"
	if m.snap != nil {
		v.WindowTitle = "pipesim · " + m.snap.Scenario + " · " + metric.Rate(m.snap.RatePerHour)
	}
	return v
}

func (m *Model) render() string {
	if m.w == 0 || m.h == 0 {
		return "starting pipesim…"
	}
	if m.quitting {
		return ""
	}
	l := m.layout
	if l.TooSmall {
		msg := "pipesim needs a terminal of at least " + itoa(MinWidth) + "×" + itoa(MinHeight) +
			"\nthis one is " + itoa(m.w) + "×" + itoa(m.h) + ": enlarge it or make the font smaller" +
			"\n\nq quits"
		// wrapped at the terminal's width, so that the warning is never cut
		msg = lipgloss.NewStyle().Width(m.w).Align(lipgloss.Center).Render(msg)
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, msg)
	}

	type region struct {
		r     Rect
		lines []string
	}
	regions := []region{
		{l.Header, []string{m.sh.st.header(m.snap, l.Header.W)}},
		{l.Footer, m.footer(l.Footer.W, l.Footer.H)},
	}
	if m.present.on {
		body := Rect{0, l.Header.H, m.w, l.Footer.Y - l.Header.H}
		regions = append(regions, region{body, m.present.view(&m.sh.st, m.snap, body.W, body.H, m.now)})
	} else {
		for i, p := range m.panes {
			if r := l.Panes[i]; r.Visible() {
				regions = append(regions, region{r, strings.Split(p.View(), "\n")})
			}
		}
	}
	rows := make([]strings.Builder, m.h)
	// regions tile the screen (layout_test): fill each row left to right
	for x := 0; x < m.w; {
		next := m.w
		for _, rg := range regions {
			if rg.r.X == x {
				for y := rg.r.Y; y < rg.r.Y+rg.r.H && y < m.h; y++ {
					line := ""
					if i := y - rg.r.Y; i < len(rg.lines) {
						line = rg.lines[i]
					}
					rows[y].WriteString(fit(line, rg.r.W))
				}
			}
			if rg.r.X > x && rg.r.X < next {
				next = rg.r.X
			}
		}
		x = next
	}
	out := make([]string, m.h)
	for i := range rows {
		out[i] = rows[i].String()
	}
	return strings.Join(out, "\n")
}

// footer is the status line (error, toast, end of run or the newest log
// line) and the help.
func (m *Model) footer(w, h int) []string {
	st := &m.sh.st
	var status string
	switch {
	case m.snap != nil && m.snap.Err != nil:
		status = st.ErrBanner.Render(fit(keepTail(" ✖ engine stopped: ", oneLine(m.snap.Err.Error()), w), w))
	case m.present.on:
		status = st.Strong.Render(truncWords(m.present.actionLine(m.snap), w))
	case m.toast != nil:
		text, done := m.toast.text(m.now)
		text = truncWords(text, w)
		if done {
			status = st.ToastDone.Render(text)
		} else {
			status = st.Toast.Render(text)
		}
	case m.snap != nil && m.snap.Done:
		status = st.DoneBanner.Render(fit(" ■ run finished at "+m.snap.SimTime.UTC().Format("2006-01-02 15:04:05")+": the files are written; q quits", w))
	case m.snap != nil && len(m.snap.Log) > 0:
		l := m.snap.Log[len(m.snap.Log)-1]
		style := st.Muted
		if l.Warn {
			style = st.LogWarn
		}
		at := l.At.UTC().Format("15:04:05") + " "
		status = st.Muted.Render(at) + style.Render(truncWords(l.Text, w-width(at)))
	case m.snap == nil:
		status = st.Muted.Render("waiting for the engine's first snapshot…")
	default:
		status = st.Muted.Render("tab moves between panes · ↑↓ scroll · enter folds staging · ? every key")
	}
	lines := append(m.tour.captionLines(st, w), fit(status, w))
	lines = append(lines, m.helpLines()...)
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
