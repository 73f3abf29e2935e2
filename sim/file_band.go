package sim

// FileBand is the size band merged Parquet files aim for
// (glue.target_file_bytes); a file is judged by its nominal size.
type FileBand struct{ Lo, Hi int64 }

// SizeClass is where a file falls against the band.
type SizeClass int

const (
	BelowBand SizeClass = iota
	InBand
	AboveBand
)

func (b FileBand) Classify(nominalBytes int64) SizeClass {
	switch {
	case nominalBytes < b.Lo:
		return BelowBand
	case nominalBytes > b.Hi:
		return AboveBand
	}
	return InBand
}

// Count is how many of the files fall below, in and above the band.
func (b FileBand) Count(files []ParquetFile) (n [3]int) {
	for _, f := range files {
		n[b.Classify(f.NominalBytes)]++
	}
	return n
}
