package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Watermark records how far the batch job has read staging, so that no
// partition is compacted twice. It lives in datalake/_state/watermark.json.
type Watermark struct {
	Through time.Time `json:"through"` // the last staging minute compacted (UTC)
	Runs    int64     `json:"runs"`    // batch runs so far
}

const watermarkName = "watermark.json"

func (l *Lake) watermarkPath() string { return l.path(stateDir, watermarkName) }

// LoadWatermark reads the watermark; it is the zero Watermark when none was
// saved yet. A file that is not a watermark is an error naming it.
func (l *Lake) LoadWatermark() (Watermark, error) {
	path := l.watermarkPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Watermark{}, nil
	}
	if err != nil {
		return Watermark{}, fmt.Errorf("load watermark: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var wm Watermark
	if err := dec.Decode(&wm); err != nil {
		return Watermark{}, fmt.Errorf("load watermark %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return Watermark{}, fmt.Errorf("load watermark %s: data after the watermark", path)
	}
	wm.Through = wm.Through.UTC()
	return wm, nil
}

// SaveWatermark replaces the watermark atomically.
func (l *Lake) SaveWatermark(wm Watermark) error {
	wm.Through = wm.Through.UTC()
	data, err := json.Marshal(wm)
	if err != nil {
		return fmt.Errorf("save watermark %s: %w", l.watermarkPath(), err)
	}
	return writeAtomic(l.watermarkPath(), append(data, '\n'))
}
