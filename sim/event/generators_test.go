package event

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"

	"github.com/brianvoe/gofakeit/v7"

	"pipesim/store"
)

func TestGenerators(t *testing.T) {
	uuidRe := `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	set := func(s ...string) []string { return s }
	tests := []struct {
		name    string
		kind    store.Kind
		oneOf   []string
		pattern string
		lo, hi  int64 // Int64 and Timestamp bounds, inclusive
	}{
		{name: "not_applicable", kind: store.String, oneOf: set("not_applicable")},
		{name: "device", kind: store.String, oneOf: set("Android", "iOS", "web")},
		{name: "account_id", kind: store.String, pattern: uuidRe},
		{name: "session_id", kind: store.String, pattern: uuidRe},
		{name: "user_id", kind: store.String, pattern: uuidRe},
		{name: "lesson_id", kind: store.String, pattern: uuidRe},
		{name: "exercise_id", kind: store.String, pattern: uuidRe},
		{name: "game_id", kind: store.String, pattern: uuidRe},
		{name: "subscription_id", kind: store.String, pattern: uuidRe},
		{name: "order_id", kind: store.String, pattern: uuidRe},
		{name: "registration_method", kind: store.String, oneOf: set("Google", "Microsoft", "Facebook", "Apple")},
		{name: "location", kind: store.String, pattern: `^[^,]+, \p{Lu}.+$`},
		{name: "email", kind: store.String, pattern: `^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$`},
		{name: "account_field", kind: store.String, oneOf: set("email", "password", "username", "display_name", "avatar", "phone_number", "date_of_birth", "bio")},
		{name: "number", kind: store.Int64, lo: 1, hi: 100},
		{name: "number_1to10", kind: store.Int64, lo: 1, hi: 10},
		{name: "duration", kind: store.Int64, lo: 1, hi: 120},
		{name: "score", kind: store.Int64, lo: 0, hi: 100},
		{name: "rating", kind: store.Int64, lo: 1, hi: 5},
		{name: "amount", kind: store.Float64},
		{name: "currency", kind: store.String, pattern: `^[A-Z]{3}$`},
		{name: "payment_method", kind: store.String, oneOf: set("credit_card", "paypal", "bank_transfer", "apple_pay", "google_pay")},
		{name: "purchase_source", kind: store.String, oneOf: set("app_store", "play_store", "web")},
		{name: "reason_cancelled", kind: store.String, oneOf: set("too_expensive", "not_using", "technical_issues", "found_alternative", "other")},
		{name: "subscription_type", kind: store.String, oneOf: set("monthly", "yearly", "family")},
		{name: "sentence", kind: store.String, pattern: `^[A-Z].*[.!?]$`},
		{name: "language_id", kind: store.String, oneOf: set("lang_de", "lang_it", "lang_es", "lang_fr", "lang_en", "lang_pl", "lang_pt", "lang_ru", "lang_tr", "lang_zh")},
		{name: "difficulty", kind: store.String, oneOf: set("Easy", "Medium", "Hard")},
		{name: "campaign_id", kind: store.String, pattern: `^camp_[1-9][0-9]{3}$`},
		{name: "timestamp", kind: store.Timestamp, lo: TestCreatedAt - timestampWindow, hi: TestCreatedAt - 1},
	}
	if len(tests) != len(generators) {
		t.Errorf("%d generators registered, %d tested", len(generators), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := generators[tt.name]
			if !ok {
				t.Fatal("not registered")
			}
			if g.kind != tt.kind {
				t.Errorf("kind %s, want %s", g.kind, tt.kind)
			}
			re := regexp.MustCompile(tt.pattern)
			f := gofakeit.NewFaker(rand.NewPCG(1, 2), false)
			seen := map[store.Value]bool{}
			for range 3000 {
				v := g.gen(f, TestCreatedAt)
				seen[v] = true
				switch {
				case !v.Valid:
					t.Fatalf("invalid value %+v", v)
				case tt.oneOf != nil && !slices.Contains(tt.oneOf, v.Str):
					t.Fatalf("%q not in %v", v.Str, tt.oneOf)
				case tt.pattern != "" && !re.MatchString(v.Str):
					t.Fatalf("%q does not match %s", v.Str, tt.pattern)
				case tt.hi != 0 && (v.Int < tt.lo || v.Int > tt.hi):
					t.Fatalf("%d outside [%d, %d]", v.Int, tt.lo, tt.hi)
				case tt.kind == store.Float64 && (v.Float < 0 || v.Float > 99.99 || math.Round(v.Float*100)/100 != v.Float):
					t.Fatalf("amount %v is not 0–99.99 in cents", v.Float)
				}
			}
			switch {
			case tt.oneOf != nil && len(seen) != len(tt.oneOf):
				t.Errorf("made %d distinct values, want all %d", len(seen), len(tt.oneOf))
			case tt.hi != 0 && tt.hi-tt.lo < 200 && int64(len(seen)) != tt.hi-tt.lo+1:
				t.Errorf("made %d distinct values, want all %d", len(seen), tt.hi-tt.lo+1)
			case tt.oneOf == nil && tt.hi-tt.lo >= 200 && len(seen) < 1000:
				t.Errorf("only %d distinct values in 3000", len(seen))
			}
		})
	}
}
