package event

// Internals the external tests read.
var (
	StrValue  = strValue
	ParseISO  = parseISO
	AppendISO = appendISO
)

const (
	TestCreatedAt   = 1795564801123456 // 2026-11-25T00:00:01.123456Z, the tests' clock
	MaxSeconds      = maxSeconds
	TimestampWindow = timestampWindow
)

func (c *Catalog) Pick(u uint64) *Subtype { return c.pick(u) }
