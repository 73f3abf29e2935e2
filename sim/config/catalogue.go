package config

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"pipesim/sim/event"
	"pipesim/store"
)

// maxFields bounds a subtype's fields (the decoder tracks them in a uint64).
const maxFields = 64

// reservedFields are event keys that a catalogue field may not shadow.
var reservedFields = []string{"event_uuid", "created_at", "event_name", "event_specifics", "event_type", "event_subtype", "created_datetime"}

// catalogue reads the event types, their subtypes and fields.
func catalogue(p *parser, n *yaml.Node, path string) (*event.Catalog, bool) {
	m, order := p.mapping(n, path, nil)
	if m == nil {
		return nil, false
	}
	if len(order) == 0 {
		p.errorf(resolveAlias(n), path, "want at least one event type")
		return nil, false
	}
	before := len(p.errs)
	var types []*event.EventType
	kinds := make(map[string]fieldSeen)
	for _, typeName := range order {
		e := m[typeName]
		tpath := path + "." + typeName
		p.name(e.key, tpath, "event type", typeName)
		t := &event.EventType{Name: typeName, Weight: 1}
		tm, _ := p.mapping(e.value, tpath, []string{"weight", "subtypes"})
		if w, ok := tm["weight"]; ok {
			t.Weight, _ = weight(p, w.value, tpath+".weight")
		}
		se, ok := tm["subtypes"]
		if !ok {
			if tm != nil {
				p.errorf(e.key, tpath, "missing key subtypes")
			}
			continue
		}
		spath := tpath + ".subtypes"
		sm, sorder := p.mapping(se.value, spath, nil)
		if sm != nil && len(sorder) == 0 {
			p.errorf(resolveAlias(se.value), spath, "want at least one subtype")
		}
		for _, subName := range sorder {
			if s := p.subtype(sm[subName], spath+"."+subName, t, subName, kinds); s != nil {
				t.Subtypes = append(t.Subtypes, s)
			}
		}
		types = append(types, t)
	}
	if len(p.errs) > before {
		return nil, false
	}
	return event.NewCatalog(types), true
}

// fieldSeen is where a field name was first given a kind.
type fieldSeen struct {
	kind store.Kind
	gen  string
	line int
}

func (p *parser) subtype(e yamlEntry, path string, t *event.EventType, name string, kinds map[string]fieldSeen) *event.Subtype {
	p.name(e.key, path, "subtype", name)
	s := &event.Subtype{Type: t, Name: name, EventName: t.Name + ":" + name, Weight: 1}
	m, _ := p.mapping(e.value, path, []string{"weight", "fields"})
	if w, ok := m["weight"]; ok {
		s.Weight, _ = weight(p, w.value, path+".weight")
	}
	fe, ok := m["fields"]
	if !ok {
		return s
	}
	fpath := path + ".fields"
	fm, forder := p.mapping(fe.value, fpath, nil)
	if len(forder) > maxFields {
		p.errorf(resolveAlias(fe.value), fpath, "at most %d fields, got %d", maxFields, len(forder))
		return nil
	}
	for _, fieldName := range forder {
		f := fm[fieldName]
		key := fpath + "." + fieldName
		p.name(f.key, key, "field", fieldName)
		if slices.Contains(reservedFields, fieldName) {
			p.errorf(f.key, key, "%s is an event key, not a field name", fieldName)
		}
		genName, ok := text(p, f.value, key)
		if !ok {
			continue
		}
		kind, known := event.GeneratorKind(genName)
		if !known {
			p.errorf(resolveAlias(f.value), key, "unknown generator %q%s", genName, didYouMean(genName))
			continue
		}
		if fieldName == event.LanguageField && genName != event.LanguageField && genName != event.NotApplicable {
			p.errorf(resolveAlias(f.value), key, "generator must be language_id or not_applicable (it names the lake partition), got %q", genName)
			continue
		}
		if prev, seen := kinds[fieldName]; seen && prev.kind != kind {
			p.errorf(resolveAlias(f.value), key, "generator %s makes %s values, but %s is %s (generator %s) at %s:%d",
				genName, kind, fieldName, prev.kind, prev.gen, p.source, prev.line)
			continue
		} else if !seen {
			kinds[fieldName] = fieldSeen{kind, genName, resolveAlias(f.value).Line}
		}
		s.Fields = append(s.Fields, event.Field{Name: fieldName, Generator: genName, Kind: kind})
	}
	return s
}

func didYouMean(gen string) string { return didYouMeanOf(gen, event.GeneratorNames()) }

func didYouMeanOf(name string, known []string) string {
	if s := nearest(name, known); s != "" {
		return " (did you mean " + s + "?)"
	}
	return ""
}

// name checks an event type, subtype or field name: these end up in
// event_name, column names and JSON keys.
func (p *parser) name(n *yaml.Node, path, what, name string) {
	if strings.Contains(name, ":") {
		p.errorf(n, path, "%s name must not contain a colon (event_name is type:subtype)", what)
		return
	}
	if !event.SafeName([]byte(name)) {
		p.errorf(n, path, "%s name must be 1–64 letters, digits, _ or -", what)
	}
}
