#!/usr/bin/env bash
# Renders the sample threshold-impact report in headless Chromium and writes a PNG screenshot.
# Usage: Tests/Screenshots/compare-report.sh [OUT.png]   (needs `apt-get install chromium`)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-samples/compare-report.png}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "chromium not installed: skipping screenshot" >&2; exit 0; fi
tmp=$(mktemp -d)
swift run -c release triage compare --baseline thresholds.yaml --candidate samples/candidate-thresholds.yaml \
  samples/incidents.csv --html "$tmp/report.html" > /dev/null
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1700 \
  --screenshot="$out" "file://$tmp/report.html" 2>/dev/null
echo "wrote $out"
