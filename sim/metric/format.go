package metric

import (
	"math"
	"strconv"
	"strings"
)

// How counts and sizes read, on screen and in reports alike.

// Human formats a count compactly: 999, 1.2k, 12.3k, 123k, 3.4M, 1.0B.
func Human(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var s string
	switch {
	case n < 1000:
		s = strconv.FormatInt(n, 10)
	case n < 1_000_000:
		s = Scaled(float64(n)/1e3) + "k"
	case n < 1_000_000_000:
		s = Scaled(float64(n)/1e6) + "M"
	case n < 1_000_000_000_000:
		s = Scaled(float64(n)/1e9) + "B"
	default:
		s = Scaled(float64(n)/1e12) + "T"
	}
	if neg {
		return "-" + s
	}
	return s
}

// Scaled prints v with one decimal below 100 and none above.
func Scaled(v float64) string {
	if v < 99.95 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// Rate formats an events-per-hour figure the way scenarios are named:
// 1k/h, 500k/h, 1M/h, 2.5M/h, 1B/h.
func Rate(perHour int64) string {
	return Compact(perHour) + "/h"
}

// Compact formats a round figure without trailing zeros: 1k, 2.5M, 1B.
func Compact(n int64) string {
	trim := func(v float64) string {
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 1, 64), "0"), ".")
	}
	switch {
	case n >= 1_000_000_000:
		return trim(float64(n)/1e9) + "B"
	case n >= 1_000_000:
		return trim(float64(n)/1e6) + "M"
	case n >= 1000:
		return trim(float64(n)/1e3) + "k"
	}
	return strconv.FormatInt(n, 10)
}

// BytesSI formats a size in decimal units (12.4 MB), as S3 consoles and the
// 100 MB – 1 GB target band do.
func BytesSI(n int64) string {
	if n < 0 {
		return "-" + BytesSI(-n)
	}
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"kB", "MB", "GB", "TB", "PB"}
	v := float64(n)
	for _, u := range units {
		v /= 1000
		if v < 999.5 || u == "PB" {
			return Scaled(v) + " " + u
		}
	}
	return ""
}

// Plural counts things: "1 shard", "2 shards".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// USD formats dollars: two significant digits below a dollar ($0.062,
// $0.000037), cents below a thousand ($21.30), whole dollars with
// thousands separated above ($53,533).
func USD(v float64) string {
	switch {
	case v == 0:
		return "$0"
	case v < 1:
		digits := max(2, 1-int(math.Floor(math.Log10(v))))
		return "$" + strconv.FormatFloat(v, 'f', digits, 64)
	case v < 1000:
		return "$" + strconv.FormatFloat(v, 'f', 2, 64)
	}
	return "$" + Thousands(int64(math.Round(v)))
}

// Thousands writes a count whole, its thousands separated: 2,000,000.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// BytesIEC writes a size in the binary units a limit is usually set in
// ("2 GiB"), exactly where it is a whole number of them, else as BytesSI.
func BytesIEC(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 40, "TiB"}, {1 << 30, "GiB"}, {1 << 20, "MiB"}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + " " + u.name
		}
	}
	return BytesSI(n)
}
