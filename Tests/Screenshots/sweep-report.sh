#!/usr/bin/env bash
# Renders the sample threshold-sweep page in headless Chromium at 1024 and 1440 px and writes PNG screenshots.
# Usage: Tests/Screenshots/sweep-report.sh [OUT-PREFIX]   (needs `apt-get install chromium`)
set -euo pipefail
cd "$(dirname "$0")/../.."
prefix=${1:-samples/sweep-report}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "chromium not installed: skipping screenshot" >&2; exit 0; fi
tmp=$(mktemp -d)
swift run -c release triage sweep --thresholds thresholds.yaml \
  --vary repeat-household:household.incidents=2,3,4,5 --vary cumulative-risk:household.score=10..30/5 \
  samples/incidents.csv --html "$tmp/sweep.html" > /dev/null
for width in 1024 1440; do
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$width,2400 \
    --screenshot="$prefix-$width.png" "file://$tmp/sweep.html" 2>/dev/null
  echo "wrote $prefix-$width.png"
done
