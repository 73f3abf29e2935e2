package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"pipesim/store"
)

// Reason says why an incoming record is rejected (and dead-lettered).
type Reason string

const (
	ReasonBadBase64        Reason = "bad_base64"       // the Kinesis data is not base64
	ReasonBadStagingLine   Reason = "bad_staging_line" // Glue: a staging line that does not parse (quarantined)
	ReasonBadJSON          Reason = "bad_json"
	ReasonMissingField     Reason = "missing_field"
	ReasonWrongType        Reason = "wrong_type"
	ReasonBadValue         Reason = "bad_value" // right JSON type, impossible content: a time out of range, an unsafe language_id
	ReasonUnknownEventName Reason = "unknown_event_name"
	ReasonBadUUID          Reason = "bad_uuid"
	ReasonFutureCreatedAt  Reason = "future_created_at"
	ReasonUnknownField     Reason = "unknown_field"
)

// InvalidRecordError says why a record is not a valid event.
type InvalidRecordError struct {
	Reason Reason
	Detail string // what exactly, e.g. "event_specifics.score: want number, got string"
}

func (e *InvalidRecordError) Error() string { return string(e.Reason) + ": " + e.Detail }

func invalidRecord(reason Reason, format string, args ...any) error {
	return &InvalidRecordError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

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

// appendISO writes µs as 2026-11-25T00:00:01.123456Z.
func appendISO(dst []byte, us int64) []byte {
	days, rem := floorDiv(us, 86400e6)
	y, m, d := civil(days)
	if y < 0 || y > 9999 {
		return time.UnixMicro(us).UTC().AppendFormat(dst, "2006-01-02T15:04:05.000000Z")
	}
	sec, frac := rem/1e6, rem%1e6
	h, mi, s := sec/3600, sec/60%60, sec%60
	return append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+s/10), byte('0'+s%10), '.',
		byte('0'+frac/100000), byte('0'+frac/10000%10), byte('0'+frac/1000%10),
		byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10), 'Z')
}

