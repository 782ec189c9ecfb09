#!/usr/bin/env bash
# Runs the shared conformance suite (../shared/conformance, see its
# FORMAT.md) against a fresh bin/tickc and fails when fewer cases pass than
# conformance/ratchet says. The checker exits non-zero whenever any case
# fails, so this script judges by the count of passing cases instead.
#
#   conformance/run.sh                   # what `make conformance` runs
#   RUN='TestStream_Window' conformance/run.sh   # a subset (no ratchet check)
#   UPDATE_RATCHET=1 conformance/run.sh  # raise the ratchet to today's count
#
# Environment: GO (go command), SHARED (the shared folder, default
# ../shared), PARALLEL (cases at once, default 2), RUN (checker -run).
# Per-case results land in bin/conformance.json, the checker's output in
# bin/conformance.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GO=${GO:-go}
shared=${SHARED:-$root/../shared}
checker=$shared/conformance/checker
ratchet_file=$root/conformance/ratchet

if [ ! -d "$checker" ]; then
	echo "conformance: no checker at $checker (set SHARED to the shared folder)" >&2
	exit 1
fi

"$GO" build -o bin/tickc ./cmd/tickc
# Compile the runtime once before the cases run: on a cold Go cache that
# takes minutes, far beyond the checker's per-case time limit.
bin/tickc build --warm -v
# The checker is built rather than `go run`, so its own exit status and
# output are not mixed with the go command's.
(cd "$checker" && "$GO" build -o "$root/bin/conform" ./cmd/conform)

json=$root/bin/conformance.json
log=$root/bin/conformance.log
args=(-engine "$root/bin/tickc" -cases ../kapacitor -parallel "${PARALLEL:-2}" -json "$json")
if [ -n "${RUN:-}" ]; then
	args+=(-run "$RUN")
fi

start=$(date +%s)
status=0
(cd "$checker" && "$root/bin/conform" "${args[@]}") >"$log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))

summary=$(tail -n 1 "$log")
if ! [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
	# Not the checker's summary: it did not run (build error, bad flags).
	cat "$log" >&2
	echo "conformance: the checker did not finish (status $status)" >&2
	exit 1
fi
passed=${BASH_REMATCH[1]}
echo "$summary"
echo "conformance: suite ran in ${elapsed}s (details: bin/conformance.log, bin/conformance.json)"

if [ -n "${RUN:-}" ]; then
	exit 0 # a subset says nothing about the ratchet
fi
want=$(tr -d '[:space:]' <"$ratchet_file")
if [ "$passed" -lt "$want" ]; then
	echo "conformance: $passed cases pass, fewer than the ratchet ($want in conformance/ratchet); now failing:" >&2
	grep '^FAIL' "$log" >&2 || true
	exit 1
fi
if [ "$passed" -gt "$want" ]; then
	if [ -n "${UPDATE_RATCHET:-}" ]; then
		echo "$passed" >"$ratchet_file"
		echo "conformance: ratchet raised from $want to $passed"
	else
		echo "conformance: $passed cases pass, more than the ratchet ($want): raise it (UPDATE_RATCHET=1 $0)"
	fi
fi
