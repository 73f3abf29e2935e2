package ui

import (
	"strings"

	"pipesim/sim"

	"charm.land/bubbles/v2/key"
)

// The design choices a presenter flips from the dashboard (sim.Switches):
// the key for each, and its name in the help.
type switchInfo struct {
	key    string
	config string // the switch's config key, a sim.Switches entry
	help   string
	card   string // the presenter's figure it moves
}

var switchKeys = []switchInfo{
	{"f", "pipeline.mode", "reader: lambda/firehose", cardCost},
	{"b", "glue.dedupe", "dedupe: lookback/batch", cardLeaked},
	{"o", "ledger.on_failure", "no ledger: retry/pass", cardLeaked},
	{"e", "glue.engine", "compact: glue/lambda", cardCost},
	{"t", "ledger.ttl", "ledger TTL: 15m…24h", cardLeaked},
	{"p", "glue.partitioning", "lake: day+lang/hour+type", cardFiles},
	{"B", "lambda.bisect_on_error", "λ on error: retry/bisect", cardAge},
	{"R", "lambda.max_retry_attempts", "λ retries: until expiry/2", cardAge},
}

// switchBindings are the switch keys, in switchKeys' order.
func switchBindings() []key.Binding {
	out := make([]key.Binding, len(switchKeys))
	for i, s := range switchKeys {
		out[i] = key.NewBinding(key.WithKeys(s.key), key.WithHelp(s.key, s.help))
	}
	return out
}

// switchBadgeForms: the choices other than the defaults, for the header,
// from the fullest to "2 choices"; none when all are defaults.
func switchBadgeForms(s *sim.Snapshot) []string {
	var badges []string
	for _, sw := range s.Switches {
		if sw.Badge != "" {
			badges = append(badges, sw.Badge)
		}
	}
	switch len(badges) {
	case 0:
		return nil
	case 1:
		return []string{"⇄ " + badges[0], "⇄ 1 choice"}
	}
	return []string{"⇄ " + strings.Join(badges, " · "), "⇄ " + itoa(len(badges)) + " choices"}
}

// switchToast asks for a switch's next value and confirms it with what
// the pipeline now does.
func switchToast(t *toast, configKey string, before *sim.Snapshot) {
	was := switchValue(before, configKey)
	t.asked = configKey + ": next choice requested (now " + was + ")"
	t.check = func(_, n *sim.Snapshot) string {
		v := switchValue(n, configKey)
		spec, _ := sim.SwitchFor(configKey)
		return configKey + " = " + v + ": " + spec.Does[v]
	}
}

func switchValue(s *sim.Snapshot, configKey string) string {
	for _, sw := range s.Switches {
		if sw.Key == configKey {
			return sw.Value
		}
	}
	return ""
}
