package ui

import (
	"image/color"

	"pipesim/sim"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles is every style the dashboard uses, in one place. It is rebuilt when
// the terminal reports its background (tea.BackgroundColorMsg) and built
// without any colour at all under NO_COLOR / Options.NoColor: then emphasis
// is carried by bold, reverse video, thick borders and text markers.
type Styles struct {
	NoColor bool
	Dark    bool
	Theme   string // one of Themes

	// header bar (every segment carries the bar's background)
	Header, Brand, HeaderKey, HeaderWarn, HeaderBad, HeaderOK lipgloss.Style
	HeaderFault                                               lipgloss.Style // the fault badge: white on red, reverse video without colour

	// pane frames
	Border, BorderFocus, Title, TitleFocus, Info lipgloss.Style

	// text
	Label, Value, Muted, Strong lipgloss.Style
	OK, Warn, Bad, Accent       lipgloss.Style

	// charts
	SparkPut, SparkThrottle, SparkLambda, SparkBytes, SparkDup, SparkAge lipgloss.Style
	BarEmpty, BandEmpty                                                  lipgloss.Style

	// staging tree
	Cursor, TreeDim lipgloss.Style

	// footer
	Toast, ToastDone, ErrBanner, DoneBanner, LogText, LogWarn lipgloss.Style
	Help                                                      help.Styles
}

// Themes are the palettes --theme (and PIPESIM_THEME, and the v key) can
// choose: "auto" follows the background the terminal reports; "high-contrast"
// is for a washed-out projector, every colour at least WCAG AA (4.5:1)
// against a black or white background, whichever the terminal has.
var Themes = []string{"auto", "dark", "light", "high-contrast"}

// palette is a theme's colours.
type palette struct {
	accent, hdrBg, hdrFg, green, yellow, red, muted, dimLine string
	title, onRed, onGreen                                    string
	sparkPut, sparkLambda, sparkBytes, sparkDup              string
	helpKey, helpDesc, helpSep                               string
}

var (
	lightPalette = palette{
		accent: "#5A3FC0", hdrBg: "#E6E3F5", hdrFg: "#222222", green: "#02875A", yellow: "#9A6C00", red: "#C4003D",
		muted: "#767676", dimLine: "#BBBBBB", title: "#444444", onRed: "#FFFFFF", onGreen: "#FFFFFF",
		sparkPut: "#00779E", sparkLambda: "#8700AF", sparkBytes: "#005FD7", sparkDup: "#AF5F00",
		helpKey: "#5A5A5A", helpDesc: "#767676", helpSep: "#C0C0C0",
	}
	darkPalette = palette{
		accent: "#A48BFF", hdrBg: "#2B2740", hdrFg: "#E8E6F0", green: "#3DDC97", yellow: "#F5C542", red: "#FF5F87",
		muted: "#949494", dimLine: "#4A4A4A", title: "#C8C8C8", onRed: "#FFFFFF", onGreen: "#1A1A1A",
		sparkPut: "#5FD7FF", sparkLambda: "#D787FF", sparkBytes: "#87AFFF", sparkDup: "#FFAF5F",
		helpKey: "#B0B0B0", helpDesc: "#8A8A8A", helpSep: "#585858",
	}
	// high contrast on a dark background (black) and on a light one (white)
	contrastDark = palette{
		accent: "#87D7FF", hdrBg: "#000000", hdrFg: "#FFFFFF", green: "#5FFF87", yellow: "#FFFF5F", red: "#FF8787",
		muted: "#D0D0D0", dimLine: "#A8A8A8", title: "#FFFFFF", onRed: "#000000", onGreen: "#000000",
		sparkPut: "#87FFFF", sparkLambda: "#FFAFFF", sparkBytes: "#AFD7FF", sparkDup: "#FFD787",
		helpKey: "#FFFFFF", helpDesc: "#D0D0D0", helpSep: "#A8A8A8",
	}
	contrastLight = palette{
		accent: "#00005F", hdrBg: "#FFFFFF", hdrFg: "#000000", green: "#005F00", yellow: "#5F3F00", red: "#AF0000",
		muted: "#3A3A3A", dimLine: "#5F5F5F", title: "#000000", onRed: "#FFFFFF", onGreen: "#FFFFFF",
		sparkPut: "#00005F", sparkLambda: "#5F005F", sparkBytes: "#003F7F", sparkDup: "#5F2F00",
		helpKey: "#000000", helpDesc: "#3A3A3A", helpSep: "#5F5F5F",
	}
)

// paletteFor is the palette of a theme on a dark or light background.
func paletteFor(theme string, dark bool) palette {
	switch theme {
	case "dark":
		return darkPalette
	case "light":
		return lightPalette
	case "high-contrast":
		if dark {
			return contrastDark
		}
		return contrastLight
	}
	if dark {
		return darkPalette
	}
	return lightPalette
}

// NewStyles builds the styles for a dark or light background, or none.
func NewStyles(dark, noColor bool) Styles { return NewThemeStyles("auto", dark, noColor) }

// NewThemeStyles builds the styles of a theme (one of Themes) on a dark or
// light background, or none.
func NewThemeStyles(theme string, dark, noColor bool) Styles {
	p := paletteFor(theme, dark)
	c := func(hex string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(hex)
	}
	fg := func(hex string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(hex)) }

	var (
		accent  = c(p.accent)
		hdrBg   = c(p.hdrBg)
		hdrFg   = c(p.hdrFg)
		green   = c(p.green)
		yellow  = c(p.yellow)
		red     = c(p.red)
		muted   = c(p.muted)
		dimLine = c(p.dimLine)
	)
	bg := func(s lipgloss.Style) lipgloss.Style { return s.Background(hdrBg) }

	s := Styles{NoColor: noColor, Dark: dark, Theme: theme}
	s.Header = bg(lipgloss.NewStyle().Foreground(hdrFg))
	s.Brand = bg(lipgloss.NewStyle().Foreground(accent).Bold(true))
	s.HeaderKey = bg(lipgloss.NewStyle().Foreground(hdrFg).Bold(true))
	s.HeaderOK = bg(lipgloss.NewStyle().Foreground(green).Bold(true))
	s.HeaderWarn = bg(lipgloss.NewStyle().Foreground(yellow).Bold(true))
	s.HeaderBad = bg(lipgloss.NewStyle().Foreground(red).Bold(true))
	s.HeaderFault = lipgloss.NewStyle().Foreground(c(p.onRed)).Background(red).Bold(true).Reverse(noColor)

	s.Border = lipgloss.NewStyle().Foreground(dimLine)
	s.BorderFocus = lipgloss.NewStyle().Foreground(accent)
	s.Title = fg(p.title).Bold(true)
	s.TitleFocus = lipgloss.NewStyle().Foreground(accent).Bold(true).Reverse(noColor)
	s.Info = lipgloss.NewStyle().Foreground(muted)

	s.Label = lipgloss.NewStyle().Foreground(muted)
	s.Value = lipgloss.NewStyle()
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Strong = lipgloss.NewStyle().Bold(true)
	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Warn = lipgloss.NewStyle().Foreground(yellow).Bold(noColor)
	s.Bad = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(accent)

	s.SparkPut = fg(p.sparkPut)
	s.SparkThrottle = lipgloss.NewStyle().Foreground(red)
	s.SparkLambda = fg(p.sparkLambda)
	s.SparkBytes = fg(p.sparkBytes)
	s.SparkDup = fg(p.sparkDup)
	s.SparkAge = lipgloss.NewStyle().Foreground(yellow)
	s.BarEmpty = lipgloss.NewStyle().Foreground(dimLine)
	s.BandEmpty = lipgloss.NewStyle().Foreground(green).Faint(!noColor)

	s.Cursor = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.TreeDim = lipgloss.NewStyle().Foreground(muted)

	s.Toast = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.ToastDone = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.ErrBanner = lipgloss.NewStyle().Foreground(c(p.onRed)).Background(red).Bold(true).Reverse(noColor)
	s.DoneBanner = lipgloss.NewStyle().Foreground(c(p.onGreen)).Background(green).Bold(true)
	s.LogText = lipgloss.NewStyle()
	s.LogWarn = lipgloss.NewStyle().Foreground(yellow).Bold(noColor)

	keyStyle := fg(p.helpKey).Bold(true)
	descStyle := fg(p.helpDesc)
	sepStyle := fg(p.helpSep)
	s.Help = help.Styles{
		Ellipsis:       sepStyle,
		ShortKey:       keyStyle,
		ShortDesc:      descStyle,
		ShortSeparator: sepStyle,
		FullKey:        keyStyle,
		FullDesc:       descStyle,
		FullSeparator:  sepStyle,
	}
	return s
}

// sized returns the style for a Parquet file size against the target band.
func (s *Styles) sized(c sim.SizeClass) lipgloss.Style {
	switch c {
	case sim.BelowBand:
		return s.Warn
	case sim.InBand:
		return s.OK
	}
	return s.Bad
}

// use returns the style for a share of a limit (1 = at the limit).
func (s *Styles) use(v float64) lipgloss.Style {
	switch {
	case v >= 1:
		return s.Bad
	case v >= 0.8:
		return s.Warn
	}
	return s.OK
}
