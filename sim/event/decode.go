package event

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"pipesim/store"
)

// The decoder: a record (or staging line) into an Event, validated
// against the catalogue. Every failure is an *InvalidRecordError.
//
// It decodes in place: the event's unescaped string values are slices of
// the input's own bytes, so they hold only while the input is unchanged.
// Callers keep the input for as long as they use the event (the Lambda, a
// second's records) or copy what outlives it (Glue: its Parquet writers
// copy each row, and it interns partition values); decoding a record then
// allocates nothing.

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
	whole string // data as a string (the same bytes): unescaped string values are slices of it
}

func (c *Catalog) decode(data []byte, staging bool, latest int64, e *Event) error {
	d := eventDecoder{data: data}
	if len(data) > 0 {
		d.whole = unsafe.String(&data[0], len(data))
	}
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
