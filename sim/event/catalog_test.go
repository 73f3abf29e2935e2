package event_test

import (
	"math"
	"reflect"
	"testing"

	"pipesim/sim/event"
	"pipesim/store"
)

func TestColumns(t *testing.T) {
	cat := realCatalog(t)
	S, I, F, T := store.String, store.Int64, store.Float64, store.Timestamp
	table := []struct {
		name string
		kind store.Kind
	}{
		{"event_uuid", S}, {"created_at", T}, {"event_name", S},
		{"event_type", S}, {"event_subtype", S}, {"created_datetime", S},
		{"account_id", S}, {"amount", F}, {"attempts", I},
		{"campaign_id", S}, {"currency", S}, {"days_active", I},
		{"days_into_trial", I}, {"device", S}, {"difficulty", S},
		{"duration", I}, {"email", S}, {"end_time", T},
		{"exercise_id", S}, {"failcount", I}, {"feedback", S},
		{"game_id", S}, {"language_id", S}, {"last_login_time", T}, {"lesson_id", S},
		{"order_id", S}, {"payment_method", S}, {"purchase_source", S},
		{"rating", I}, {"reason_cancelled", S}, {"referree_id", S},
		{"registration_method", S}, {"resume_time", T}, {"score", I},
		{"selected_language_id", S}, {"session_id", S}, {"start_time", T},
		{"subscription_id", S}, {"subscription_type", S},
		{"un_selected_language_id", S}, {"updated_fields", S},
		{"user_id", S}, {"user_location", S},
	}
	want := make([]store.Column, len(table))
	for i, c := range table {
		want[i] = store.Column{Name: c.name, Kind: c.kind, Required: i < 6}
	}
	got := cat.Columns()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Columns() =\n%v\nwant\n%v", got, want)
	}
	got[0].Name = "changed"
	if cat.Columns()[0].Name != "event_uuid" {
		t.Error("Columns() shares its slice with the catalogue")
	}
}

func TestRowAndLanguage(t *testing.T) {
	cat := realCatalog(t)
	game, _ := cat.Lookup("game:completed")
	login, _ := cat.Lookup("account:login")
	uuid := [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef, 0x80, 1, 2, 3, 4, 5, 6, 7}
	const created = 1795564801123456 // 2026-11-25T00:00:01.123456Z
	tests := []struct {
		name     string
		event    event.Event
		language string
		cells    map[string]store.Value // every other field column must be NULL
	}{
		{
			name: "game:completed",
			event: event.Event{UUID: uuid, CreatedAt: created, Subtype: game, Values: []store.Value{
				event.StrValue("web"), event.StrValue("Berlin, Germany"), event.StrValue("g-1"), {Valid: true, Int: 42},
				{Valid: true, Int: 3}, event.StrValue("lang_de"), event.StrValue("Hard"), {Valid: true, Int: 99}, event.StrValue("s-1"),
			}},
			language: "lang_de",
			cells: map[string]store.Value{
				"event_uuid":       event.StrValue("12345678-9abc-4def-8001-020304050607"),
				"created_at":       {Valid: true, Int: created},
				"event_name":       event.StrValue("game:completed"),
				"event_type":       event.StrValue("game"),
				"event_subtype":    event.StrValue("completed"),
				"created_datetime": event.StrValue("2026-11-25T00:00:01.123456Z"),
				"device":           event.StrValue("web"),
				"language_id":      event.StrValue("lang_de"),
				"user_location":    event.StrValue("Berlin, Germany"),
				"game_id":          event.StrValue("g-1"),
				"duration":         {Valid: true, Int: 42},
				"attempts":         {Valid: true, Int: 3},
				"difficulty":       event.StrValue("Hard"),
				"score":            {Valid: true, Int: 99},
				"session_id":       event.StrValue("s-1"),
			},
		},
		{
			name: "account:login",
			event: event.Event{UUID: uuid, CreatedAt: 0, Subtype: login, Values: []store.Value{
				event.StrValue("not_applicable"), event.StrValue("iOS"), event.StrValue("a-1"), event.StrValue("s-2"),
				{Valid: true, Int: -5}, event.StrValue("Oslo, Norway"),
			}},
			language: "not_applicable",
			cells: map[string]store.Value{
				"event_uuid":       event.StrValue("12345678-9abc-4def-8001-020304050607"),
				"created_at":       {Valid: true, Int: 0},
				"event_name":       event.StrValue("account:login"),
				"event_type":       event.StrValue("account"),
				"event_subtype":    event.StrValue("login"),
				"created_datetime": event.StrValue("1970-01-01T00:00:00.000000Z"),
				"device":           event.StrValue("iOS"),
				"language_id":      event.StrValue("not_applicable"),
				"account_id":       event.StrValue("a-1"),
				"session_id":       event.StrValue("s-2"),
				"last_login_time":  {Valid: true, Int: -5},
				"user_location":    event.StrValue("Oslo, Norway"),
			},
		},
	}
	cols := cat.Columns()
	row := make([]store.Value, len(cols))
	for i := range row {
		row[i] = event.StrValue("stale") // Row must overwrite every cell
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat.Row(&tt.event, row)
			for i, col := range cols {
				if want := tt.cells[col.Name]; row[i] != want {
					t.Errorf("%s = %+v, want %+v", col.Name, row[i], want)
				}
			}
			if got := cat.Language(&tt.event); got != tt.language {
				t.Errorf("Language = %q, want %q", got, tt.language)
			}
		})
	}
}

