package event

import (
	"math"
	"strconv"
	"unicode/utf8"

	"pipesim/store"
)

// The encoder: events as the producer puts them on Kinesis and as the
// Lambda writes them to staging. Hand-written for speed: see
// codec_bench_test.go for the comparison with encoding/json.

// isoLen is the length of "2026-11-25T00:00:01.123456Z".
const isoLen = 27

// maxSeconds bounds created_at to years 1970–9999, where the ISO form has four year digits.
const maxSeconds = 253402300800

// AppendEventJSON appends e as the producer puts it on Kinesis:
// {"event_uuid":…,"created_at":<s.µs>,"event_name":…,"event_specifics":{…}}.
func (c *Catalog) AppendEventJSON(dst []byte, e *Event) []byte {
	dst = append(dst, `{"event_uuid":"`...)
	dst = AppendUUID(dst, e.UUID)
	dst = append(dst, `","created_at":`...)
	dst = appendSeconds(dst, e.CreatedAt)
	dst = append(dst, `,"event_name":`...)
	dst = appendJSONString(dst, e.Subtype.EventName)
	dst = append(dst, `,"event_specifics":{`...)
	for i := range e.Subtype.Fields {
		f := &e.Subtype.Fields[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, f.key...)
		if i < len(e.Values) {
			dst = appendValue(dst, f.Kind, e.Values[i])
		} else {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, "}}"...)
}

// AppendStagingJSON appends e as the Lambda writes it to staging: the wire
// object plus event_type, event_subtype and created_datetime. No newline.
func (c *Catalog) AppendStagingJSON(dst []byte, e *Event) []byte {
	dst = c.AppendEventJSON(dst, e)
	dst = dst[:len(dst)-1]
	dst = append(dst, `,"event_type":`...)
	dst = appendJSONString(dst, e.Subtype.Type.Name)
	dst = append(dst, `,"event_subtype":`...)
	dst = appendJSONString(dst, e.Subtype.Name)
	dst = append(dst, `,"created_datetime":"`...)
	dst = appendISO(dst, e.CreatedAt)
	return append(dst, `"}`...)
}

func appendValue(dst []byte, k store.Kind, v store.Value) []byte {
	if !v.Valid {
		return append(dst, "null"...)
	}
	switch k {
	case store.String:
		return appendJSONString(dst, v.Str)
	case store.Int64:
		return strconv.AppendInt(dst, v.Int, 10)
	case store.Float64:
		if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
			return append(dst, "null"...)
		}
		format := byte('f')
		if abs := math.Abs(v.Float); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
			format = 'e'
		}
		return strconv.AppendFloat(dst, v.Float, format, -1, 64)
	case store.Timestamp:
		dst = append(dst, '"')
		dst = appendISO(dst, v.Int)
		return append(dst, '"')
	}
	return append(dst, "null"...)
}

// appendSeconds writes µs as epoch seconds with exactly six decimals.
func appendSeconds(dst []byte, us int64) []byte {
	u := uint64(us)
	if us < 0 {
		dst = append(dst, '-')
		u = -u
	}
	dst = strconv.AppendUint(dst, u/1e6, 10)
	frac := u % 1e6
	return append(dst, '.',
		byte('0'+frac/100000), byte('0'+frac/10000%10), byte('0'+frac/1000%10),
		byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10))
}

// appendJSONString writes s quoted, escaping what JSON requires and
// replacing invalid UTF-8 with U+FFFD (as encoding/json does).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i += plainPrefix(s[i:]); i == len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if c < 0x20 {
				dst = append(dst, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&0xf])
			} else {
				dst = append(dst, `\ufffd`...)
			}
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plainPrefix counts the leading bytes of b that stand for themselves in a
// JSON string, eight at a time while it can.
func plainPrefix[T string | []byte](b T) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n := 0
	for ; n+8 <= len(b); n += 8 {
		c := b[n : n+8]
		w := uint64(c[0]) | uint64(c[1])<<8 | uint64(c[2])<<16 | uint64(c[3])<<24 |
			uint64(c[4])<<32 | uint64(c[5])<<40 | uint64(c[6])<<48 | uint64(c[7])<<56
		q, s := w^(ones*'"'), w^(ones*'\\')
		// A high bit set means a byte < 0x20, '"', '\\' or >= 0x80 (exact when
		// none is present, which is all this needs).
		if ((w-ones*0x20)&^w|(q-ones)&^q|(s-ones)&^s|w)&highs != 0 {
			break
		}
	}
	for n < len(b) && plainJSON[b[n]] {
		n++
	}
	return n
}

// plainJSON marks the bytes that stand for themselves inside a JSON string:
// printable ASCII but the quote and the backslash.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
