package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON scanner under the decoder: tokens, strings, numbers and
// escapes of one flat event object, without allocating.

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
