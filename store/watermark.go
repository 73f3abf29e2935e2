package store

import "time"

// Watermark records how far the batch job has read staging, so that no
// partition is compacted twice. It is part of each version's commit record
// (see Commit), so that it moves exactly when the files it covers appear.
type Watermark struct {
	Through time.Time `json:"through"` // the last staging minute compacted (UTC)
	Runs    int64     `json:"runs"`    // batch runs so far
}
