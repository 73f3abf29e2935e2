package event

import (
	"maps"
	"slices"
	"strconv"

	"github.com/brianvoe/gofakeit/v7"

	"pipesim/store"
)

// generator makes one field value. createdAt (µs) lets a value relate to
// its event, as timestamps do.
type generator struct {
	kind store.Kind
	gen  func(f *gofakeit.Faker, createdAt int64) store.Value
}

// generators is the registry that config.yml's field generator names refer to.
var generators = map[string]generator{
	"not_applicable":      literalGen(NotApplicable),
	"device":              oneOf("Android", "iOS", "web"),
	"account_id":          {store.String, uuidValue},
	"session_id":          {store.String, uuidValue},
	"user_id":             {store.String, uuidValue},
	"lesson_id":           {store.String, uuidValue},
	"exercise_id":         {store.String, uuidValue},
	"game_id":             {store.String, uuidValue},
	"subscription_id":     {store.String, uuidValue},
	"order_id":            {store.String, uuidValue},
	"registration_method": oneOf("Google", "Microsoft", "Facebook", "Apple"),
	"location": {store.String, func(f *gofakeit.Faker, _ int64) store.Value {
		return strValue(f.City() + ", " + f.Country())
	}},
	"email": {store.String, func(f *gofakeit.Faker, _ int64) store.Value { return strValue(f.Email()) }},
	"account_field": oneOf("email", "password", "username", "display_name", "avatar",
		"phone_number", "date_of_birth", "bio"),
	"number":       intRange(1, 100),
	"number_1to10": intRange(1, 10),
	"duration":     intRange(1, 120),
	"score":        intRange(0, 100),
	"rating":       intRange(1, 5),
	"amount": {store.Float64, func(f *gofakeit.Faker, _ int64) store.Value {
		return store.Value{Valid: true, Float: float64(f.IntN(10000)) / 100}
	}},
	"currency":          {store.String, func(f *gofakeit.Faker, _ int64) store.Value { return strValue(f.CurrencyShort()) }},
	"payment_method":    oneOf("credit_card", "paypal", "bank_transfer", "apple_pay", "google_pay"),
	"purchase_source":   oneOf("app_store", "play_store", "web"),
	"reason_cancelled":  oneOf("too_expensive", "not_using", "technical_issues", "found_alternative", "other"),
	"subscription_type": oneOf("monthly", "yearly", "family"),
	"sentence":          {store.String, func(f *gofakeit.Faker, _ int64) store.Value { return strValue(f.Sentence()) }},
	"language_id": oneOf("lang_de", "lang_it", "lang_es", "lang_fr", "lang_en",
		"lang_pl", "lang_pt", "lang_ru", "lang_tr", "lang_zh"),
	"difficulty": oneOf("Easy", "Medium", "Hard"),
	"campaign_id": {store.String, func(f *gofakeit.Faker, _ int64) store.Value {
		return strValue(campaignIDs[f.IntN(len(campaignIDs))])
	}},
	"timestamp": {store.Timestamp, func(f *gofakeit.Faker, createdAt int64) store.Value {
		return store.Value{Valid: true, Int: createdAt - 1 - int64(f.Uint64()%timestampWindow)}
	}},
}

// NotApplicable is the generator (and value) of a field that a subtype carries but does not use.
const NotApplicable = "not_applicable"

// GeneratorKind is the kind of value a named generator makes; ok is false for an unknown name.
func GeneratorKind(name string) (kind store.Kind, ok bool) {
	g, ok := generators[name]
	return g.kind, ok
}

// GeneratorNames lists the generators config.yml may name, sorted.
func GeneratorNames() []string { return slices.Sorted(maps.Keys(generators)) }

// timestampWindow is how far before its event a timestamp field may lie (30 days in µs).
const timestampWindow = 30 * 24 * 3600 * 1_000_000

// campaignIDs are camp_1000 … camp_9999, made once so that picking one does not allocate.
var campaignIDs = func() []string {
	ids := make([]string, 0, 9000)
	for n := 1000; n <= 9999; n++ {
		ids = append(ids, "camp_"+strconv.Itoa(n))
	}
	return ids
}()

func strValue(s string) store.Value { return store.Value{Valid: true, Str: s} }

func literalGen(s string) generator {
	return generator{store.String, func(*gofakeit.Faker, int64) store.Value { return strValue(s) }}
}

func oneOf(choices ...string) generator {
	return generator{store.String, func(f *gofakeit.Faker, _ int64) store.Value {
		return strValue(choices[f.IntN(len(choices))])
	}}
}

func intRange(lo, hi int64) generator {
	return generator{store.Int64, func(f *gofakeit.Faker, _ int64) store.Value {
		return store.Value{Valid: true, Int: lo + int64(f.IntN(int(hi-lo+1)))}
	}}
}

func uuidValue(f *gofakeit.Faker, _ int64) store.Value {
	u := newUUID(f.Uint64(), f.Uint64())
	return strValue(string(AppendUUID(make([]byte, 0, UUIDTextLen), u)))
}
