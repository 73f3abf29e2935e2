package config

import (
	"os"
	"path/filepath"
	"pipesim/sim/event"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func loadRealConfig(t testing.TB) *Config {
	t.Helper()
	cfg, err := ParseFile("../../config.yml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return cfg
}

func TestRealConfigCatalogue(t *testing.T) {
	cat := loadRealConfig(t).Catalog
	if len(cat.Types) != 11 {
		t.Errorf("types = %d, want 11", len(cat.Types))
	}
	// The original catalogue has 36 subtypes; "38" in the notes counts lines
	// matching "fields:", which include updated_fields and the stray nested
	// lesson.started.resumed.
	if len(cat.Subtypes) != 36 {
		t.Errorf("subtypes = %d, want 36", len(cat.Subtypes))
	}
	for _, s := range cat.Subtypes {
		if strings.Contains(s.Name, ":") || strings.Count(s.EventName, ":") != 1 {
			t.Errorf("%s: subtype name has a colon", s.EventName)
		}
		if len(s.Fields) == 0 {
			t.Errorf("%s: no fields", s.EventName)
		}
		for _, f := range s.Fields {
			if kind, ok := event.GeneratorKind(f.Generator); !ok || kind != f.Kind {
				t.Errorf("%s.%s: generator %q not registered with kind %s", s.EventName, f.Name, f.Generator, f.Kind)
			}
		}
	}
	for _, name := range []string{"payment:order_completed", "payment:order_failed", "lesson:resumed", "game:completed", "account:password-reset"} {
		if _, ok := cat.Lookup(name); !ok {
			t.Errorf("Lookup(%q) failed", name)
		}
	}
	confirmed, _ := cat.Lookup("account:email_confirmed")
	if got := confirmed.Fields[5].Name; got != "email" {
		t.Errorf("account:email_confirmed field 5 = %q, want email", got)
	}
	started, _ := cat.Lookup("lesson:started")
	if got := len(started.Fields); got != 7 {
		t.Errorf("lesson:started has %d fields, want 7 (no nested resumed)", got)
	}
}

// The built-in config stands alone: it names every key, and a config
// missing one is refused, key by key.
func TestStandaloneNeedsEveryKey(t *testing.T) {
	if got := loadRealConfig(t).Sources; !reflect.DeepEqual(got, []string{"../../config.yml"}) {
		t.Errorf("Sources = %q", got)
	}
	_, err := Parse("x.yml", []byte("seed: 1\n"))
	if err == nil {
		t.Fatal("accepted a config with one key")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(Keys())-1 {
		t.Errorf("%d errors, want one per missing key (%d)", len(lines), len(Keys())-1)
	}
	if lines[0] != "x.yml:1: scenario: missing key" || lines[len(lines)-1] != "x.yml:1: catalogue: missing key" {
		t.Errorf("errors start %q and end %q", lines[0], lines[len(lines)-1])
	}
}

// A file over the built-in config replaces the keys it has; the rest stay.
func TestOverlayKeepsLowerLayer(t *testing.T) {
	base := loadRealConfig(t)
	cfg, err := base.Load("testdata/minimal.yml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Kinesis.Shards != base.Kinesis.Shards || cfg.Lambda.BatchSize != 100 || cfg.Ledger.TTL != time.Hour ||
		cfg.Scenario != "1M" || cfg.Scenarios["1B"].Shards != 750 || cfg.Scale.MaxEventsPerHour != 2_000_000 ||
		len(cfg.CloudWatch.Alarms) != 4 || cfg.Glue.TargetFileBytes != [2]int64{100_000_000, 1_000_000_000} {
		t.Errorf("lower layer not kept: %+v", cfg)
	}
	if want := []string{"../../config.yml", "testdata/minimal.yml"}; !reflect.DeepEqual(cfg.Sources, want) {
		t.Errorf("Sources = %q, want %q", cfg.Sources, want)
	}
	if got := cfg.Origin(); got != "../../config.yml + testdata/minimal.yml" {
		t.Errorf("Origin = %q", got)
	}
	if got := cfg.Catalog.Subtypes[0].EventName; got != "game:completed" || len(cfg.Catalog.Subtypes) != 1 {
		t.Errorf("catalogue not replaced whole: %d subtypes, first %q", len(cfg.Catalog.Subtypes), got)
	}
	if len(base.Catalog.Subtypes) != 36 {
		t.Errorf("the lower layer changed: %d subtypes", len(base.Catalog.Subtypes))
	}
}

func TestConfigSettings(t *testing.T) {
	src := `
scenario: big
seed: 7
start: 2027-01-02T03:04:05+01:00
scenarios:
  big: {rate: 2.5M/h, shards: 3}
producer:
  model: independent
  retry_copies: [2, 4]
  duplicate_rates: [0.5]
kinesis: {write_bytes_per_second: 512KiB, max_shards: 8}
glue: {dedupe: batch, target_file_bytes: [1MB, 1GiB]}
cloudwatch:
  storage_limit: 1048576
  alarms:
    - {name: Busy, metric: put, comparison: ">=", threshold: 1.5, minutes: 2}
catalogue:
  game:
    weight: 2.5
    subtypes:
      completed: {weight: 3, fields: {score: score}}
`
	cfg, err := loadRealConfig(t).Overlay("x.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"scenario", cfg.Scenario, "big"},
		{"scenarios", cfg.Scenarios, map[string]Scenario{"big": {Name: "big", RatePerHour: 2_500_000, Shards: 3}}},
		{"seed", cfg.Seed, uint64(7)},
		{"start", cfg.Start, time.Date(2027, 1, 2, 2, 4, 5, 0, time.UTC)},
		{"retry_copies", cfg.Producer.RetryCopies, [2]int{2, 4}},
		{"duplicate_rates", cfg.Producer.DuplicateRates, []float64{0.5}},
		{"write_bytes", cfg.Kinesis.WriteBytesPerSecond, int64(512 << 10)},
		{"max_shards", cfg.Kinesis.MaxShards, 8},
		{"dedupe", cfg.Glue.Dedupe, "batch"},
		{"target_file_bytes", cfg.Glue.TargetFileBytes, [2]int64{1_000_000, 1 << 30}},
		{"storage_limit", cfg.CloudWatch.StorageLimit, int64(1 << 20)},
		{"alarms", cfg.CloudWatch.Alarms, []Alarm{{Name: "Busy", Metric: "put", Comparison: ">=", Threshold: 1.5, Minutes: 2}}},
		{"type weight", cfg.Catalog.Types[0].Weight, 2.5},
		{"subtype weight", cfg.Catalog.Subtypes[0].Weight, 3.0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestBadConfigs(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"negative_shards.yml", "config.yml:2: kinesis.shards: must be between 0 and 10000, got -1"},
		{"unknown_key.yml", "config.yml:3: lambda.batchsize: unknown key (did you mean batch_size?)"},
		{"batch_size_range.yml", "config.yml:2: lambda.batch_size: must be between 1 and 10000, got 20000"},
		{"wrong_type.yml", `config.yml:2: lambda.batch_size: want a whole number, got "lots"`},
		{"batching_window.yml", "config.yml:2: lambda.batching_window: must be at most 5m, got 301s"},
		{"probability.yml", "config.yml:2: producer.retry_probability: must be between 0 and 1, got 1.5"},
		{"min_max.yml", "config.yml:2: producer.retry_delay: min 10s is greater than max 1s"},
		{"pair_length.yml", "config.yml:2: producer.retry_copies: want a list [min, max], got a list of 3"},
		{"bad_duration.yml", `config.yml:2: ledger.ttl: want a duration like 10s, 90m or 24h, got "1 hour"`},
		{"negative_rate.yml", `config.yml:3: scenarios.1k.rate: must be greater than 0, got "-5"`},
		{"unknown_scenario.yml", `config.yml:1: scenario: "2M" is not in scenarios (have 1B, 1M, 1k)`},
		{"alarm_metric.yml", `config.yml:3: cloudwatch.alarms[0].metric: want dead_lettered, duplicate_rate, duplicates_glue, duplicates_injected, duplicates_ledger, invocations, iterator_age_seconds, lambda_records, put, put_bytes or throttled, got "iterator_age"`},
		{"glue_dedupe.yml", `config.yml:2: glue.dedupe: want lookback or batch, got "always"`},
		{"duplicate_key.yml", "config.yml:3: kinesis: duplicate key (first at line 1)"},
		{"yaml_syntax.yml", "config.yml:2: did not find expected ',' or ']'"},
		{"bad_scenarios.yml", "config.yml:3: scenarios.big: missing key rate"},
		{"colon_subtype.yml", "config.yml:4: catalogue.payment.subtypes.order:completed: subtype name must not contain a colon (event_name is type:subtype)"},
		{"unknown_generator.yml", `config.yml:6: catalogue.account.subtypes.email_confirmed.fields.email: unknown generator "emial" (did you mean email?)`},
		{"kind_conflict.yml", "config.yml:11: catalogue.subscription.subtypes.cancelled.fields.days_active: generator sentence makes string values, but days_active is int64 (generator number) at config.yml:6"},
		{"language_generator.yml", `config.yml:6: catalogue.game.subtypes.completed.fields.language_id: generator must be language_id or not_applicable (it names the lake partition), got "sentence"`},
		{"reserved_field.yml", "config.yml:6: catalogue.game.subtypes.completed.fields.created_at: created_at is an event key, not a field name"},
		{"zero_weight.yml", "config.yml:3: catalogue.game.weight: must be greater than 0, got 0"},
		{"no_subtypes.yml", "config.yml:2: catalogue.game: missing key subtypes"},
		{"journey_sum.yml", "config.yml:5: journeys.steps.a:start: probabilities sum to 0.9, want 1"},
		{"journey_unknown.yml", "config.yml:5: journeys.steps.a:start: a:nxet has no step of its own"},
		{"journey_unreachable.yml", "config.yml:6: journeys.steps.a:island: cannot be reached from begin"},
		{"journey_no_end.yml", "config.yml:6: journeys.steps.a:loop: a session here never reaches end"},
		{"journey_after.yml", "config.yml:5: journeys.steps.a:start.after: min 5s is greater than max 1s"},
		{"journey_catalogue.yml", "config.yml:8: journeys.steps.lesson:strated: not an event of the catalogue (did you mean lesson:started?)"},
		{"journey_missing.yml", "config.yml:4: journeys.steps: the people model reaches every event of the catalogue; give account:created, account:email_confirmed, account:confirmation_bounced or 31 more a step and a way to it, or set producer.model: independent"},
		{"journey_old_table.yml", "config.yml:2: journeys: the table (../../config.yml:LINE) walks account:password-reset, account:created, account:confirmation_bounced or 32 more, not events of this catalogue: give journeys for it, or set producer.model: independent"},
		{"two_errors.yml", "config.yml:2: kinesis.shards: must be between 0 and 10000, got -1\n" +
			"config.yml:4: lambda.parallelization_factor: must be between 1 and 10, got 11"},
	}
	base := loadRealConfig(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := base.Overlay("config.yml", data)
			if err == nil {
				t.Fatalf("accepted, want error %q (config %+v)", tt.want, cfg)
			}
			// LINE: where config.yml declares its first journey step
			want := strings.Replace(tt.want, "LINE", strconv.Itoa(lineOf(t, "../../config.yml", "    account:password-reset:")), 1)
			if err.Error() != want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), want)
			}
		})
	}
}

