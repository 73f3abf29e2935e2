package sim

import (
	"cmp"
	"slices"
	"strings"
)

// DayFile is what one language's Parquet file for a whole day would weigh
// at the rate in force: the file a day's merge makes toward the band.
type DayFile struct {
	Language string
	Bytes    int64 // nominal
}

// ProjectDay sizes one day's file per language at ratePerHour from the
// lake so far: its nominal bytes per row, and each language's share of
// the nominal rows. Largest first; nil before Glue has written anything.
func ProjectDay(parts []ParquetPartition, ratePerHour int64) []DayFile {
	var bytes, rows int64
	langRows := map[string]int64{}
	for _, pp := range parts {
		for _, f := range pp.Files {
			bytes += f.NominalBytes
			rows += f.NominalRows
			langRows[pp.Language] += f.NominalRows
		}
	}
	if rows == 0 || bytes == 0 {
		return nil
	}
	perRow := float64(bytes) / float64(rows)
	day := float64(ratePerHour) * 24
	out := make([]DayFile, 0, len(langRows))
	for l, r := range langRows {
		out = append(out, DayFile{l, int64(perRow * day * float64(r) / float64(rows))})
	}
	slices.SortFunc(out, func(a, b DayFile) int {
		if c := cmp.Compare(b.Bytes, a.Bytes); c != 0 {
			return c
		}
		return strings.Compare(a.Language, b.Language)
	})
	return out
}
