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

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./queue/... ./engine/... ./server/...
	$(GO) run ./cmd/hallload -clients 1000 -calls 200

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
