package sim

import (
	"testing"
	"time"
)

// Records made at a heavier sampling weight than today's (the rate came
// down while they waited in the stream) are still read, however slow the
// function: its credit can save up for a batch of them.
func TestLambdaReadsRecordsOfAnEarlierWeight(t *testing.T) {
	cfg := testConfig(t)
	cfg.Lambda.PerRecord = 500 * time.Millisecond // a mapping reads ~2 records a second
	c := &counts{weight: 1}
	l := newLambda(cfg.Lambda, cfg.Producer.MaxClockSkew, cfg.Catalog, nil, nil, nil, c, &tail{})
	s := newStream(cfg.Kinesis, 1, c)
	for i := range 3 {
		s.put(s.open(), record{size: 100, weight: 500}, []byte{byte(i)}, 0)
	}
	sh := s.shards[0]
	for sec := int64(0); sec < 2000; sec++ {
		l.calls = l.calls[:0]
		if taken := l.plan(sh, sec*1e6); taken > 0 {
			return
		}
	}
	t.Fatal("2000 seconds and the records of weight 500 were never read")
}
