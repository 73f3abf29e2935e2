package sim

import (
	"cmp"
	"slices"
	"strings"
)

// ProjectedPartition is what one partition of the lake's layout (a day
// or an hour of one value) would weigh at the rate in force: what a
// closed partition's merge folds toward the band.
type ProjectedPartition struct {
	Value string
	Bytes int64 // nominal
}

// ProjectPartitions sizes one partition per value at ratePerHour from the
// lake so far: its nominal bytes per row, each value's share of the
// nominal rows, and the layout's span. Largest first; nil before Glue has
// written anything.
func ProjectPartitions(parts []ParquetPartition, ratePerHour int64) []ProjectedPartition {
	var bytes, rows int64
	valueRows := map[string]int64{}
	for _, pp := range parts {
		for _, f := range pp.Files {
			bytes += f.NominalBytes
			rows += f.NominalRows
			valueRows[pp.Value] += f.NominalRows
		}
	}
	if rows == 0 || bytes == 0 {
		return nil
	}
	perRow := float64(bytes) / float64(rows)
	span := float64(ratePerHour) * parts[0].End.Sub(parts[0].Start).Hours()
	out := make([]ProjectedPartition, 0, len(valueRows))
	for v, r := range valueRows {
		out = append(out, ProjectedPartition{v, int64(perRow * span * float64(r) / float64(rows))})
	}
	slices.SortFunc(out, func(a, b ProjectedPartition) int {
		if c := cmp.Compare(b.Bytes, a.Bytes); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}
