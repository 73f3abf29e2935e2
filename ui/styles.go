package ui

import (
	"image/color"

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

// NewStyles builds the styles for a dark or light background, or none.
func NewStyles(dark, noColor bool) Styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkHex string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(darkHex))
	}
	fg := func(light, darkHex string) lipgloss.Style {
		return lipgloss.NewStyle().Foreground(c(light, darkHex))
	}

	var (
		accent  = c("#5A3FC0", "#A48BFF")
		hdrBg   = c("#E6E3F5", "#2B2740")
		hdrFg   = c("#222222", "#E8E6F0")
		green   = c("#02875A", "#3DDC97")
		yellow  = c("#9A6C00", "#F5C542")
		red     = c("#C4003D", "#FF5F87")
		muted   = c("#8A8A8A", "#767676")
		dimLine = c("#BBBBBB", "#4A4A4A")
	)
	bg := func(s lipgloss.Style) lipgloss.Style { return s.Background(hdrBg) }

	s := Styles{NoColor: noColor, Dark: dark}
	s.Header = bg(lipgloss.NewStyle().Foreground(hdrFg))
	s.Brand = bg(lipgloss.NewStyle().Foreground(accent).Bold(true))
	s.HeaderKey = bg(lipgloss.NewStyle().Foreground(hdrFg).Bold(true))
	s.HeaderOK = bg(lipgloss.NewStyle().Foreground(green).Bold(true))
	s.HeaderWarn = bg(lipgloss.NewStyle().Foreground(yellow).Bold(true))
	s.HeaderBad = bg(lipgloss.NewStyle().Foreground(red).Bold(true))
	s.HeaderFault = lipgloss.NewStyle().Foreground(c("#FFFFFF", "#FFFFFF")).Background(red).Bold(true).Reverse(noColor)

	s.Border = lipgloss.NewStyle().Foreground(dimLine)
	s.BorderFocus = lipgloss.NewStyle().Foreground(accent)
	s.Title = fg("#444444", "#C8C8C8").Bold(true)
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

	s.SparkPut = fg("#00779E", "#5FD7FF")
	s.SparkThrottle = lipgloss.NewStyle().Foreground(red)
	s.SparkLambda = fg("#8700AF", "#D787FF")
	s.SparkBytes = fg("#005FD7", "#87AFFF")
	s.SparkDup = fg("#AF5F00", "#FFAF5F")
	s.SparkAge = lipgloss.NewStyle().Foreground(yellow)
	s.BarEmpty = lipgloss.NewStyle().Foreground(dimLine)
	s.BandEmpty = lipgloss.NewStyle().Foreground(green).Faint(!noColor)

	s.Cursor = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.TreeDim = lipgloss.NewStyle().Foreground(muted)

	s.Toast = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.ToastDone = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.ErrBanner = lipgloss.NewStyle().Foreground(c("#FFFFFF", "#FFFFFF")).Background(red).Bold(true).Reverse(noColor)
	s.DoneBanner = lipgloss.NewStyle().Foreground(c("#FFFFFF", "#1A1A1A")).Background(green).Bold(true)
	s.LogText = lipgloss.NewStyle()
	s.LogWarn = lipgloss.NewStyle().Foreground(yellow).Bold(noColor)

	keyStyle := fg("#5A5A5A", "#A0A0A0").Bold(true)
	descStyle := fg("#8A8A8A", "#6C6C6C")
	sepStyle := fg("#C0C0C0", "#444444")
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
func (s *Styles) sized(b band) lipgloss.Style {
	switch b {
	case bandSmall:
		return s.Warn
	case bandOK:
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
