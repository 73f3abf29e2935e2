package event

import (
	"sort"

	"github.com/brianvoe/gofakeit/v7"

	"pipesim/store"
)

// Catalog is the event catalogue of config.yml: event types, their subtypes
// and the fields each subtype carries. It is read-only once loaded.
type Catalog struct {
	Types    []*EventType
	Subtypes []*Subtype // every subtype, in config order

	byName     map[string]*Subtype
	columns    []store.Column
	langColumn int       // columns index of language_id
	cumulative []float64 // running probability of Subtypes[i], ending at 1
}

// EventType is one event type ("lesson") and its subtypes.
type EventType struct {
	Name     string
	Weight   float64 // relative share of events of this type
	Subtypes []*Subtype
}

// Subtype is one kind of event ("lesson:started").
type Subtype struct {
	Type      *EventType
	Name      string
	EventName string  // "type:subtype"
	Weight    float64 // relative share within its type
	Fields    []Field

	column   []int // Columns() index of each field
	language int   // index of the language_id field, -1 if none
	personOf []int // per field: the person field it holds (personFields), or -1
}

// Field is one entry of a subtype's event_specifics.
type Field struct {
	Name      string
	Generator string
	Kind      store.Kind // GeneratorKind(Generator)

	gen       func(f *gofakeit.Faker, createdAt int64) store.Value
	key       []byte // `"name":`, ready to append
	partition bool   // language_id: its value names a folder
}

// LanguageField is the catalogue field every event has a value of in
// the lake (NotApplicable where its subtype lacks it), so that the
// original's layout can partition by it.
const LanguageField = "language_id"

// fixedColumns are the Parquet columns every event has, in order.
var fixedColumns = []store.Column{
	{Name: "event_uuid", Kind: store.String, Required: true},
	{Name: "created_at", Kind: store.Timestamp, Required: true},
	{Name: "event_name", Kind: store.String, Required: true},
	{Name: "event_type", Kind: store.String, Required: true},
	{Name: "event_subtype", Kind: store.String, Required: true},
	{Name: "created_datetime", Kind: store.String, Required: true},
}

// NewCatalog derives the lookup tables of a catalogue from its types.
// Weights must be positive, generator names known (GeneratorKind) and field
// kinds consistent: the config loader checks all three.
func NewCatalog(types []*EventType) *Catalog {
	c := &Catalog{Types: types, byName: make(map[string]*Subtype)}
	kinds := make(map[string]store.Kind)
	var typeTotal float64
	for _, t := range c.Types {
		typeTotal += t.Weight
	}
	var running float64
	for _, t := range c.Types {
		var subTotal float64
		for _, s := range t.Subtypes {
			subTotal += s.Weight
		}
		for _, s := range t.Subtypes {
			c.Subtypes = append(c.Subtypes, s)
			c.byName[s.EventName] = s
			running += t.Weight / typeTotal * s.Weight / subTotal
			c.cumulative = append(c.cumulative, running)
			for i := range s.Fields {
				f := &s.Fields[i]
				f.gen = generators[f.Generator].gen
				f.key = append(appendJSONString(nil, f.Name), ':')
				f.partition = f.Name == LanguageField
				kinds[f.Name] = f.Kind
			}
		}
	}
	c.cumulative[len(c.cumulative)-1] = 1 // no rounding gap at the top

	kinds[LanguageField] = store.String // every row has one
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	sort.Strings(names)
	c.columns = append([]store.Column(nil), fixedColumns...)
	at := make(map[string]int, len(names))
	for _, name := range names {
		at[name] = len(c.columns)
		c.columns = append(c.columns, store.Column{Name: name, Kind: kinds[name]})
	}
	for _, s := range c.Subtypes {
		s.personOf = personOf(s)
		s.language = -1
		s.column = make([]int, len(s.Fields))
		for i, f := range s.Fields {
			if f.Name == LanguageField {
				s.language = i
			}
			s.column[i] = at[f.Name]
		}
	}
	c.langColumn = at[LanguageField]
	return c
}

// pick chooses a subtype by weight for a uniform random u.
func (c *Catalog) pick(u uint64) *Subtype {
	r := float64(u>>11) * 0x1p-53
	i := sort.Search(len(c.cumulative), func(i int) bool { return c.cumulative[i] > r })
	return c.Subtypes[i] // r < 1 = the last cumulative entry
}

// Lookup finds a subtype by its event name ("type:subtype").
func (c *Catalog) Lookup(eventName string) (*Subtype, bool) {
	s, ok := c.byName[eventName]
	return s, ok
}

// Columns are the columns of a processed row: the fixed ones, then every
// catalogue field in name order, NULL where a subtype lacks the field
// (language_id: NotApplicable). A lake layout's files hold all but the
// column its folders name.
func (c *Catalog) Columns() []store.Column {
	return append([]store.Column(nil), c.columns...)
}

// Row fills row (len(Columns())) with e's cells.
func (c *Catalog) Row(e *Event, row []store.Value) {
	s := e.Subtype
	row[0] = strValue(string(AppendUUID(make([]byte, 0, UUIDTextLen), e.UUID)))
	row[1] = store.Value{Valid: true, Int: e.CreatedAt}
	row[2] = strValue(s.EventName)
	row[3] = strValue(s.Type.Name)
	row[4] = strValue(s.Name)
	row[5] = strValue(string(appendISO(make([]byte, 0, isoLen), e.CreatedAt)))
	clear(row[len(fixedColumns):])
	for i, col := range s.column {
		row[col] = e.Values[i]
	}
	row[c.langColumn] = strValue(c.Language(e))
}

// Language is the event's language_id, the lake partition it belongs to.
func (c *Catalog) Language(e *Event) string {
	if e.Subtype.language < 0 {
		return NotApplicable
	}
	return e.Values[e.Subtype.language].Str
}
