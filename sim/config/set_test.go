package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

func TestSet(t *testing.T) {
	tests := []struct {
		set  string
		got  func(c *Config) any
		want any
	}{
		{"glue.dedupe=batch", func(c *Config) any { return c.Glue.Dedupe }, "batch"},
		{"kinesis.shards=4", func(c *Config) any { return c.Kinesis.Shards }, 4},
		{"glue.target_file_bytes=[1MB, 1GB]", func(c *Config) any { return c.Glue.TargetFileBytes }, [2]int64{1e6, 1e9}},
		{"ledger.key_prefix=x=y", func(c *Config) any { return c.Ledger.KeyPrefix }, "x=y"},
		{"kinesis={retention: 2h, shards: 2}", func(c *Config) any { return [2]any{c.Kinesis.Retention, c.Kinesis.Shards} }, [2]any{2 * time.Hour, 2}},
		{"firehose.buffer_size=128MiB", func(c *Config) any { return c.Firehose.BufferSize }, int64(128 << 20)},
		// AWS's MB in a Lambda's memory and Firehose's buffer is 2^20 bytes
		{"lambda.memory=256MB", func(c *Config) any { return c.Lambda.Memory }, int64(256 << 20)},
		{"lambda.memory=1GB", func(c *Config) any { return c.Lambda.Memory }, int64(1 << 30)},
		{"firehose.buffer_size=5MB", func(c *Config) any { return c.Firehose.BufferSize }, int64(5 << 20)},
		{"firehose.buffer_interval=0s", func(c *Config) any { return c.Firehose.BufferInterval }, time.Duration(0)},
		{"scale.max_events_per_hour=500k", func(c *Config) any { return c.Scale.MaxEventsPerHour }, int64(500_000)},
	}
	base := loadRealConfig(t)
	before := *base
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			cfg, err := base.Set(tt.set)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.got(cfg); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if want := []string{"../../config.yml", "--set " + tt.set}; !reflect.DeepEqual(cfg.Sources, want) {
				t.Errorf("Sources = %q, want %q", cfg.Sources, want)
			}
		})
	}
	if !reflect.DeepEqual(*base, before) {
		t.Error("Set changed the config it was called on")
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct{ set, want string }{
		{"glue.dedupe=always", `--set: glue.dedupe: want lookback or batch, got "always"`},
		{"kinesis.shardz=4", "--set: kinesis.shardz: unknown key (did you mean kinesis.shards?)"},
		{"kinesis.retention.x=4", "--set: kinesis.retention.x: unknown key (did you mean kinesis.retention?)"},
		{"kinesis={shardz: 4}", "--set: kinesis.shardz: unknown key (did you mean shards?)"},
		{"nokey", `--set: want KEY=VALUE such as glue.dedupe=batch, got "nokey"`},
		{"=4", `--set: want KEY=VALUE such as glue.dedupe=batch, got "=4"`},
		{"glue.\ndedupe=batch", `--set: "glue.\ndedupe" is not a config key (keys are dotted names such as glue.dedupe)`},
		{"lambda.batch_size=", "--set: lambda.batch_size: want a whole number, got nothing"},
		{"firehose.buffer_size=200MiB", "--set: firehose.buffer_size: must be between 1MiB and 128MiB, got 200MiB"},
		{"firehose.buffer_size=512kB", "--set: firehose.buffer_size: must be between 1MiB and 128MiB, got 512kB"},
		{"firehose.buffer_interval=901s", "--set: firehose.buffer_interval: must be at most 15m, got 901s"},
		{"pipeline.mode=kafka", `--set: pipeline.mode: want lambda or firehose, got "kafka"`},
		{"lambda.batch_size=[1", `--set: lambda.batch_size: "[1" is not a YAML value: did not find expected ',' or ']'`},
		{"kinesis.shards=2000", "--set: kinesis.shards: 2000 is more than kinesis.max_shards 1024"},
		{"scenario=2M", `--set: scenario: "2M" is not in scenarios (have 1B, 1M, 1k)`},
		{"producer.retry_delay=[10s, 1s]", "--set: producer.retry_delay: min 10s is greater than max 1s"},
	}
	base := loadRealConfig(t)
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			cfg, err := base.Set(tt.set)
			if err == nil {
				t.Fatalf("accepted, want %q (config %+v)", tt.want, cfg)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
}

// Every key of the table can be set from the command line to the value
// config.yml gives it, and comes out the same.
func TestEveryKeyCanBeSet(t *testing.T) {
	base := loadRealConfig(t)
	for _, path := range Keys() {
		if path == "catalogue" || path == "journeys" || path == "scenarios" || path == "cloudwatch.alarms" {
			continue // records, not one value: set in a file
		}
		n := base
		var err error
		if n, err = n.Set(path + "=" + valueOf(t, path)); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		n.Sources = base.Sources
		if !reflect.DeepEqual(n, base) {
			t.Errorf("--set %s=%s changed the config", path, valueOf(t, path))
		}
	}
}

// valueOf is the YAML text config.yml gives a key.
func valueOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile("../../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	for _, k := range strings.Split(path, ".") {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			t.Fatalf("config.yml has no %s", path)
		}
		n = next
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