// lineOf is the number of the first line of the file that starts with prefix.
func lineOf(t *testing.T, path, prefix string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		if strings.HasPrefix(line, prefix) {
			return n
		}
	}
	t.Fatalf("%s has no line starting %q", path, prefix)
	return 0
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := loadRealConfig(t).Load("testdata/nope.yml")
	if err == nil || err.Error() != "read config: open testdata/nope.yml: no such file or directory" {
		t.Errorf("err = %v", err)
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"1000", 1000, ""},
		{"500k", 500_000, ""},
		{"1M", 1_000_000, ""},
		{"2.5M/h", 2_500_000, ""},
		{"1B", 1_000_000_000, ""},
		{"1k/h", 1000, ""},
		{" 3K ", 3000, ""},
		{"0", 0, `must be greater than 0, got "0"`},
		{"-5", 0, `must be greater than 0, got "-5"`},
		{"-1M", 0, `must be greater than 0, got "-1M"`},
		{"1.5", 0, `"1.5" is not a whole number of events`},
		{"1.0005k", 0, `"1.0005k" is not a whole number of events`},
		{"abc", 0, `want events per hour like 1000, 500k, 1M or 2.5M/h, got "abc"`},
		{"1m", 0, `want events per hour like 1000, 500k, 1M or 2.5M/h, got "1m"`},
		{"", 0, `want events per hour like 1000, 500k, 1M or 2.5M/h, got ""`},
		{"1e6", 0, `want events per hour like 1000, 500k, 1M or 2.5M/h, got "1e6"`},
		{"99999999999B", 0, `"99999999999B" is too large`},
		{"1000B", 1_000_000_000_000, ""},
		{"1000000000001", 0, `"1000000000001" is more than pipesim models (at most 1000B events an hour)`},
		{"9223372036854775807", 0, `"9223372036854775807" is more than pipesim models (at most 1000B events an hour)`},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseRate(%q) = %d, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"1048576", 1 << 20, ""},
		{"100MB", 100_000_000, ""},
		{"1GiB", 1 << 30, ""},
		{"512MiB", 512 << 20, ""},
		{"1.5KiB", 1536, ""},
		{"2 kB", 2000, ""},
		{"7B", 7, ""},
		{"1TB", 1_000_000_000_000, ""},
		{"0MB", 0, `must be greater than 0, got "0MB"`},
		{"1.5B", 0, `"1.5B" is not a whole number of bytes`},
		{"ten MB", 0, `want a size like 1048576, 512MiB, 100MB or 1GiB, got "ten MB"`},
		{"5PB", 0, `want a size like 1048576, 512MiB, 100MB or 1GiB, got "5PB"`},
	}
	for _, tt := range tests {
		got, err := ParseBytes(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseBytes(%q) = %d, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}
