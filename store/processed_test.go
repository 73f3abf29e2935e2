package store

import "testing"

func TestPartNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		part PartName
	}{
		{"part-r00007-0000.parquet", PartName{Run: 7}},
		{"part-m00009-0001-of-0003.parquet", PartName{Run: 9, Merge: true, Index: 1, Of: 3}},
		{"part-r99999-0000.parquet", PartName{Run: 99999}},
		{"part-r123456-0000.parquet", PartName{Run: 123456}},
	} {
		if got := tc.part.String(); got != tc.name {
			t.Errorf("%+v names %q, want %q", tc.part, got, tc.name)
		}
		if got, ok := ParsePartName(tc.name); !ok || got != tc.part {
			t.Errorf("ParsePartName(%q) = %+v, %v; want %+v", tc.name, got, ok, tc.part)
		}
	}
	for _, name := range []string{"part-r3.parquet", "part-r00007-0001.parquet", "part-x00007-0000.parquet",
		"part-m00009-0001.parquet", "part-r00007-0000.parquet.tmp", ".part-r00007-0000.parquet", "data.parquet"} {
		if got, ok := ParsePartName(name); ok {
			t.Errorf("ParsePartName(%q) = %+v, want not ours", name, got)
		}
	}
}
