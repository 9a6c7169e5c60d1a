#!/usr/bin/env bash
# Measures this machine with plans/quickstart.yaml and writes results/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
mvn -B -ntp -q -DskipTests package

nvmx() { java -jar cli/target/nvmx.jar "$@"; }

# Preflight reports, it does not stop the quickstart: on a host with broken KVM the plan
# still measures, under TCG, and says so in the results.
nvmx preflight || true
status=0
nvmx run plans/quickstart.yaml --results results || status=$?
nvmx report results --output results/report.html
echo "Report: $(pwd)/results/report.html"
exit "$status"
