#!/usr/bin/env bash
# Replay speed of the shared bench workloads (../shared/bench), measured as
# the issue states it: whole-process `tickc replay --capture` of the
# recordings `tickbench -workload W -srpl W.srpl` writes, the same command
# line as Kapacitor's replay figures in ../shared/bench/README.md.
#
#   bench/replay.sh [-n RUNS] [WORKLOAD...]
#
# Recordings are generated once into $TICKC_BENCH_DIR (default
# ${XDG_CACHE_HOME:-~/.cache}/tickc-bench). For each workload it prints the
# points per second of the median and of the best wall time of RUNS runs
# (default 5), the least CPU time (user+system) and the highest peak RSS.
# The machine's other load shows in wall time: compare CPU times too.
set -euo pipefail
[[ -x /usr/bin/time ]] || { echo "bench/replay.sh needs GNU time (apt-get install -y time)" >&2; exit 1; }
cd "$(dirname "$0")/.."
runs=5
if [[ ${1:-} == -n ]]; then runs=$2; shift 2; fi
workloads=("$@")
[[ ${#workloads[@]} -gt 0 ]] || workloads=(threshold window_mean percentile_sigma where_eval cardinality)
shared=../shared/bench
dir=${TICKC_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tickc-bench}
mkdir -p "$dir"
GO=${GO:-go}
$GO build -o bin/tickc ./cmd/tickc
(cd "$shared" && $GO build -o "$dir/tickbench" ./cmd/tickbench)

for w in "${workloads[@]}"; do
  [[ -f $dir/$w.srpl ]] || "$dir/tickbench" -workload "$w" -srpl "$dir/$w.srpl" -q
  points=$(( $(wc -l < "$dir/$w.srpl") / 3 ))
  replay=(bin/tickc replay --dbrp telegraf.autogen --recording "$dir/$w.srpl" --precision s
    --clock-zero 2021-01-01T00:00:00Z --duration 10000h --capture --out "$dir/$w.json" "$shared/workloads/$w.tick")
  "${replay[@]}" >/dev/null # builds (or finds) the task binary
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "${replay[@]}" >/dev/null
    cat "$dir/time"
  done | sort -n | awk -v w="$w" -v n="$points" '
    { walls[NR] = $1; cpu = $2 + $3
      if (NR == 1 || cpu < best) best = cpu
      if ($4 > peak) peak = $4 }
    END { med = walls[int((NR + 1) / 2)]
      printf "%-17s %9d points  median %5.2f M points/s  best %5.2f M points/s  cpu %5.2f s  peak rss %4d MiB\n",
        w, n, n / med / 1e6, n / walls[1] / 1e6, best, peak / 1024 }'
done
