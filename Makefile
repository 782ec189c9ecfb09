# Top-level tasks of tickc. The README's two commands are `make example`
# and `make test`; .ci/run runs `make test`.

GO ?= go
FUZZTIME ?= 20s

# "time" in lambdas and .Time in templates are in the process's local zone,
# as in Kapacitor; tests and the conformance replays run in UTC.
export TZ := UTC

.PHONY: build example test fuzz generate check-generated conformance bench

# build compiles the tickc command into bin/.
build:
	$(GO) build -o bin/tickc ./cmd/tickc

# example compiles the bundled example task into a binary, replays the
# bundled recording through it (its .log() handler appends each alert to
# /tmp/cpu_alert.log, printed at the end), and shows a broken variant of
# the task being caught with line and column (that check is expected to
# fail, so its status is inverted).
example: build
	bin/tickc check examples/cpu_alert.tick
	bin/tickc dot examples/cpu_alert.tick
	bin/tickc build -o bin/cpu_alert examples/cpu_alert.tick
	rm -f /tmp/cpu_alert.log
	bin/cpu_alert replay --recording examples/cpu_alert.srpl --precision s --out bin/cpu_alert.result.json
	@echo "--- alerts raised (from /tmp/cpu_alert.log):"
	@cat /tmp/cpu_alert.log
	@echo "--- a broken variant:"
	! bin/tickc check examples/cpu_alert_broken.tick

# test is the whole suite: generated parser up to date, vet, every Go test,
# each fuzz target for a short while, and the conformance ratchet.
test: check-generated
	$(GO) vet ./...
	$(GO) test ./...
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)
	$(MAKE) conformance

# conformance replays the shared Kapacitor cases (../shared/conformance)
# through bin/tickc and fails when fewer pass than conformance/ratchet.
conformance:
	GO=$(GO) conformance/run.sh

# bench replays the shared bench workloads (../shared/bench) through
# tickc replay --capture and prints points per second (bench/replay.sh).
bench:
	GO=$(GO) bench/replay.sh

# fuzz runs each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m).
fuzz:
	$(GO) test ./compiler/parser -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./compiler -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME)
	$(GO) test ./compiler/format -run '^$$' -fuzz '^FuzzFormat$$' -fuzztime $(FUZZTIME)

# The two targets below keep the generated ANTLR parser (grammar/gen) in
# step with grammar/TICKscript.g4. Both install the pinned antlr-ng with
# `npm ci` when needed (see grammar/generate.sh).

# generate regenerates grammar/gen from grammar/TICKscript.g4.
generate:
	grammar/generate.sh grammar/gen

# check-generated fails when the committed grammar/gen differs from what
# the grammar generates (CI runs it).
check-generated:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	grammar/generate.sh "$$tmp"; \
	status=0; \
	for name in $$( (cd "$$tmp" && ls tickscript_*.go; cd "$(CURDIR)/grammar/gen" && ls tickscript_*.go) | sort -u); do \
		if ! cmp -s "$$tmp/$$name" "grammar/gen/$$name"; then \
			echo "grammar/gen/$$name is out of date: run 'make generate'" >&2; status=1; \
		fi; \
	done; \
	if [ $$status = 0 ]; then echo "grammar/gen is up to date"; fi; \
	exit $$status
