# hallfloor — see README.md. `make run` starts the demo hall (`make run-demo` with a morning under way); `make test` runs every test.
GO ?= go
ADDR ?= :8080
DATA ?= ./data

.PHONY: run run-demo build test test-deps bench bench-year load vet verify fmt clean

run:
	$(GO) run ./cmd/hallfloor serve -addr $(ADDR) -data $(DATA)

# The demo hall with a simulated morning under way, its data in a new
# directory removed on exit.
run-demo:
	$(GO) run ./cmd/hallfloor serve -simulate -addr $(ADDR)

build:
	$(GO) build -o bin/hallfloor ./cmd/hallfloor

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

# verify: the checks beside the tests. The tools are pinned and fetched
# through the module proxy; govulncheck needs the Go vulnerability database
# (vuln.go.dev) and says plainly when this machine cannot reach it.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
verify: vet
	$(GO) mod tidy -diff
	$(GO) run $(STATICCHECK) ./...
	@if timeout 10 $(GO) run $(GOVULNCHECK) -version >/dev/null 2>&1 && timeout 10 bash -c 'exec 3<>/dev/tcp/vuln.go.dev/443' 2>/dev/null; then \
		$(GO) run $(GOVULNCHECK) ./...; \
	else \
		echo "govulncheck: the vulnerability database (vuln.go.dev) cannot be reached from here; not checked"; \
	fi

# test: every test. test-deps first installs what the tests need where it is
# missing (Chromium, a Redis server on 127.0.0.1:6379; apt-get, as root or
# with sudo) and only looks where it is there.
test: test-deps
	$(MAKE) verify
	$(GO) test -race -count=1 -timeout 20m ./...

test-deps:
	@bash scripts/test-deps

# bench: the Go benchmarks, then the load command against the demo hall in
# process (1,000 screens × 200 calls, then 10 s of durable ticket issue),
# and a short big hall's year (3 days of 3,000 numbers through the whole
# hall). About three minutes; docs/PERFORMANCE.md has the figures and what
# they mean.
BENCHTIME ?= 1s
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./queue/ ./engine/ ./server/
	$(GO) run ./cmd/hallload -clients 1000 -calls 200 -every 50ms
	$(GO) run ./cmd/hallload -mode issue -duration 10s -workers 64
	$(GO) run ./cmd/hallload -mode screens -spawn -clients 1000
	HALLFLOOR_BENCH_DAYS=2 HALLFLOOR_BENCH_TICKETS=3000 $(GO) test -run '^$$' -bench 'MonthlyReport|YearlyReport' -benchmem -benchtime 1x ./figures/
	$(GO) run ./cmd/hallload -mode year -tickets 3000 -days 3 -progress 1

# bench-year: the figures of a big hall's year (docs/PERFORMANCE.md), at full
# size: reports of a month and a year of 15,000 numbers a day, the writer's
# longest wait over simulated days with snapshots and midnights, restarts,
# 10,000 screens, and what a county hall's year leaves on disk; then the
# year mode's 250 days of service of 15,000 numbers through the whole hall,
# which alone takes about two hours on a small machine.
bench-year:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 5x ./figures/
	$(GO) test -run '^$$' -bench WriterPause -benchtime 1x ./engine/
	$(GO) run ./cmd/hallload -mode screens -spawn -clients 10000
	$(GO) run ./cmd/hallload -spawn -clients 10000 -calls 50 -every 1s -settle 30s
	HALLFLOOR_DISK_DAYS=430 $(GO) test ./archive -run '^$$' -bench DiskAfterDays -benchtime 1x -timeout 30m -v
	$(GO) run ./cmd/hallload -mode year -tickets 15000 -days 250

# load: only the load command; e.g. make load ARGS='-url http://127.0.0.1:8081 -clients 500'
load:
	$(GO) run ./cmd/hallload $(ARGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
