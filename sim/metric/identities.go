package metric

// Identity is a sum the counts of a run keep: the whole equals the parts.
type Identity struct {
	Name  string
	Whole []Counter
	Parts []Counter
}

// Identities are where every record goes, declared once: the report, the
// dashboard's books and the tests check these. They hold exactly on the
// materialised counts; the nominal ones are projections of those.
var Identities = []Identity{
	{"producer", []Counter{Produced, DuplicatesInjected}, []Counter{Sent, ProducerDropped, ProducerBuffered}},
	{"stream", []Counter{Sent}, []Counter{InFlight, FirehoseBuffered, Staged, DuplicatesDroppedLambda, DeadLettered, DiscardedOnFailure, Expired}},
	{"glue", []Counter{Staged}, []Counter{Processed, DuplicatesDroppedGlue, Quarantined, StagedUncompacted}},
}

// Sides adds up the whole and the parts in c.
func (id Identity) Sides(c Counts) (whole, parts int64) {
	for _, k := range id.Whole {
		whole += c[k]
	}
	for _, k := range id.Parts {
		parts += c[k]
	}
	return whole, parts
}
