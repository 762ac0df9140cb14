# hallfloor — see README.md. `make run` starts the demo hall; `make test` runs every test.
GO ?= go
ADDR ?= :8080
DATA ?= ./data

.PHONY: run build test bench load vet fmt clean

run:
	$(GO) run ./cmd/hallfloor serve -addr $(ADDR) -data $(DATA)

build:
	$(GO) build -o bin/hallfloor ./cmd/hallfloor

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

test: vet
	$(GO) test -race -count=1 -timeout 20m ./...

# bench: the Go benchmarks, then the load command against the demo hall in
# process (1,000 screens × 200 calls, then 10 s of durable ticket issue).
# About two minutes; docs/PERFORMANCE.md has the figures and what they mean.
BENCHTIME ?= 1s
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./queue/ ./engine/ ./server/
	$(GO) run ./cmd/hallload -clients 1000 -calls 200 -every 50ms
	$(GO) run ./cmd/hallload -mode issue -duration 10s -workers 64

# load: only the load command; e.g. make load ARGS='-url http://127.0.0.1:8081 -clients 500'
load:
	$(GO) run ./cmd/hallload $(ARGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
