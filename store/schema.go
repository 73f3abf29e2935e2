// Package store holds the places pipesim's data lives: the dedupe ledger
// (spoken to over the Redis protocol), the data lake (staging NDJSON,
// processed Parquet, watermark, dead letters) and report files. It knows
// nothing of the simulation; callers describe rows with Column and Value.
package store

// Kind is the type of a lake column.
type Kind uint8

const (
	String    Kind = iota + 1 // UTF-8 text
	Int64                     // whole numbers
	Float64                   // decimals (amounts)
	Timestamp                 // microseconds since the Unix epoch, UTC
)

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Int64:
		return "int64"
	case Float64:
		return "float64"
	case Timestamp:
		return "timestamp"
	}
	return "unknown"
}

// Column is one typed column of a Parquet file. A column that is not
// Required may hold NULLs (an event subtype without that field).
type Column struct {
	Name     string
	Kind     Kind
	Required bool
}

// Value is one cell. Int holds Int64 and Timestamp (µs) columns.
type Value struct {
	Valid bool
	Str   string
	Int   int64
	Float float64
}
