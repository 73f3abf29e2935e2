package event_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pipesim/sim/event"
	"pipesim/store"
)

var testUUID = [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef, 0x80, 1, 2, 3, 4, 5, 6, 7}

// gameEvent is a game:completed event with a location that needs escaping.
func gameEvent(t testing.TB, cat *event.Catalog, location string) event.Event {
	t.Helper()
	s, ok := cat.Lookup("game:completed")
	if !ok {
		t.Fatal("no game:completed")
	}
	return event.Event{UUID: testUUID, CreatedAt: event.TestCreatedAt, Subtype: s, Values: []store.Value{
		event.StrValue("web"), event.StrValue(location), event.StrValue("g-1"), {Valid: true, Int: 42},
		{Valid: true, Int: 3}, event.StrValue("lang_de"), event.StrValue("Hard"), {Valid: true, Int: 99}, event.StrValue("s-1"),
	}}
}

const gameJSON = `{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":1795564801.123456,` +
	`"event_name":"game:completed","event_specifics":{"device":"web","user_location":"Berlin, Germany",` +
	`"game_id":"g-1","duration":42,"attempts":3,"language_id":"lang_de","difficulty":"Hard","score":99,"session_id":"s-1"}}`

func TestAppendEventJSON(t *testing.T) {
	cat := realCatalog(t)
	order, _ := cat.Lookup("payment:order_failed")
	login, _ := cat.Lookup("account:login")
	tests := []struct {
		name  string
		event event.Event
		want  string
	}{
		{"plain", gameEvent(t, cat, "Berlin, Germany"), gameJSON},
		{"escapes", gameEvent(t, cat, "Zürich \"Old\" \\ Town\n\t\x01\xff/<>"),
			strings.Replace(gameJSON, "Berlin, Germany", `Zürich \"Old\" \\ Town\n\t\u0001\ufffd/<>`, 1)},
		{"float and timestamp", event.Event{UUID: testUUID, CreatedAt: 5, Subtype: order, Values: []store.Value{
			event.StrValue("not_applicable"), event.StrValue("iOS"), event.StrValue("Oslo, Norway"), {Valid: true, Float: 12.5},
			event.StrValue("o-1"), event.StrValue("EUR"), {Valid: true, Int: 10}, event.StrValue("paypal"), event.StrValue("s-1"),
		}}, `{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":0.000005,"event_name":"payment:order_failed",` +
			`"event_specifics":{"language_id":"not_applicable","device":"iOS","user_location":"Oslo, Norway","amount":12.5,` +
			`"order_id":"o-1","currency":"EUR","failcount":10,"payment_method":"paypal","session_id":"s-1"}}`},
		{"missing and invalid values are null", event.Event{UUID: testUUID, CreatedAt: -1_500_000, Subtype: login, Values: []store.Value{
			event.StrValue("not_applicable"), {}, event.StrValue("a"), event.StrValue("s"), {Valid: true, Int: -1},
		}}, `{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":-1.500000,"event_name":"account:login",` +
			`"event_specifics":{"language_id":"not_applicable","device":null,"account_id":"a","session_id":"s",` +
			`"last_login_time":"1969-12-31T23:59:59.999999Z","user_location":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(cat.AppendEventJSON([]byte("prefix"), &tt.event))
			if got != "prefix"+tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, "prefix"+tt.want)
			}
			if !json.Valid([]byte(tt.want)) {
				t.Error("not valid JSON")
			}
		})
	}
}

func TestAppendStagingJSON(t *testing.T) {
	cat := realCatalog(t)
	e := gameEvent(t, cat, "Berlin, Germany")
	want := strings.TrimSuffix(gameJSON, "}") +
		`,"event_type":"game","event_subtype":"completed","created_datetime":"2026-11-25T00:00:01.123456Z"}`
	if got := string(cat.AppendStagingJSON(nil, &e)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestISOTime(t *testing.T) {
	tests := []struct {
		us   int64
		text string
	}{
		{0, "1970-01-01T00:00:00.000000Z"},
		{-1, "1969-12-31T23:59:59.999999Z"},
		{event.TestCreatedAt, "2026-11-25T00:00:01.123456Z"},
		{951782400000000, "2000-02-29T00:00:00.000000Z"},
		{event.MaxSeconds*1e6 - 1, "9999-12-31T23:59:59.999999Z"},
		{-62135596800000000, "0001-01-01T00:00:00.000000Z"},
	}
	for _, tt := range tests {
		if got := string(event.AppendISO(nil, tt.us)); got != tt.text {
			t.Errorf("event.AppendISO(%d) = %s, want %s", tt.us, got, tt.text)
		}
		if got, ok := event.ParseISO([]byte(tt.text)); !ok || got != tt.us {
			t.Errorf("event.ParseISO(%s) = %d, %v, want %d", tt.text, got, ok, tt.us)
		}
		if want := time.UnixMicro(tt.us).UTC().Format("2006-01-02T15:04:05.000000Z"); want != tt.text {
			t.Errorf("table entry %d: time says %s", tt.us, want)
		}
	}
	if got := string(event.AppendISO(nil, event.MaxSeconds*1e6)); got != "10000-01-01T00:00:00.000000Z" {
		t.Errorf("event.AppendISO(year 10000) = %s", got)
	}
	parse := []struct {
		text string
		us   int64
		ok   bool
	}{
		{"2026-11-25T00:00:01Z", event.TestCreatedAt - 123456, true},
		{"2026-11-25T00:00:01.1Z", event.TestCreatedAt - 23456, true},
		{"2026-11-25T00:00:01.123456789Z", event.TestCreatedAt, true},
		{"2026-11-25T00:00:01.1234567890Z", 0, false},
		{"2026-11-25T00:00:01.Z", 0, false},
		{"2026-11-25T00:00:01+00:00", 0, false},
		{"2026-11-25 00:00:01Z", 0, false},
		{"2026-02-29T00:00:00Z", 0, false},
		{"2026-13-01T00:00:00Z", 0, false},
		{"2026-11-25T24:00:00Z", 0, false},
		{"2026-11-25T00:00:60Z", 0, false},
		{"2026-11-2xT00:00:00Z", 0, false},
		{"", 0, false},
	}
	for _, tt := range parse {
		if got, ok := event.ParseISO([]byte(tt.text)); ok != tt.ok || got != tt.us {
			t.Errorf("event.ParseISO(%q) = %d, %v, want %d, %v", tt.text, got, ok, tt.us, tt.ok)
		}
	}
}

func TestDecodeEventAccepts(t *testing.T) {
	cat := realCatalog(t)
	base := gameEvent(t, cat, "Berlin, Germany")
	tests := []struct {
		name     string
		input    string
		created  int64
		location string
	}{
		{"as encoded", gameJSON, event.TestCreatedAt, "Berlin, Germany"},
		{"reordered, spaced, escaped keys, upper-case uuid", " \n{ \"event_specifics\" : {\"score\":99,\"session_id\":\"s-1\",\"device\":\"web\"," +
			`"user_location":"Berlin, Germany","game_id":"g-1","duration":42,"attempts":3,"language_id":"lang_de","difficulty":"Hard"},` +
			"\t\"event\\u005fname\":\"game\\u003acompleted\", \"created_at\" : 1795564801.123456 ," +
			`"event_uuid":"12345678-9ABC-4DEF-8001-020304050607"}` + "\r\n", event.TestCreatedAt, "Berlin, Germany"},
		{"digits beyond µs truncate", strings.Replace(gameJSON, "1795564801.123456", "1795564801.1234569", 1), event.TestCreatedAt, "Berlin, Germany"},
		{"whole seconds", strings.Replace(gameJSON, "1795564801.123456", "1795564801", 1), event.TestCreatedAt - 123456, "Berlin, Germany"},
		{"exponent", strings.Replace(gameJSON, "1795564801.123456", "1.795564801123456e9", 1), event.TestCreatedAt, "Berlin, Germany"},
		{"escapes in values", strings.Replace(gameJSON, "Berlin, Germany", `Z\u00fcrich \ud83d\ude00 \ud83d \"\/\\\b\f\n\r\t`, 1), event.TestCreatedAt,
			"Zürich 😀 \uFFFD \"/\\\b\f\n\r\t"},
		{"lone low surrogate", strings.Replace(gameJSON, "Berlin, Germany", `\udc00x`, 1), event.TestCreatedAt, "\uFFFDx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event.Event{Values: make([]store.Value, 0, 2)}
			if err := cat.DecodeEvent([]byte(tt.input), event.TestCreatedAt, 0, &e); err != nil {
				t.Fatal(err)
			}
			want := base
			want.CreatedAt = tt.created
			want.Values = slices.Clone(base.Values)
			want.Values[1] = event.StrValue(tt.location)
			if !eventsEqual(&e, &want) {
				t.Errorf("got  %+v\nwant %+v", e, want)
			}
		})
	}
}

