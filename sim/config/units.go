package config

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

type scaleUnit struct {
	suffix string
	mult   int64
}

var rateUnits = []scaleUnit{{"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}}

// Longest suffixes first, so that "MiB" is not read as "B".
var byteUnits = []scaleUnit{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseRate reads events per hour: "1000", "500k", "1M", "2.5M/h", "1B".
func ParseRate(s string) (int64, error) {
	r, err := parseScaled(strings.TrimSuffix(strings.TrimSpace(s), "/h"), s, rateUnits,
		"events per hour like 1000, 500k, 1M or 2.5M/h", "events")
	if err == nil && r > MaxRatePerHour {
		return 0, fmt.Errorf("%q is more than pipesim models (at most 1000B events an hour)", s)
	}
	return r, err
}

// MaxRatePerHour bounds every rate, so that what the producer owes over a
// long backlog, and the sampled arithmetic on it, stays far from int64's
// limit.
const MaxRatePerHour = 1_000_000_000_000

// MaxSimulated bounds every span of simulated time (a run, a fault, a
// setting): sums of a few of them stay far from time.Duration's limit.
const MaxSimulated = 366 * 24 * time.Hour

// MaxShards bounds the stream's shards (AWS's default quota is 500 or 200
// a region; 1B events an hour needs 278).
const MaxShards = 10_000

// CheckSimulated says what is wrong with a span of simulated time given as
// what (such as "--duration"): not above zero, or more than MaxSimulated.
func CheckSimulated(what string, d time.Duration) error {
	switch {
	case d <= 0:
		return fmt.Errorf("%s: want a simulated time > 0 such as 2h, got %s", what, ShortDuration(d))
	case d > MaxSimulated:
		return fmt.Errorf("%s: %s is more than pipesim simulates (at most %s, 366 days)", what, ShortDuration(d), ShortDuration(MaxSimulated))
	}
	return nil
}

// ParseBytes reads a size: "1048576", "100MB" (10^6), "512MiB" (2^20), "1GiB".
func ParseBytes(s string) (int64, error) {
	return parseScaled(strings.TrimSpace(s), s, byteUnits, "a size like 1048576, 512MiB, 100MB or 1GiB", "bytes")
}

var decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// parseScaled reads a positive decimalRe with an optional scaleUnit suffix whose
// value is a whole number.
func parseScaled(s, orig string, units []scaleUnit, want, what string) (int64, error) {
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	if !decimalRe.MatchString(s) {
		return 0, fmt.Errorf("want %s, got %q", want, orig)
	}
	r, _ := new(big.Rat).SetString(s) // decimalRe matched: always parses
	r.Mul(r, new(big.Rat).SetInt64(mult))
	switch {
	case r.Sign() <= 0:
		return 0, fmt.Errorf("must be greater than 0, got %q", orig)
	case !r.IsInt():
		return 0, fmt.Errorf("%q is not a whole number of %s", orig, what)
	case !r.Num().IsInt64():
		return 0, fmt.Errorf("%q is too large", orig)
	}
	return r.Num().Int64(), nil
}
