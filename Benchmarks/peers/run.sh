#!/usr/bin/env bash
# Peer benchmark: the same screening job in triage, DuckDB and polars, on the same generated file.
#   Benchmarks/peers/run.sh [INCIDENTS] [ROUNDS]        (default 1000000 incidents, 3 rounds)
#   PEERS_DATA=independent Benchmarks/peers/run.sh ...   (data from independent_generator.py, not ours)
# Needs: pip install duckdb polars (tools for this benchmark only, never dependencies of the product).
# Generates the data once, runs triage, DuckDB, polars and cat alternately, checks that the decisions agree
# on the fields all produce (routes, household counts, score, school deadline), and prints medians and ratios
# (exit 1 after the table when they disagree).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
rounds=${2:-3}
work=${PEERS_WORK:-/tmp/triage-peers}
mkdir -p "$work"
swift build -c release --product triage > /dev/null
triage=.build/release/triage
years=$(python3 -c "print(max(1, $n / 1000000))")
start=$(python3 -c "import math; print(f'{2026 - math.ceil($years)}-01-01')")  # end before today
case ${PEERS_DATA:-ours} in
  ours)
    data="$work/incidents-$n.csv"
    [ -s "$data" ] || $triage generate --incidents "$n" --years "$years" --start "$start" --seed 42 --output "$data" ;;
  independent) # issue 16: a generator that is not ours, written from the schema (a different shape)
    data="$work/independent-$n.csv"
    [ -s "$data" ] || python3 Benchmarks/peers/independent_generator.py --incidents "$n" --seed 42 --output "$data" ;;
  *) echo "PEERS_DATA must be ours or independent" >&2; exit 2 ;;
esac
bytes=$(stat -c %s "$data")
echo "data: ${PEERS_DATA:-ours}, $n incidents, $bytes bytes, $(nproc) cores"

declare -A times rss
run() { # name, command...
  local name=$1; shift
  local out
  /usr/bin/time -o "$work/$name.time" -f "%e %M" "$@" > /dev/null 2> "$work/$name.err"
  out=$(tail -1 "$work/$name.time")
  times[$name]+="${out%% *} "
  rss[$name]+="${out##* } "
}
for r in $(seq "$rounds"); do
  run triage sh -c "$triage screen '$data' --quiet > '$work/triage.jsonl'"
  run duckdb python3 Benchmarks/peers/duckdb_job.py "$data" "$work/duckdb.jsonl"
  run polars python3 Benchmarks/peers/polars_job.py "$data" "$work/polars.jsonl"
  run cat sh -c "cat '$data' > /dev/null"
done
# A disagreement is printed and fails the run, after the table (the timings stand either way).
agree=0
python3 Benchmarks/peers/check.py "$work/triage.jsonl" "$work/duckdb.jsonl" "$work/polars.jsonl" || agree=$?

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "%-8s %10s %14s %12s %10s\n" tool median_s incidents/s peak_MiB vs_triage
t0=$(echo "${times[triage]}" | median)
for name in triage duckdb polars cat; do
  t=$(echo "${times[$name]}" | median)
  m=$(echo "${rss[$name]}" | median)
  python3 -c "print(f'%-8s %10.3f %14.0f %12.1f %9.2fx' % ('$name', $t, $n / max($t, 1e-9), $m / 1024, $t / $t0))"
done
exit "$agree"