func floorDiv(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's civil_from_days).
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era, doe := floorDiv(z, 146097)
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFrom is the inverse of civil.
func daysFrom(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era, yoe := floorDiv(y, 400)
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// parseISO reads YYYY-MM-DDTHH:MM:SS[.fraction]Z (UTC only; digits beyond
// µs are truncated) as µs since the epoch.
func parseISO(b []byte) (int64, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return 0, false
	}
	num := func(i, n int) int64 {
		v := int64(0)
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int64(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, s := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return 0, false
	}
	var frac int64
	if len(b) > 20 {
		digits := b[20 : len(b)-1]
		if b[19] != '.' || len(digits) == 0 || len(digits) > 9 {
			return 0, false
		}
		if frac = num(20, len(digits)); frac < 0 {
			return 0, false
		}
		for n := len(digits); n < 9; n++ {
			frac *= 10
		}
		frac /= 1000
	} else if b[19] != 'Z' {
		return 0, false
	}
	return (daysFrom(y, mo, d)*86400+h*3600+mi*60+s)*1e6 + frac, true
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DecodeEvent parses and validates a record from Kinesis into e (reusing
// e.Values). now is simulated time in µs; created_at more than maxSkew
// ahead of it is rejected. Every failure is an *InvalidRecordError.
func (c *Catalog) DecodeEvent(data []byte, now int64, maxSkew time.Duration, e *Event) error {
	latest := now + maxSkew.Microseconds()
	if maxSkew > 0 && latest < now {
		latest = math.MaxInt64
	}
	return c.decode(data, false, latest, e)
}

// DecodeStagingLine parses and validates one NDJSON line written by
// AppendStagingJSON into e. Every failure is an *InvalidRecordError.
func (c *Catalog) DecodeStagingLine(line []byte, e *Event) error {
	return c.decode(line, true, math.MaxInt64, e)
}

// Top-level keys, in the order they are validated.
const (
	keyUUID = iota
	keyCreatedAt
	keyName
	keySpecifics
	keyType // staging only, from here on
	keySubtype
	keyDatetime
	numKeys
)

var topKeys = [numKeys]string{"event_uuid", "created_at", "event_name", "event_specifics", "event_type", "event_subtype", "created_datetime"}

// topKeyJSON are the keys as the encoder writes them, with the colon.
var topKeyJSON = func() (keys [numKeys][]byte) {
	for k, name := range topKeys {
		keys[k] = append(appendJSONString(nil, name), ':')
	}
	return keys
}()

// jsonSpan is where a top-level value lies in the input.
type jsonSpan struct {
	start, end int  // the value; inside the quotes for a string
	first      byte // its first byte: '"', '{', '[', 't', 'f', 'n' or a number's
	escaped    bool // a string with backslash escapes
}

type eventDecoder struct {
	data  []byte
	pos   int
	whole string // string(data), made once; unescaped string values are slices of it
}

func (c *Catalog) decode(data []byte, staging bool, latest int64, e *Event) error {
	d := eventDecoder{data: data}
	var vals [numKeys]jsonSpan
	var seen uint8
	var unknown []byte
	var sub *Subtype // set when event_specifics was read in pass 1
	var specErr error
	nKeys := keySpecifics + 1
	if staging {
		nKeys = numKeys
	}

	// Pass 1: the syntax of the whole record, and where each value lies.
	d.ws()
	if !d.eat('{') {
		return d.syntax("'{'")
	}
	d.ws()
	if !d.eat('}') {
		for {
			d.ws()
			k := bits.OnesCount8(seen) // keys usually come in the encoder's order
			var hint []byte
			if k < nKeys {
				hint = topKeyJSON[k]
			}
			key, matched, err := d.key(hint)
			if err != nil {
				return err
			}
			if !matched {
				k = 0
				for k < nKeys && topKeys[k] != string(key) {
					k++
				}
			}
			d.ws()
			if k < nKeys && seen&(1<<k) != 0 {
				return invalidRecord(ReasonBadJSON, "duplicate key %s", topKeys[k])
			}
			var v jsonSpan
			var s *Subtype
			if k == keySpecifics && d.peek() == '{' {
				s = c.named(&d, vals[keyName], seen)
			}
			if s != nil {
				// The usual order (name first): read the fields now and keep
				// any problem for its turn in pass 2.
				v = jsonSpan{start: d.pos, first: '{'}
				if specErr = d.specifics(s, e); specErr != nil {
					d.pos = v.start
					if _, err := d.value(); err != nil {
						return err
					}
				}
				sub = s
			} else if v, err = d.value(); err != nil {
				return err
			}
			if k == nKeys {
				if unknown == nil {
					unknown = key
				}
			} else {
				seen |= 1 << k
				vals[k] = v
			}
			d.ws()
			if d.eat('}') {
				break
			}
			if !d.eat(',') {
				return d.syntax("',' or '}'")
			}
		}
	}
	d.ws()
	if d.pos != len(d.data) {
		return d.syntax("end of input")
	}

	// Pass 2: the meaning, in a fixed order.
	if unknown != nil {
		return invalidRecord(ReasonUnknownField, "%s: not an event key", quoteKey(unknown))
	}
	for k := range nKeys {
		if seen&(1<<k) == 0 {
			return invalidRecord(ReasonMissingField, "%s: required", topKeys[k])
		}
		want := byte('"')
		switch k {
		case keyCreatedAt:
			want = '0'
		case keySpecifics:
			want = '{'
		}
		if got := kindOf(vals[k].first); got != kindOf(want) {
			return invalidRecord(ReasonWrongType, "%s: want %s, got %s", topKeys[k], kindOf(want), got)
		}
	}

	uuid := d.text(vals[keyUUID])
	var ok bool
	if e.UUID, ok = ParseUUID(uuid); !ok {
		return invalidRecord(ReasonBadUUID, "event_uuid: want 8-4-4-4-12 hex digits, got %s", quoteInput(uuid))
	}
	created := d.data[vals[keyCreatedAt].start:vals[keyCreatedAt].end]
	if e.CreatedAt, ok = parseSeconds(created); !ok {
		return invalidRecord(ReasonBadValue, "created_at: want epoch seconds in years 1970–9999, got %s", quoteInput(created))
	}
	s := sub
	if s == nil {
		name := d.text(vals[keyName])
		if s, ok = c.byName[string(name)]; !ok {
			return invalidRecord(ReasonUnknownEventName, "event_name: %s is not in the catalogue", quoteInput(name))
		}
	}
	e.Subtype = s
	if sub == nil {
		d.pos = vals[keySpecifics].start
		specErr = d.specifics(s, e)
	}
	if specErr != nil {
		return specErr
	}

	if staging {
		if t := d.text(vals[keyType]); string(t) != s.Type.Name {
			return invalidRecord(ReasonBadValue, "event_type: want %q (from event_name), got %s", s.Type.Name, quoteInput(t))
		}
		if t := d.text(vals[keySubtype]); string(t) != s.Name {
			return invalidRecord(ReasonBadValue, "event_subtype: want %q (from event_name), got %s", s.Name, quoteInput(t))
		}
		if t := d.text(vals[keyDatetime]); !bytes.Equal(t, appendISO(make([]byte, 0, isoLen), e.CreatedAt)) {
			if us, ok := parseISO(t); !ok || us != e.CreatedAt {
				return invalidRecord(ReasonBadValue, "created_datetime: want the time of created_at, got %s", quoteInput(t))
			}
		}
	}
	if e.CreatedAt > latest {
		return invalidRecord(ReasonFutureCreatedAt, "created_at: %s is after the latest allowed %s",
			appendISO(nil, e.CreatedAt), appendISO(nil, latest))
	}
	return nil
}

// named is the subtype of an event_name already read in pass 1, or nil.
func (c *Catalog) named(d *eventDecoder, name jsonSpan, seen uint8) *Subtype {
	if seen&(1<<keyName) == 0 || name.first != '"' {
		return nil
	}
	return c.byName[string(d.text(name))]
}

// specifics reads the event_specifics object at d.pos into e.Values.
func (d *eventDecoder) specifics(s *Subtype, e *Event) error {
	e.Values = slices.Grow(e.Values[:0], len(s.Fields))[:len(s.Fields)]
	clear(e.Values)
	var seen uint64
	d.pos++ // the '{'
	d.ws()
	if !d.eat('}') {
		for {
			d.ws()
			i := bits.OnesCount64(seen) // fields usually come in catalogue order
			var hint []byte
			if i < len(s.Fields) {
				hint = s.Fields[i].key
			}
			key, matched, err := d.key(hint)
			if err != nil {
				return err
			}
			if !matched {
				i = 0
				for i < len(s.Fields) && s.Fields[i].Name != string(key) {
					i++
				}
				if i == len(s.Fields) {
					return invalidRecord(ReasonUnknownField, "event_specifics.%s: not a field of %s", quoteKey(key), s.EventName)
				}
			}
			if seen&(1<<i) != 0 {
				return invalidRecord(ReasonBadJSON, "duplicate key event_specifics.%s", s.Fields[i].Name)
			}
			seen |= 1 << i
			d.ws()
			if err := d.field(&s.Fields[i], &e.Values[i]); err != nil {
				return err
			}
			d.ws()
			if d.eat('}') {
				break
			}
			if !d.eat(',') {
				return d.syntax("',' or '}'")
			}
		}
	}
	for i := range s.Fields {
		if seen&(1<<i) == 0 {
			return invalidRecord(ReasonMissingField, "event_specifics.%s: required by %s", s.Fields[i].Name, s.EventName)
		}
	}
	return nil
}

// field reads one event_specifics value at d.pos as f's kind into dst.
func (d *eventDecoder) field(f *Field, dst *store.Value) error {
	got := kindOf(d.peek())
	if f.Kind == store.Int64 || f.Kind == store.Float64 {
		if got != "number" {
			return wrongType(f, got)
		}
		start := d.pos
		isInt, err := d.number()
		if err != nil {
			return err
		}
		raw := d.data[start:d.pos]
		if f.Kind == store.Float64 {
			v, err := strconv.ParseFloat(string(raw), 64)
			if err != nil {
				return invalidRecord(ReasonBadValue, "event_specifics.%s: %s is out of range", f.Name, quoteInput(raw))
			}
			*dst = store.Value{Valid: true, Float: v}
			return nil
		}
		if !isInt {
			return wrongType(f, "number "+quoteInput(raw))
		}
		v, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return invalidRecord(ReasonBadValue, "event_specifics.%s: %s is out of range", f.Name, quoteInput(raw))
		}
		*dst = store.Value{Valid: true, Int: v}
		return nil
	}
	if got != "string" {
		return wrongType(f, got)
	}
	start, end, esc, err := d.scanString()
	if err != nil {
		return err
	}
	sp := jsonSpan{start: start, end: end, escaped: esc}
	switch {
	case f.Kind == store.Timestamp:
		t := d.text(sp)
		us, ok := parseISO(t)
		if !ok {
			return invalidRecord(ReasonBadValue, "event_specifics.%s: want a UTC time like 2026-11-25T00:00:01.123456Z, got %s", f.Name, quoteInput(t))
		}
		*dst = store.Value{Valid: true, Int: us}
		return nil
	case f.partition && !SafeName(d.text(sp)):
		return invalidRecord(ReasonBadValue, "event_specifics.%s: want letters, digits, _ or -, got %s", f.Name, quoteInput(d.text(sp)))
	case esc:
		*dst = strValue(string(unescape(nil, d.data[start:end])))
		return nil
	}
	if d.whole == "" {
		d.whole = string(d.data)
	}
	*dst = strValue(d.whole[start:end])
	return nil
}

func wrongType(f *Field, got string) error {
	want := "string"
	switch f.Kind {
	case store.Int64:
		want = "integer"
	case store.Float64:
		want = "number"
	case store.Timestamp:
		want = "ISO-8601 time string"
	}
	return invalidRecord(ReasonWrongType, "event_specifics.%s: want %s, got %s", f.Name, want, got)
}

// SafeName reports whether b can name a partition folder.
func SafeName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// text is a string value's content, unescaped.
func (d *eventDecoder) text(v jsonSpan) []byte {
	if v.escaped {
		return unescape(nil, d.data[v.start:v.end])
	}
	return d.data[v.start:v.end]
}

func kindOf(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return "nothing"
}

func (d *eventDecoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *eventDecoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

func (d *eventDecoder) eat(c byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

func (d *eventDecoder) syntax(want string) error {
	if d.pos >= len(d.data) {
		return invalidRecord(ReasonBadJSON, "offset %d: want %s, got end of input", d.pos, want)
	}
	return invalidRecord(ReasonBadJSON, "offset %d: want %s, got %q", d.pos, want, d.data[d.pos])
}

// key reads an object key and its colon. When the input starts with hint,
// the key as the encoder writes it (`"name":`), it is matched without a scan.
func (d *eventDecoder) key(hint []byte) (key []byte, matched bool, err error) {
	if len(hint) > 0 && bytes.HasPrefix(d.data[d.pos:], hint) {
		d.pos += len(hint)
		return nil, true, nil
	}
	ks, ke, esc, err := d.scanString()
	if err != nil {
		return nil, false, err
	}
	key = d.data[ks:ke]
	if esc {
		key = unescape(nil, key)
	}
	d.ws()
	if !d.eat(':') {
		return nil, false, d.syntax("':'")
	}
	return key, false, nil
}

// value skips any JSON value at d.pos and says where it was.
func (d *eventDecoder) value() (jsonSpan, error) {
	v := jsonSpan{start: d.pos, first: d.peek()}
	var err error
	switch v.first {
	case '"':
		v.start, v.end, v.escaped, err = d.scanString()
		return v, err
	case '{':
		err = d.flatObject()
		if errors.Is(err, errNotFlat) {
			d.pos = v.start
			err = d.nested()
		}
	case '[':
		err = d.nested()
	case 't':
		err = d.literal("true")
	case 'f':
		err = d.literal("false")
	case 'n':
		err = d.literal("null")
	default:
		_, err = d.number()
	}
	v.end = d.pos
	return v, err
}

// errNotFlat says an object holds a container: valid JSON, but not the
// flat shape flatObject handles.
var errNotFlat = errors.New("object is not flat")

// flatObject skips an object whose values are all scalars, the shape of
// event_specifics.
func (d *eventDecoder) flatObject() error {
	d.pos++
	d.ws()
	if d.eat('}') {
		return nil
	}
	for {
		d.ws()
		if _, _, _, err := d.scanString(); err != nil {
			return err
		}
		d.ws()
		if !d.eat(':') {
			return d.syntax("':'")
		}
		d.ws()
		if c := d.peek(); c == '{' || c == '[' {
			return errNotFlat
		}
		if _, err := d.value(); err != nil {
			return err
		}
		d.ws()
		if d.eat('}') {
			return nil
		}
		if !d.eat(',') {
			return d.syntax("',' or '}'")
		}
	}
}

// nested skips an arbitrary value with encoding/json: only malformed
// records have nested containers, so speed does not matter here.
func (d *eventDecoder) nested() error {
	dec := json.NewDecoder(bytes.NewReader(d.data[d.pos:]))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if serr, ok := err.(*json.SyntaxError); ok {
			return invalidRecord(ReasonBadJSON, "offset %d: %v", d.pos+int(serr.Offset)-1, err)
		}
		return invalidRecord(ReasonBadJSON, "offset %d: unexpected end of input", len(d.data))
	}
	d.pos += int(dec.InputOffset())
	return nil
}

func (d *eventDecoder) literal(lit string) error {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		return d.syntax(lit)
	}
	d.pos += len(lit)
	return nil
}

// number skips a JSON number, saying whether it was a plain integer.
func (d *eventDecoder) number() (isInt bool, err error) {
	data, i := d.data, d.pos
	digits := func() int {
		start := i
		for i < len(data) && data[i]-'0' < 10 {
			i++
		}
		return i - start
	}
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case digits() == 0:
		d.pos = i
		return false, d.syntax("a value")
	}
	isInt = true
	if i < len(data) && data[i] == '.' {
		i++
		if isInt = false; digits() == 0 {
			d.pos = i
			return false, d.syntax("a digit")
		}
	}
	if i < len(data) && data[i]|0x20 == 'e' {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if isInt = false; digits() == 0 {
			d.pos = i
			return false, d.syntax("a digit")
		}
	}
	d.pos = i
	return isInt, nil
}

// scanString scans a string at d.pos, returning its content's bounds and whether
// it has escapes. It rejects control characters and invalid UTF-8.
func (d *eventDecoder) scanString() (start, end int, escaped bool, err error) {
	if !d.eat('"') {
		return 0, 0, false, d.syntax("a string")
	}
	start = d.pos
	ascii := true
	for d.pos < len(d.data) {
		if d.pos += plainPrefix(d.data[d.pos:]); d.pos == len(d.data) {
			break
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			end = d.pos
			d.pos++
			if !ascii {
				if err := checkUTF8(d.data, start, end); err != nil {
					return 0, 0, false, err
				}
			}
			return start, end, escaped, nil
		case c == '\\':
			escaped = true
			if d.pos+1 >= len(d.data) {
				d.pos = len(d.data)
				return 0, 0, false, d.syntax("an escape")
			}
			switch d.data[d.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.pos += 2
			case 'u':
				if _, ok := hex4(d.data[d.pos+2:]); !ok {
					d.pos += 2
					return 0, 0, false, d.syntax("4 hex digits")
				}
				d.pos += 6
			default:
				d.pos++
				return 0, 0, false, d.syntax("an escape")
			}
		case c < 0x20:
			return 0, 0, false, d.syntax("no control characters in a string")
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			d.pos++
		}
	}
	return 0, 0, false, d.syntax(`'"'`)
}

func checkUTF8(data []byte, start, end int) error {
	for i := start; i < end; {
		r, size := utf8.DecodeRune(data[i:end])
		if r == utf8.RuneError && size == 1 {
			return invalidRecord(ReasonBadJSON, "offset %d: invalid UTF-8 in string", i)
		}
		i += size
	}
	return nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// unescape appends the content of a validated string with escapes decoded;
// a lone surrogate becomes U+FFFD, as with encoding/json.
func unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			dst = append(dst, raw[i])
			i++
			continue
		}
		c := raw[i+1]
		i += 2
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(raw[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2, _ = hex4(raw[i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, c)
		}
	}
	return dst
}

// uuidHex are the offsets of the 16 hex pairs in the 8-4-4-4-12 form.
var uuidHex = [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// ParseUUID reads the 8-4-4-4-12 hex form (either case).
func ParseUUID(b []byte) ([16]byte, bool) {
	var u [16]byte
	if len(b) != 36 || b[8] != '-' || b[13] != '-' || b[18] != '-' || b[23] != '-' {
		return u, false
	}
	for j, i := range uuidHex {
		hi, lo := unhex[b[i]], unhex[b[i+1]]
		if hi|lo > 0xf {
			return u, false
		}
		u[j] = hi<<4 | lo
	}
	return u, true
}

// unhex maps a hex digit to its value and anything else to 0xff.
var unhex = func() (t [256]byte) {
	for c := range t {
		t[c] = 0xff
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
	}
	for i, c := range "ABCDEF" {
		t[c] = byte(10 + i)
	}
	return t
}()

// parseSeconds reads a JSON number of epoch seconds as µs, exactly for
// plain decimals (digits beyond µs are truncated).
func parseSeconds(b []byte) (int64, bool) {
	var sec, us int64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		sec = sec*10 + int64(b[i]-'0')
	}
	digits := i
	if i < len(b) && b[i] == '.' {
		n := 0
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if n < 6 {
				us = us*10 + int64(b[i]-'0')
				n++
			}
		}
		for ; n < 6; n++ {
			us *= 10
		}
	}
	if i < len(b) || digits > 12 { // a sign, an exponent or too many digits
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f < 0 || f >= maxSeconds {
			return 0, false
		}
		return int64(math.Round(f * 1e6)), true
	}
	if sec >= maxSeconds {
		return 0, false
	}
	return sec*1e6 + us, true
}

// quoteInput shows untrusted input in a message, cut short.
func quoteInput(b []byte) string {
	if len(b) > 64 {
		return strconv.Quote(string(b[:64])) + "…"
	}
	return strconv.Quote(string(b))
}

// quoteKey shows a key bare when it is a plain name, else quoted.
func quoteKey(b []byte) string {
	if SafeName(b) {
		return string(b)
	}
	return quoteInput(b)
}