func TestDecodeEventRejects(t *testing.T) {
	cat := realCatalog(t)
	login := `{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":1795564801.123456,"event_name":"account:login",` +
		`"event_specifics":{"language_id":"not_applicable","device":"iOS","account_id":"a","session_id":"s",` +
		`"last_login_time":"2026-11-24T23:59:59.000001Z","user_location":"Oslo, Norway"}}`
	order := `{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":1795564801.123456,"event_name":"payment:order_completed",` +
		`"event_specifics":{"language_id":"not_applicable","device":"iOS","user_location":"Oslo","order_id":"o","amount":1.5,` +
		`"currency":"EUR","payment_method":"paypal","session_id":"s"}}`
	game := func(old, new string) string { return strings.Replace(gameJSON, old, new, 1) }
	at := func(s string) int { return strings.Index(gameJSON, s) } // offsets before any replacement
	tests := []struct {
		name, input string
		reason      event.Reason
		detail      string
	}{
		{"empty", "", "bad_json", "offset 0: want '{', got end of input"},
		{"array", "[]", "bad_json", `offset 0: want '{', got '['`},
		{"truncated", gameJSON[:len(gameJSON)-1], "bad_json", fmt.Sprintf("offset %d: want ',' or '}', got end of input", len(gameJSON)-1)},
		{"trailing data", gameJSON + " x", "bad_json", fmt.Sprintf("offset %d: want end of input, got 'x'", len(gameJSON)+1)},
		{"trailing comma", `{"a":1,}`, "bad_json", `offset 7: want a string, got '}'`},
		{"missing colon", `{"a" 1}`, "bad_json", `offset 5: want ':', got '1'`},
		{"bad literal", `{"a":tru}`, "bad_json", `offset 5: want true, got 't'`},
		{"leading zero", `{"a":01}`, "bad_json", `offset 6: want ',' or '}', got '1'`},
		{"bare minus", `{"a":-}`, "bad_json", `offset 6: want a value, got '}'`},
		{"bad fraction", `{"a":1.}`, "bad_json", `offset 7: want a digit, got '}'`},
		{"bad escape", game("Berlin", `Ber\xlin`), "bad_json", fmt.Sprintf("offset %d: want an escape, got 'x'", at("Berlin")+4)},
		{"short unicode escape", game("Berlin", `\u12`), "bad_json", fmt.Sprintf("offset %d: want 4 hex digits, got '1'", at("Berlin")+2)},
		{"control character", game("Berlin", "Ber\nlin"), "bad_json", fmt.Sprintf(`offset %d: want no control characters in a string, got '\n'`, at("Berlin")+3)},
		{"invalid UTF-8", game("Berlin", "Ber\xfflin"), "bad_json", fmt.Sprintf("offset %d: invalid UTF-8 in string", at("Berlin")+3)},
		{"unterminated string", `{"a`, "bad_json", `offset 3: want '"', got end of input`},
		{"nested syntax error", game(`"attempts":3`, `"attempts":[1,}`), "bad_json",
			fmt.Sprintf("offset %d: invalid character '}' looking for beginning of value", at(`"attempts":3`)+14)},
		{"nested and truncated", game(`"attempts":3`, `"attempts":[1,`)[:at(`"attempts":3`)+14], "bad_json",
			fmt.Sprintf("offset %d: unexpected end of input", at(`"attempts":3`)+14)},
		{"duplicate key", game(`"event_name"`, `"event_name":"x","event_name"`), "bad_json", "duplicate key event_name"},
		{"duplicate field", game(`"score":99`, `"score":99,"score":98`), "bad_json", "duplicate key event_specifics.score"},
		{"unknown key", game(`{"event_uuid"`, `{"extra":{"a":[1,{}]},"event_uuid"`), "unknown_field", "extra: not an event key"},
		{"staging key in a wire record", game(`{"event_uuid"`, `{"event_type":"game","event_uuid"`), "unknown_field", "event_type: not an event key"},
		{"missing created_at", game(`"created_at":1795564801.123456,`, ""), "missing_field", "created_at: required"},
		{"missing specifics", `{"event_uuid":"x","created_at":1,"event_name":"x"}`, "missing_field", "event_specifics: required"},
		{"uuid is a number", game(`"12345678-9abc-4def-8001-020304050607"`, "12"), "wrong_type", "event_uuid: want string, got number"},
		{"created_at is a string", game("1795564801.123456", `"1795564801.123456"`), "wrong_type", "created_at: want number, got string"},
		{"specifics is null", `{"event_uuid":"x","created_at":1,"event_name":"x","event_specifics":null}`, "wrong_type", "event_specifics: want object, got null"},
		{"bad uuid", game("12345678-9abc-4def-8001-020304050607", "12345678-9abc-4def-8001-02030405060g"), "bad_uuid",
			`event_uuid: want 8-4-4-4-12 hex digits, got "12345678-9abc-4def-8001-02030405060g"`},
		{"uuid without hyphens", game("12345678-9abc-4def-8001-020304050607", "123456789abc4def8001020304050607"), "bad_uuid",
			`event_uuid: want 8-4-4-4-12 hex digits, got "123456789abc4def8001020304050607"`},
		{"negative created_at", game("1795564801.123456", "-1"), "bad_value", `created_at: want epoch seconds in years 1970–9999, got "-1"`},
		{"created_at after 9999", game("1795564801.123456", "253402300800"), "bad_value", `created_at: want epoch seconds in years 1970–9999, got "253402300800"`},
		{"created_at overflows", game("1795564801.123456", "1e400"), "bad_value", `created_at: want epoch seconds in years 1970–9999, got "1e400"`},
		{"colon in subtype", game("game:completed", "payment:order:completed"), "unknown_event_name", `event_name: "payment:order:completed" is not in the catalogue`},
		{"score is a string", game(`"score":99`, `"score":"99"`), "wrong_type", "event_specifics.score: want integer, got string"},
		{"score is a fraction", game(`"score":99`, `"score":99.5`), "wrong_type", `event_specifics.score: want integer, got number "99.5"`},
		{"score has an exponent", game(`"score":99`, `"score":1e2`), "wrong_type", `event_specifics.score: want integer, got number "1e2"`},
		{"score is an object", game(`"score":99`, `"score":{"a":1}`), "wrong_type", "event_specifics.score: want integer, got object"},
		{"score is null", game(`"score":99`, `"score":null`), "wrong_type", "event_specifics.score: want integer, got null"},
		{"device is a number", game(`"device":"web"`, `"device":1`), "wrong_type", "event_specifics.device: want string, got number"},
		{"score overflows", game(`"score":99`, `"score":99999999999999999999`), "bad_value", `event_specifics.score: "99999999999999999999" is out of range`},
		{"amount overflows", strings.Replace(order, "1.5", "1e400", 1), "bad_value", `event_specifics.amount: "1e400" is out of range`},
		{"amount is a string", strings.Replace(order, "1.5", `"1.5"`, 1), "wrong_type", "event_specifics.amount: want number, got string"},
		{"unsafe language_id", game(`"lang_de"`, `"../../etc"`), "bad_value", `event_specifics.language_id: want letters, digits, _ or -, got "../../etc"`},
		{"unknown field", game(`"score":99`, `"score":99,"e-mail":"x"`), "unknown_field", "event_specifics.e-mail: not a field of game:completed"},
		{"unknown field with odd name", game(`"score":99`, `"score":99,"a b":[1]`), "unknown_field", `event_specifics."a b": not a field of game:completed`},
		{"missing field", game(`,"score":99`, ""), "missing_field", "event_specifics.score: required by game:completed"},
		{"timestamp is not ISO", strings.Replace(login, "2026-11-24T23:59:59.000001Z", "yesterday", 1), "bad_value",
			`event_specifics.last_login_time: want a UTC time like 2026-11-25T00:00:01.123456Z, got "yesterday"`},
		{"timestamp is a number", strings.Replace(login, `"2026-11-24T23:59:59.000001Z"`, "1795564801", 1), "wrong_type",
			"event_specifics.last_login_time: want ISO-8601 time string, got number"},
		{"future", game("1795564801.123456", "1795565101.123457"), "future_created_at",
			"created_at: 2026-11-25T00:05:01.123457Z is after the latest allowed 2026-11-25T00:05:01.123456Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e event.Event
			err := cat.DecodeEvent([]byte(tt.input), event.TestCreatedAt, 5*time.Minute, &e)
			var inv *event.InvalidRecordError
			if !errors.As(err, &inv) {
				t.Fatalf("err = %v, want %s: %s", err, tt.reason, tt.detail)
			}
			if inv.Reason != tt.reason || inv.Detail != tt.detail {
				t.Errorf("got  %s: %s\nwant %s: %s", inv.Reason, inv.Detail, tt.reason, tt.detail)
			}
			if err.Error() != string(tt.reason)+": "+tt.detail {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestDecodeEventSkewSaturates(t *testing.T) {
	cat := realCatalog(t)
	var e event.Event
	if err := cat.DecodeEvent([]byte(gameJSON), math.MaxInt64-1, time.Hour, &e); err != nil {
		t.Errorf("now near the end of time: %v", err)
	}
}

// A record or line without escapes is decoded in place, without a single
// allocation: its strings are the input's own bytes.
func TestDecodeCopiesNothing(t *testing.T) {
	cat := realCatalog(t)
	want := gameEvent(t, cat, "Berlin, Germany")
	record, line := cat.AppendEventJSON(nil, &want), cat.AppendStagingJSON(nil, &want)
	for name, decode := range map[string]func(*event.Event) error{
		"record": func(e *event.Event) error { return cat.DecodeEvent(record, want.CreatedAt, 0, e) },
		"line":   func(e *event.Event) error { return cat.DecodeStagingLine(line, e) },
	} {
		var e event.Event
		allocs := testing.AllocsPerRun(100, func() {
			if err := decode(&e); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 || !eventsEqual(&e, &want) {
			t.Errorf("%s: %v allocations, event %+v; want 0 and %+v", name, allocs, e, want)
		}
	}
}

func TestDecodeStagingLine(t *testing.T) {
	cat := realCatalog(t)
	want := gameEvent(t, cat, "Berlin, Germany")
	line := string(cat.AppendStagingJSON(nil, &want))
	tests := []struct {
		name, input string
		reason      event.Reason
		detail      string
	}{
		{"as written", line, "", ""},
		{"far future is fine", strings.Replace(strings.Replace(line, "1795564801.123456", "4102444800.123456", 1),
			"2026-11-25T00:00:01.123456Z", "2100-01-01T00:00:00.123456Z", 1), "", ""},
		{"same time, other spelling", strings.Replace(line, "01.123456Z", "01.123456000Z", 1), "", ""},
		{"wire record", gameJSON, "missing_field", "event_type: required"},
		{"wrong type", strings.Replace(line, `"event_type":"game"`, `"event_type":"games"`, 1), "bad_value",
			`event_type: want "game" (from event_name), got "games"`},
		{"wrong subtype", strings.Replace(line, `"event_subtype":"completed"`, `"event_subtype":"game:completed"`, 1), "bad_value",
			`event_subtype: want "completed" (from event_name), got "game:completed"`},
		{"wrong datetime", strings.Replace(line, "01.123456Z", "01.123457Z", 1), "bad_value",
			`created_datetime: want the time of created_at, got "2026-11-25T00:00:01.123457Z"`},
		{"local datetime", strings.Replace(line, "01.123456Z", "01.123456", 1), "bad_value",
			`created_datetime: want the time of created_at, got "2026-11-25T00:00:01.123456"`},
		{"datetime is a number", strings.Replace(line, `"2026-11-25T00:00:01.123456Z"`, "1", 1), "wrong_type",
			"created_datetime: want string, got number"},
		{"unknown key", strings.Replace(line, `"event_type"`, `"processed_at":1,"event_type"`, 1), "unknown_field",
			"processed_at: not an event key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e event.Event
			err := cat.DecodeStagingLine([]byte(tt.input), &e)
			if tt.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				if e.Subtype != want.Subtype || !slices.Equal(e.Values, want.Values) {
					t.Errorf("got %+v", e)
				}
				return
			}
			var inv *event.InvalidRecordError
			if !errors.As(err, &inv) || inv.Reason != tt.reason || inv.Detail != tt.detail {
				t.Errorf("err = %v, want %s: %s", err, tt.reason, tt.detail)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	cat := realCatalog(t)
	g := cat.NewGenerator(99)
	var e, wire, staged event.Event
	seen := map[string]bool{}
	for i := range 20_000 {
		e.UUID = g.UUID()
		e.CreatedAt = event.TestCreatedAt + int64(i)*7919
		g.Fill(&e)
		seen[e.Subtype.EventName] = true
		if err := cat.DecodeEvent(cat.AppendEventJSON(nil, &e), e.CreatedAt, 0, &wire); err != nil {
			t.Fatalf("%s: %v", cat.AppendEventJSON(nil, &e), err)
		}
		if !eventsEqual(&wire, &e) {
			t.Fatalf("wire round trip\n got %+v\nwant %+v", wire, e)
		}
		if err := cat.DecodeStagingLine(cat.AppendStagingJSON(nil, &e), &staged); err != nil {
			t.Fatal(err)
		}
		if !eventsEqual(&staged, &e) {
			t.Fatalf("staging round trip\n got %+v\nwant %+v", staged, e)
		}
	}
	if len(seen) != len(cat.Subtypes) {
		t.Errorf("round-tripped %d of %d subtypes", len(seen), len(cat.Subtypes))
	}
}

func eventsEqual(a, b *event.Event) bool {
	return a.UUID == b.UUID && a.CreatedAt == b.CreatedAt && a.Subtype == b.Subtype && slices.Equal(a.Values, b.Values)
}

var decodeSeeds = []string{
	gameJSON,
	`{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":1.795564801123456e9,"event_name":"game\u003acompleted",` +
		`"event_specifics":{"device":"w\u00e9b","user_location":"\ud83d\ude00 \ud83d","game_id":"g","duration":-0,"attempts":3,` +
		`"language_id":"lang_de","difficulty":"\"","score":99,"session_id":"s"}}`,
	`{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":0,"event_name":"payment:order_completed",` +
		`"event_specifics":{"language_id":"not_applicable","device":"iOS","user_location":"Oslo","order_id":"o","amount":-1.5e-7,` +
		`"currency":"EUR","payment_method":"paypal","session_id":"s"}}`,
	`{"event_uuid":"12345678-9abc-4def-8001-020304050607","created_at":1795564801.1,"event_name":"account:login",` +
		`"event_specifics":{"language_id":"not_applicable","device":"iOS","account_id":"a","session_id":"s",` +
		`"last_login_time":"0000-02-29T23:59:59.123456789Z","user_location":"Oslo, Norway"}}`,
	`{"event_uuid":1,"x":[{"y":null}],"event_specifics":{"a":true}}`,
	`{"a":"\u12"}`,
	"{\"a\":\"\xff\"}",
}

func FuzzDecodeEvent(f *testing.F) {
	cat := realCatalog(f)
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e event.Event
		err := cat.DecodeEvent(data, event.TestCreatedAt, time.Hour, &e)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		checkAgainstEncodingJSON(t, cat, data, &e, false)
		var again event.Event
		if err := cat.DecodeEvent(cat.AppendEventJSON(nil, &e), event.TestCreatedAt, time.Hour, &again); err != nil || !eventsEqual(&again, &e) {
			t.Fatalf("re-encoding: %v\n got %+v\nwant %+v", err, again, e)
		}
	})
}

func FuzzDecodeStagingLine(f *testing.F) {
	cat := realCatalog(f)
	for _, s := range decodeSeeds {
		f.Add([]byte(strings.TrimSuffix(s, "}") + `,"event_type":"game","event_subtype":"completed","created_datetime":"2026-11-25T00:00:01.123456Z"}`))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e event.Event
		if err := cat.DecodeStagingLine(data, &e); err != nil {
			checkInvalid(t, err)
			return
		}
		checkAgainstEncodingJSON(t, cat, data, &e, true)
		var again event.Event
		if err := cat.DecodeStagingLine(cat.AppendStagingJSON(nil, &e), &again); err != nil || !eventsEqual(&again, &e) {
			t.Fatalf("re-encoding: %v\n got %+v\nwant %+v", err, again, e)
		}
	})
}

func FuzzEventRoundTrip(f *testing.F) {
	cat := realCatalog(f)
	f.Add(uint64(42), int64(event.TestCreatedAt))
	f.Add(uint64(0), int64(0))
	f.Add(uint64(1<<63), int64(event.MaxSeconds*1e6-1))
	f.Fuzz(func(t *testing.T, seed uint64, createdAt int64) {
		g := cat.NewGenerator(seed)
		e := event.Event{UUID: g.UUID(), CreatedAt: createdAt % (event.MaxSeconds * 1e6)}
		if e.CreatedAt < 0 {
			e.CreatedAt = -e.CreatedAt
		}
		g.Fill(&e)
		var wire, staged event.Event
		if err := cat.DecodeEvent(cat.AppendEventJSON(nil, &e), e.CreatedAt, 0, &wire); err != nil || !eventsEqual(&wire, &e) {
			t.Fatalf("wire: %v\n got %+v\nwant %+v", err, wire, e)
		}
		if err := cat.DecodeStagingLine(cat.AppendStagingJSON(nil, &e), &staged); err != nil || !eventsEqual(&staged, &e) {
			t.Fatalf("staging: %v\n got %+v\nwant %+v", err, staged, e)
		}
	})
}

var reasons = []event.Reason{event.ReasonBadJSON, event.ReasonMissingField, event.ReasonWrongType, event.ReasonBadValue, event.ReasonUnknownEventName,
	event.ReasonBadUUID, event.ReasonFutureCreatedAt, event.ReasonUnknownField}

func checkInvalid(t *testing.T, err error) {
	t.Helper()
	var inv *event.InvalidRecordError
	if !errors.As(err, &inv) || !slices.Contains(reasons, inv.Reason) || inv.Detail == "" {
		t.Fatalf("error %v is not an event.InvalidRecordError with a known reason", err)
	}
}

// checkAgainstEncodingJSON asserts that encoding/json accepts what
// DecodeEvent accepted and reads the same values.
func checkAgainstEncodingJSON(t *testing.T, cat *event.Catalog, data []byte, e *event.Event, staging bool) {
	t.Helper()
	if !json.Valid(data) {
		t.Fatalf("accepted invalid JSON %q", data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	wantKeys := 4
	if staging {
		wantKeys = 7
		if m["event_type"] != e.Subtype.Type.Name || m["event_subtype"] != e.Subtype.Name {
			t.Fatalf("event_type/subtype %v/%v, decoded %s", m["event_type"], m["event_subtype"], e.Subtype.EventName)
		}
		checkTime(t, "created_datetime", m["created_datetime"], e.CreatedAt)
	}
	if len(m) != wantKeys {
		t.Fatalf("encoding/json sees %d keys, want %d", len(m), wantKeys)
	}
	if u, _ := m["event_uuid"].(string); !strings.EqualFold(u, string(event.AppendUUID(nil, e.UUID))) {
		t.Fatalf("event_uuid %q, decoded %x", u, e.UUID)
	}
	n, _ := m["created_at"].(json.Number)
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		t.Fatalf("created_at %v", m["created_at"])
	}
	diff := r.Mul(r, big.NewRat(1e6, 1)).Sub(r, big.NewRat(e.CreatedAt, 1))
	if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
		t.Fatalf("created_at %s, decoded %d µs", n, e.CreatedAt)
	}
	if m["event_name"] != e.Subtype.EventName {
		t.Fatalf("event_name %v, decoded %s", m["event_name"], e.Subtype.EventName)
	}
	spec, _ := m["event_specifics"].(map[string]any)
	if len(spec) != len(e.Subtype.Fields) {
		t.Fatalf("encoding/json sees %d fields, decoded %d", len(spec), len(e.Subtype.Fields))
	}
	for i, f := range e.Subtype.Fields {
		v, got := spec[f.Name], e.Values[i]
		switch f.Kind {
		case store.String:
			if v != got.Str {
				t.Fatalf("%s: %q, decoded %q", f.Name, v, got.Str)
			}
		case store.Int64:
			if n, err := strconv.ParseInt(string(v.(json.Number)), 10, 64); err != nil || n != got.Int {
				t.Fatalf("%s: %v, decoded %d", f.Name, v, got.Int)
			}
		case store.Float64:
			if x, err := strconv.ParseFloat(string(v.(json.Number)), 64); err != nil || x != got.Float {
				t.Fatalf("%s: %v, decoded %v", f.Name, v, got.Float)
			}
		case store.Timestamp:
			checkTime(t, f.Name, v, got.Int)
		}
	}
}

func checkTime(t *testing.T, name string, v any, us int64) {
	t.Helper()
	s, _ := v.(string)
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || tm.UnixMicro() != us {
		t.Fatalf("%s: %q (%v), decoded %d µs", name, s, err, us)
	}
}
