package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"pipesim/sim/config"
)

// The bill in --json is the price list times the summary's own nominal
// counts, line by line, recomputed here by the price pages' arithmetic at
// 1k, 1M and 1B in each design: total is the sum of the lines.
func TestCostFromTheCounts(t *testing.T) {
	cfg, err := config.ParseFile("config.yml")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Prices
	const gb = 1 << 30
	modes := [][]string{
		nil,
		{"--set", "pipeline.mode=firehose"},
		{"--set", "kinesis.mode=on_demand", "--set", "kinesis.on_demand_shards=1000"}, // big enough for 1B from the start
		{"--set", "glue.engine=lambda"},
	}
	for _, scenario := range []string{"1k", "1M", "1B"} {
		for _, mode := range modes {
			name := scenario + " " + strings.Join(mode, " ")
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				args := append([]string{"run", "--scenario", scenario, "--duration", "11m", "--json", "--out", t.TempDir(),
					"--set", "glue.schedule=10m", "--set", "scale.max_events_per_hour=100k"}, mode...)
				var stdout, stderr bytes.Buffer
				if code := run(args, &stdout, &stderr); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr.String())
				}
				var sum struct {
					SimSeconds float64            `json:"sim_seconds"`
					Nominal    map[string]float64 `json:"nominal"`
					Cost       struct {
						AsOf     string             `json:"as_of"`
						USD      map[string]float64 `json:"usd"`
						PerMonth map[string]float64 `json:"usd_per_month_at_rate"`
					} `json:"cost"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
					t.Fatal(err)
				}
				n := sum.Nominal
				hours := sum.SimSeconds / 3600
				want := map[string]float64{
					"kinesis":  n["shard_seconds"]/3600*p.KinesisShardHour + n["put_payload_units"]/1e6*p.KinesisPutUnitsMillion,
					"firehose": n["firehose_5kib"] * 5 * 1024 / gb * p.FirehoseIngestGB,
					"lambda": n["lambda_invocations"]/1e6*p.LambdaRequestsMillion +
						(n["lambda_billed_ms"]+n["compaction_lambda_ms"])/1000*float64(cfg.Lambda.Memory)/gb*p.LambdaGBSecond,
					"ledger":      n["ledger_writes"] / 1e6 * p.DynamoDBWriteUnitsMillion,
					"s3_requests": (n["staging_puts"]+n["parquet_writes"])/1000*p.S3PutThousand + n["staging_puts"]/1000*p.S3GetThousand,
					"s3_storage":  n["stored_byte_seconds"] / gb / 3600 / 730 * p.S3StorageGBMonth,
					"glue":        n["glue_dpu_seconds"] / 3600 * p.GlueDPUHour,
				}
				if strings.Contains(name, "on_demand") {
					want["kinesis"] = hours*p.KinesisOnDemandStreamHour + n["put_kib"]*1024/gb*p.KinesisOnDemandIngestGB +
						n["sent_bytes"]/gb*p.KinesisOnDemandRetrievalGB
				}
				var items float64
				for k, w := range want {
					got := sum.Cost.USD[k]
					if math.Abs(got-w) > 1e-9*math.Max(1, w) {
						t.Errorf("%s: $%v, the counts say $%v", k, got, w)
					}
					items += got
				}
				for _, b := range []map[string]float64{sum.Cost.USD, sum.Cost.PerMonth} {
					var parts float64
					for k, v := range b {
						if k != "total" {
							parts += v
						}
					}
					if len(b) != len(want)+1 || math.Abs(b["total"]-parts) > 1e-9*math.Max(1, parts) {
						t.Errorf("bill %v: total is not the sum of its %d lines", b, len(want))
					}
				}
				if sum.Cost.AsOf != p.AsOf || items <= 0 || sum.Cost.PerMonth["total"] <= sum.Cost.USD["total"] {
					t.Errorf("cost as of %q: $%v so far, $%v a month: want the price list's date and a month dearer than 11 minutes",
						sum.Cost.AsOf, items, sum.Cost.PerMonth["total"])
				}
				// each design bills what it uses, and nothing it does not
				usd := sum.Cost.USD
				firehose, byLambda := strings.Contains(name, "firehose"), strings.Contains(name, "glue.engine=lambda")
				if (usd["firehose"] > 0) != firehose || (usd["ledger"] > 0) == firehose {
					t.Errorf("firehose $%v, ledger $%v: want one of them, as the pipeline reads the stream", usd["firehose"], usd["ledger"])
				}
				if (usd["glue"] > 0) == byLambda || (n["compaction_lambda_ms"] > 0) != byLambda {
					t.Errorf("glue $%v, compaction Lambda %v ms: want one of them, as glue.engine says", usd["glue"], n["compaction_lambda_ms"])
				}
			})
		}
	}
}

// pipesim cost sets the designs side by side for an average hour: each
// column's hour is the sum of its lines (to the cent they are printed
// at), the month 730 hours of it, and each design bills only what it
// uses.
func TestCostCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"cost", "--scenario", "1M"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rows := map[string][]float64{}
	for line := range strings.Lines(stdout.String()) {
		f := strings.Fields(line)
		if len(f) < 5 || !strings.HasPrefix(f[len(f)-1], "$") {
			continue
		}
		label := strings.Join(f[:len(f)-4], " ")
		for _, cell := range f[len(f)-4:] {
			v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(cell, "$"), ",", ""), 64)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			rows[label] = append(rows[label], v)
		}
	}
	stages := []string{"kinesis", "firehose", "lambda", "ledger", "s3_requests", "s3_storage", "glue"}
	if len(rows) != len(stages)+2 {
		t.Fatalf("want %d stage rows, an hour and a month:\n%s", len(stages), stdout.String())
	}
	for col := range 4 {
		var sum float64
		for _, s := range stages {
			sum += rows[s][col]
		}
		hour, month := rows["an hour"][col], rows["a month (730 h)"][col]
		if math.Abs(sum-hour) > 0.01 || math.Abs(hour*730-month) > 0.01*730+0.01*month {
			t.Errorf("column %d: lines sum to %v, the hour says %v, the month %v", col, sum, hour, month)
		}
	}
	// as configured, Firehose, on-demand, Lambda compaction
	if r := rows["firehose"]; r[0] != 0 || r[1] == 0 || r[2] != 0 || r[3] != 0 {
		t.Errorf("firehose line %v: only the Firehose design uses it", r)
	}
	if r := rows["ledger"]; r[1] != 0 || r[0] == 0 {
		t.Errorf("ledger line %v: Firehose has none (Glue dedupes)", r)
	}
	if r := rows["glue"]; r[3] != 0 || r[0] == 0 {
		t.Errorf("glue line %v: Lambda compaction runs no Glue", r)
	}
	if r := rows["kinesis"]; r[2] <= r[0] {
		t.Errorf("kinesis line %v: on demand at 1M/h costs more than one provisioned shard", r)
	}
}

// The README's "What it costs" shows pipesim cost at 1k, 1M and 1B: it
// must be what pipesim cost prints (from a folder without a config.yml).
func TestReadmeCost(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## What it costs\n")
	section, _, _ = strings.Cut(section, "\n## ")
	block, _, _ := strings.Cut(section, "\n```\n\n") // the block of commands and what they print
	shown := strings.Split(block, "$ go run . ")[1:]
	if len(shown) != 3 {
		t.Fatalf("want pipesim cost at three volumes in the README, found %d", len(shown))
	}
	t.Chdir(t.TempDir())
	for _, sh := range shown {
		command, output, _ := strings.Cut(sh, "\n")
		var stdout, stderr bytes.Buffer
		if code := run(strings.Fields(command), &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", command, code, stderr.String())
		}
		if got, want := strings.TrimSpace(stdout.String()), strings.TrimSpace(output); got != want {
			t.Errorf("README shows for %s\n%s\npipesim prints\n%s", command, want, got)
		}
	}
}
