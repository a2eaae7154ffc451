#!/usr/bin/env bash
# Builds and runs the libFuzzer targets against the library sources.
#   Tests/Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default 30 s; targets: csv jsonl policy screen)
# Each target is compiled with -sanitize=fuzzer,address together with Sources/NotificationTriage, seeded
# from samples/, and run for the given time. Crashes are written to Tests/Fuzz/findings/<target>/ (not
# committed); each crash found becomes a regression test. The last lines of each log are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv jsonl policy screen)
work=${FUZZ_WORK:-/tmp/triage-fuzz}
mkdir -p "$work"
for t in "${targets[@]}"; do
  sources=$(find Sources/NotificationTriage -name '*.swift' | sort)
  case $t in
    csv) file=FuzzCSV.swift; seeds="samples/scenarios.csv samples/messy.csv samples/force-export.csv" ;;
    jsonl) file=FuzzJSONL.swift; seeds="samples/incidents.jsonl" ;;
    policy) file=FuzzPolicy.swift; seeds="thresholds.yaml samples/candidate-thresholds.yaml samples/columns-example.yaml" ;;
    screen) file=FuzzScreen.swift; seeds="samples/scenarios.csv samples/messy.csv" ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  bin="$work/fuzz-$t"
  if [ ! -x "$bin" ] || [ -n "$(find Sources Tests/Fuzz -newer "$bin" -name '*.swift' | head -1)" ]; then
    swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Fuzz$t -package-name triage \
      $sources "Tests/Fuzz/$file" -o "$bin"
  fi
  corpus="$work/corpus-$t"
  mkdir -p "$corpus" "Tests/Fuzz/findings/$t"
  # Seed corpus: whole sample files and their first lines.
  for s in $seeds; do
    cp "$s" "$corpus/$(basename "$s")"
    head -c 4000 "$s" > "$corpus/head-$(basename "$s")"
  done
  echo "== $t: ${secs}s"
  LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" "$bin" "$corpus" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Tests/Fuzz/findings/$t/" -print_final_stats=1 > "$work/$t.log" 2>&1 || true
  grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss|cov:|ERROR|SUMMARY" "$work/$t.log" | tail -4
done
