#!/usr/bin/env bash
# Renders the HTML pages triage writes -- the threshold-impact report (compare), the morning run report
# (screen --report) and the threshold sweep (sweep --html) -- from the shipped samples, in headless Chromium,
# at 1024 and 1440 px wide, into samples/screenshots/. Needs `apt-get install chromium`; without it, says so
# and exits 0. Usage: [TRIAGE=path/to/release/triage] Tests/Screenshots/pages.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-samples/screenshots}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "chromium not installed: skipping screenshots" >&2; exit 0; fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
triage=${TRIAGE:-}
if [ -z "$triage" ]; then
  swift build -c release --product triage > /dev/null
  triage=$(swift build -c release --show-bin-path)/triage
fi
"$triage" compare --baseline thresholds.yaml --candidate samples/candidate-thresholds.yaml samples/incidents.csv \
  --html "$tmp/compare.html" --changes "$tmp/changes.jsonl" > /dev/null
"$triage" screen samples/incidents.csv --quiet --as-of 2025-12-01T08:00:00Z --out "$tmp/out" \
  --report "$tmp/run-report.html" > /dev/null || [ $? -eq 3 ]
if "$triage" sweep --help > /dev/null 2>&1; then
  "$triage" sweep --vary repeat-household:household.incidents=2,3,4,5 --vary cumulative-risk:household.score=10..30/5 \
    samples/incidents.csv --html "$tmp/sweep.html" > /dev/null
fi
for page in compare run-report sweep; do
  [ -f "$tmp/$page.html" ] || continue
  for width in 1024 1440; do
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$width,1100 \
      --screenshot="$out/$page-$width.png" "file://$tmp/$page.html" 2> /dev/null
    echo "wrote $out/$page-$width.png"
  done
done
