package sim

import (
	"strings"
	"testing"
	"time"

	"pipesim/sim/config"
)

func TestParseFault(t *testing.T) {
	good := []struct {
		in   string
		want Fault
	}{
		{"ledger-down@30m+10m", Fault{Kind: "ledger-down", At: 30 * time.Minute, For: 10 * time.Minute}},
		{"lambda-down@1h+25h", Fault{Kind: "lambda-down", At: time.Hour, For: 25 * time.Hour}},
		{"malformed=0.5%", Fault{Kind: "malformed", Share: 0.005}},
		{"late=1%", Fault{Kind: "late", Share: 0.01}},
		{"crash@40m", Fault{Kind: "crash", At: 40 * time.Minute}},
		{"glue-crash@1h", Fault{Kind: "glue-crash", At: time.Hour}},
	}
	for _, spec := range FaultSpecs {
		f, err := ParseFault(spec.Example)
		if err != nil || f.Kind != spec.Kind || f.String() != spec.Example {
			t.Errorf("the example of %s parses as %+v, %v", spec.Kind, f, err)
		}
	}
	for _, tc := range good {
		got, err := ParseFault(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("%+v prints as %q, want %q", got, got.String(), tc.in)
		}
	}
	bad := []struct{ in, want string }{
		{"ledger-down@30m", "needs a duration"},
		{"ledger-down@soon+10m", `start "soon"`},
		{"ledger-down@30m+0s", `duration "0s"`},
		{"malformed=0.5", "want a share such as 0.5%"},
		{"malformed=200%", "between 0 and 100%"},
		{"meteor@1h", `unknown kind "meteor"`},
		{"crash@1h+5m", "happens at a moment"},
		{"ledger-down=5%", "want ledger-down@START+DURATION, such as ledger-down@30m+10m"},
		{"ledger-down", "want ledger-down@START+DURATION, such as ledger-down@30m+10m"},
		{"malformed@1h", "want malformed=SHARE%, such as malformed=0.5%"},
		{"soon", "want KIND@START+DURATION, KIND@START or KIND=SHARE% (kinds: ledger-down, lambda-down, malformed, poison, late, crash, glue-crash)"},
	}
	for _, tc := range bad {
		_, err := ParseFault(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.in) {
			t.Errorf("ParseFault(%q) error %v; want one naming the value and saying %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParseFault: any text is a fault within the bounds of simulated time
// or a one-line error naming it, and an accepted fault reads back the same
// from its String.
func FuzzParseFault(f *testing.F) {
	for _, spec := range FaultSpecs {
		f.Add(spec.Example)
	}
	for _, s := range []string{"ledger-down@9223372036854775807ns+1ns", "crash@-1s", "late=100%", "late=1e-300%", "malformed=NaN%", "ledger-down@1h+", "x@1h", "=", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fault, err := ParseFault(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "fault ") {
				t.Fatalf("ParseFault(%q): error %q is not one line naming the fault", s, err)
			}
			return
		}
		if fault.At < 0 || fault.At > config.MaxSimulated || fault.For < 0 || fault.For > config.MaxSimulated || fault.Share < 0 || fault.Share > 1 {
			t.Fatalf("ParseFault(%q) = %+v: out of bounds", s, fault)
		}
		again, err := ParseFault(fault.String())
		if err != nil || again != fault {
			t.Fatalf("ParseFault(%q) = %+v, whose String %q reads back as %+v, %v", s, fault, fault.String(), again, err)
		}
	})
}
