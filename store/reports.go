package store

import (
	"strings"
	"time"
)

// Report file names: cloudwatch-2026-11-25T01-00-00Z.md for a report
// during the run, with -final before .md for the last one.
const (
	reportPrefix     = "cloudwatch-"
	reportTimeLayout = "2006-01-02T15-04-05Z" // RFC 3339 with - for :, which Windows forbids in names
	reportFinal      = "-final"
	reportSuffix     = ".md"
)

// reportName names the report of simulated time at.
func reportName(at time.Time, final bool) string {
	name := reportPrefix + at.UTC().Format(reportTimeLayout)
	if final {
		name += reportFinal
	}
	return name + reportSuffix
}

// isReportName reports whether reportName makes name.
func isReportName(name string) bool {
	v, ok := strings.CutPrefix(name, reportPrefix)
	if !ok {
		return false
	}
	if v, ok = strings.CutSuffix(v, reportSuffix); !ok {
		return false
	}
	v, _ = strings.CutSuffix(v, reportFinal)
	_, err := time.Parse(reportTimeLayout, v)
	return err == nil
}

// WriteReport writes body as the report of simulated time at (the last
// one if final) in cloudwatch_reports/, atomically, replacing a report of
// the same time, and returns the file's path.
func (l *Lake) WriteReport(at time.Time, final bool, body []byte) (string, error) {
	path := l.path(reportsDir, reportName(at, final))
	if err := writeAtomic(path, body); err != nil {
		return "", err
	}
	return path, nil
}
