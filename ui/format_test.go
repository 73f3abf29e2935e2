package ui

import (
	"pipesim/sim"
	"pipesim/sim/metric"
	"strings"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{metric.Human(0), "0"}, {metric.Human(999), "999"}, {metric.Human(1_234), "1.2k"}, {metric.Human(12_345), "12.3k"},
		{metric.Human(123_456), "123k"}, {metric.Human(3_400_000), "3.4M"}, {metric.Human(1_000_000_000), "1.0B"}, {metric.Human(-1500), "-1.5k"},
		{metric.Human(99_960), "100k"},
		{metric.Rate(1000), "1k/h"}, {metric.Rate(1_000_000), "1M/h"}, {metric.Rate(2_500_000), "2.5M/h"}, {metric.Rate(1_000_000_000), "1B/h"},
		{metric.Rate(500_000), "500k/h"}, {metric.Rate(50), "50/h"},
		{metric.BytesSI(0), "0 B"}, {metric.BytesSI(999), "999 B"}, {metric.BytesSI(1_200), "1.2 kB"}, {metric.BytesSI(12_400_000), "12.4 MB"},
		{metric.BytesSI(999_600_000), "1.0 GB"}, {metric.BytesSI(123_000_000), "123 MB"},
		{metric.USD(0), "$0"}, {metric.USD(0.0619), "$0.062"}, {metric.USD(0.000037), "$0.000037"}, {metric.USD(0.5), "$0.50"},
		{metric.Thousands(0), "0"}, {metric.Thousands(999), "999"}, {metric.Thousands(2_000_000), "2,000,000"}, {metric.Thousands(-12_345), "-12,345"},
		{metric.BytesIEC(2 << 30), "2 GiB"}, {metric.BytesIEC(5 << 20), "5 MiB"}, {metric.BytesIEC(2_000_000_000), "2.0 GB"},
		{perSecond(0), "0"}, {perSecond(0.2778), "0.28"}, {perSecond(0.02778), "0.028"}, {perSecond(3.5), "3.5"}, {perSecond(281.2), "281"}, {perSecond(12_400), "12.4k"},
		{metric.USD(21.304), "$21.30"}, {metric.USD(999.99), "$999.99"}, {metric.USD(53533.33), "$53,533"}, {metric.USD(1_234_567), "$1,234,567"},
		{dur(0), "0s"}, {dur(850 * time.Millisecond), "850ms"}, {dur(1200 * time.Millisecond), "1.2s"},
		{dur(45 * time.Second), "45s"}, {dur(184 * time.Second), "3m04s"}, {dur(3 * time.Minute), "3m"},
		{dur(24 * time.Hour), "24h"}, {dur(125 * time.Minute), "2h05m"}, {dur(50 * time.Hour), "2d02h"},
		{pct(0), "0%"}, {pct(0.0002), "<0.1%"}, {pct(0.004), "0.4%"}, {pct(0.02), "2.0%"}, {pct(0.281), "28%"}, {pct(4.54), "454%"},
		{pct(0.996), "99.6%"}, {pct(0.9999), "99.9%"}, {pct(1), "100%"},
		{speed(0), "max"}, {speed(1), "×1"}, {speed(600), "×600"}, {speed(3600), "×3.6k"}, {compactF(22.5), "23"}, {compactF(0.5), "0.5"},
		{ratio(561, 34), "16.5×"}, {ratio(1, 0), "–"},
		{lang("lang_en"), "en"}, {lang("not_applicable"), "n/a"}, {lang("xx"), "xx"},
		{fit("abcdef", 4), "abc…"}, {fit("ab", 4), "ab  "}, {padLeft("7", 3), "  7"},
		{spread("left", "right", 12), "left   right"}, {spread("a long left side", "right", 12), "a lon… right"},
		{joinFit([]string{"aa", "bb", "cc"}, " · ", 7), "aa · bb"},
		{truncWords("Glue run 1: 20 staging files, 0 duplicates dropped", 40), "Glue run 1: 20 staging files, 0…"},
		{truncWords("Glue run 1: 20 staging files", 20), "Glue run 1: 20…"},
		{truncWords("abcdefghij", 6), "abcde…"}, {truncWords("fits", 4), "fits"},
		{strings.Join(wrapWords("report written: cloudwatch-2026-11-25T01-00-00Z.md now", 20), "|"),
			"report written:|cloudwatch-2026-11-2|5T01-00-00Z.md now"},
		{strings.Join(wrapWords("a bb ccc", 4), "|"), "a bb|ccc"}, {strings.Join(wrapWords("", 4), "|"), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := sparkline([]float64{0, 1, 2, 4, 8}, 5); got != "·▁▂▄█" {
		t.Errorf("sparkline %q", got)
	}
	if got := sparkline([]float64{1, 2}, 4); got != "  ▄█" {
		t.Errorf("short history not padded on the left: %q", got)
	}
	if got := sparkline([]float64{9, 9, 1, 2}, 2); got != "▄█" {
		t.Errorf("only the newest values are drawn, scaled among themselves: %q", got)
	}
	if got := sparklineFloor([]float64{0.02, 0.02, 0.1}, 3, 0.05); got != "▂▂█" {
		t.Errorf("floored sparkline: %q", got)
	}
	if got := sparklineFloor([]float64{0.02, 0.02}, 2, 0.05); got != "▄▄" {
		t.Errorf("a steady 2%% against a 5%% floor: %q", got)
	}
	if got := sparkline([]float64{0, 0, 0}, 3); got != "···" {
		t.Errorf("all-zero series: %q", got)
	}
	if fill, cells := hbar(0.5, 10); fill != "█████" || cells != 5 {
		t.Errorf("hbar(0.5, 10) = %q, %d", fill, cells)
	}
	if fill, cells := hbar(0.28, 10); fill != "██▊" || cells != 3 {
		t.Errorf("hbar(0.28, 10) = %q, %d", fill, cells)
	}
	if fill, cells := hbar(3, 4); fill != "████" || cells != 4 {
		t.Errorf("hbar over 1 = %q, %d", fill, cells)
	}
	// many shards in few cells: the busiest of each group shows
	if got := strip([]float64{0.1, 0.9, 0.2, 0.2, 1.5, 0.1}, 3); got[0] != 0.9 || got[1] != 0.2 || got[2] != 1.5 {
		t.Errorf("strip %v", got)
	}
}

func TestSizeBar(t *testing.T) {
	if barPos(1_000_000, 8) != 0 || barPos(100_000_000, 8) != 4 || barPos(10_000_000_000, 8) != 8 || barPos(1e12, 8) != 8 {
		t.Error("bar scale is not log 1 MB … 10 GB")
	}
	for _, tc := range []struct {
		band sim.FileBand
		want string
	}{{sim.FileBand{Lo: 100_000_000, Hi: 1_000_000_000}, "100 MB–1 GB"}, {sim.FileBand{Lo: 1_000_000, Hi: 1_500_000_000}, "1 MB–1.5 GB"}} {
		if got := bandText(tc.band); got != tc.want {
			t.Errorf("bandText(%v) = %q, want %q", tc.band, got, tc.want)
		}
	}
}

// The shard limits' labels are the config's (kinesis.write_*_per_second).
func TestLimitLabels(t *testing.T) {
	for _, tc := range []struct {
		l          sim.Load
		rec, bytes string
	}{
		{sim.Load{Records: 1000, Bytes: 1 << 20}, "1k rec/s", "1 MiB/s"},
		{sim.Load{Records: 2000, Bytes: 2 << 20}, "2k rec/s", "2 MiB/s"},
		{sim.Load{Records: 500, Bytes: 1_500_000}, "500 rec/s", "1.5 MB/s"},
	} {
		if rec, bytes := limitLabels(tc.l); rec != tc.rec || bytes != tc.bytes {
			t.Errorf("limitLabels(%v) = %q, %q; want %q, %q", tc.l, rec, bytes, tc.rec, tc.bytes)
		}
	}
}
