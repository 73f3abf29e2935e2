package store

import "fmt"

// WriteReport writes body to cloudwatch_reports/name atomically (replacing
// any report of that name) and returns the file's path. name is a plain
// file name such as "report-2026-11-25T1000Z.md".
func (l *Lake) WriteReport(name string, body []byte) (string, error) {
	if err := checkFileName(name); err != nil {
		return "", fmt.Errorf("write report in %s: %w", l.path(reportsDir), err)
	}
	path := l.path(reportsDir, name)
	if err := writeAtomic(path, body); err != nil {
		return "", err
	}
	return path, nil
}