func TestLanguageWithoutField(t *testing.T) {
	cat := catalogOf(t, "catalogue: {t: {subtypes: {s: {fields: {score: score}}}}}")
	e := event.Event{Subtype: cat.Subtypes[0], Values: []store.Value{{Valid: true, Int: 1}}}
	if got := cat.Language(&e); got != "not_applicable" {
		t.Errorf("Language = %q", got)
	}
}

func TestLookupUnknown(t *testing.T) {
	cat := realCatalog(t)
	for _, name := range []string{"payment:order:completed", "game", "", "game:Completed"} {
		if s, ok := cat.Lookup(name); ok {
			t.Errorf("Lookup(%q) = %s, want not found", name, s.EventName)
		}
	}
}

// Types are chosen by weight, then subtypes by weight within the type.
func TestPickFollowsWeights(t *testing.T) {
	src := `catalogue:
  a:
    weight: 3
    subtypes:
      x: {weight: 1, fields: {score: score}}
      y: {weight: 3, fields: {score: score}}
  b:
    subtypes:
      z: {fields: {score: score}}
`
	cat := catalogOf(t, src)
	want := map[string]float64{"a:x": 0.75 * 0.25, "a:y": 0.75 * 0.75, "b:z": 0.25}
	tests := []struct {
		u    uint64
		want string
	}{
		{0, "a:x"},
		{uint64(0.1875*(1<<53)) << 11, "a:y"}, // exactly at a boundary: the next band
		{uint64(0.75*(1<<53))<<11 - 1<<11, "a:y"},
		{uint64(0.75*(1<<53)) << 11, "b:z"},
		{math.MaxUint64, "b:z"},
	}
	for _, tt := range tests {
		if got := cat.Pick(tt.u).EventName; got != tt.want {
			t.Errorf("pick(%#x) = %s, want %s", tt.u, got, tt.want)
		}
	}
	g := cat.NewGenerator(1)
	counts := map[string]int{}
	const n = 100_000
	var e event.Event
	for range n {
		e.UUID = g.UUID()
		g.Fill(&e)
		counts[e.Subtype.EventName]++
	}
	for name, p := range want {
		// 5 standard deviations: with a fixed seed this is deterministic anyway.
		if got := float64(counts[name]) / n; math.Abs(got-p) > 5*math.Sqrt(p*(1-p)/n) {
			t.Errorf("%s: share %.4f, want %.4f", name, got, p)
		}
	}
}
