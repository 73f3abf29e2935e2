package sim

import (
	"fmt"
	"time"

	"pipesim/sim/config"
	"pipesim/store"
)

// Compact runs the Glue job alone over whatever is staged under out, as
// `pipesim compact` does after a run (or after a crash): everything past
// the watermark is read once, and days closed by the newest staged minute
// are merged.
func Compact(cfg *config.Config, out string) (GlueRun, error) {
	if err := store.FindLake(out); err != nil {
		return GlueRun{}, fmt.Errorf("compact: %w", err)
	}
	lake, err := store.OpenLake(out)
	if err != nil {
		return GlueRun{}, err
	}
	files, err := lake.StagingFiles(time.Time{}, time.Unix(1<<40, 0))
	if err != nil {
		return GlueRun{}, err
	}
	now := time.Unix(0, 0).UTC()
	if len(files) > 0 {
		now = files[len(files)-1].Minute.Add(time.Minute)
	}
	return newGlue(cfg.Glue, cfg.Catalog, cfg.Producer.MaxClockSkew, lake, 1).run(now, now) // a lone compact knows no sampling ratio
}
