package sim

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"pipesim/sim/event"
)

// TailKept is how many of the last events handled the snapshot carries.
const TailKept = 12

// Fate is what the reader of the stream did with one event.
type Fate string

const (
	FateStaged       Fate = "staged"        // new to the ledger: written to staging
	FateCaught       Fate = "caught"        // the ledger knew its uuid: dropped as a duplicate
	FateDeadLettered Fate = "dead-lettered" // it failed validation
	FateUnchecked    Fate = "unchecked"     // staged while the ledger was down (on_failure: pass)
	FateBuffered     Fate = "buffered"      // in Firehose's buffer, unread: Glue checks it
)

// TailEvent is one event the reader of the stream just handled. Sampled,
// it is one of the sample's records.
type TailEvent struct {
	At       time.Time // the simulated second it was handled
	UUID     [16]byte  // its record's event_uuid, to find it in the files
	Name     string    // event_name; "" when the record could not be read
	Language string
	Shard    string
	Fate     Fate
	Reason   event.Reason // why it was dead-lettered
	Copy     bool         // a copy the producer re-sent (a duplicate by design)
}

// tail keeps the last TailKept events handled, in a ring.
type tail struct {
	ring [TailKept]TailEvent
	next int // where the next goes
	n    int
}

func (t *tail) add(e TailEvent) {
	t.ring[t.next] = e
	t.next = (t.next + 1) % TailKept
	t.n = min(t.n+1, TailKept)
}

// last is what the ring holds, oldest first.
func (t *tail) last() []TailEvent {
	out := make([]TailEvent, 0, t.n)
	for i := t.next - t.n; i < t.next; i++ {
		out = append(out, t.ring[(i+TailKept)%TailKept])
	}
	return out
}

// rawFields reads what the tail shows of a record no reader decoded (a
// dead letter, or one Firehose buffers as it came): its name and language,
// if its JSON (or the base64 of it) says.
func rawFields(data []byte) (name, language string) {
	if raw, err := base64.StdEncoding.DecodeString(string(data)); err == nil {
		data = raw
	}
	var v struct {
		Name     string `json:"event_name"`
		Specific struct {
			Language string `json:"language_id"`
		} `json:"event_specifics"`
	}
	if json.Unmarshal(data, &v) != nil {
		return "", ""
	}
	return v.Name, v.Specific.Language
}
