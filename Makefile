# Shortcuts; the commands in README.md work without make.
.PHONY: test run create-sample-data run-toy-example bench ci

test:
	go test ./...

run:
	go run .

# the original project's targets
create-sample-data:
	go run . sample -n 500 --out output

run-toy-example:
	go run . run --scenario 1M --duration 1h --out output

bench:
	go run . bench
	go test -run '^$$' -bench . -benchmem ./...

ci:
	bash .ci/run
