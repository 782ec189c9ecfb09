# Top-level tasks of tickc. More targets are added by the lead; the two
# below keep the generated ANTLR parser (grammar/gen) in step with
# grammar/TICKscript.g4. Both install the pinned antlr-ng with `npm ci`
# when needed (see grammar/generate.sh).

.PHONY: generate check-generated

# generate regenerates grammar/gen from grammar/TICKscript.g4.
generate:
	grammar/generate.sh grammar/gen

# check-generated fails when the committed grammar/gen differs from what
# the grammar generates (CI runs it).
check-generated:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	grammar/generate.sh "$$tmp"; \
	status=0; \
	for f in "$$tmp"/tickscript_*.go grammar/gen/tickscript_*.go; do \
		name=$$(basename "$$f"); \
		if ! cmp -s "$$tmp/$$name" "grammar/gen/$$name"; then \
			echo "grammar/gen/$$name is out of date: run 'make generate'" >&2; status=1; \
		fi; \
	done; \
	exit $$status
