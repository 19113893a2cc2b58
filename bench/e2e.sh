#!/usr/bin/env bash
# End-to-end benchmark: Elasticsearch's own bulk ceiling for our documents (a), then hepgen ->
# collector -> Elasticsearch at increasing rates (b), on this machine in one run. Prints the table
# and writes bench/results/e2e-<UTC date>.txt and .json. See bench/README.md.
#
#   bench/e2e.sh [--rates 5000,10000,...] [--duration 30] [--jfr] [--help for all options]
#
# Starts its own Elasticsearch (heap 1g, free ports, data under bench/target/e2e/) and collector
# (free ports); stops both at the end. Takes about 10 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f collector/target/collector.jar ] || [ ! -f bench/target/benchmarks.jar ] \
   || ! ls collector/target/elasticsearch-*.zip >/dev/null 2>&1 \
   || [ -n "$(find collector/src tools/src bench/src enricher/src -newer bench/target/benchmarks.jar -type f 2>/dev/null | head -n 1)" ]; then
  echo ">> building the collector and the benchmarks (mvn -B -q -pl bench -am package -DskipTests)"
  mvn -B -q -pl bench -am package -DskipTests
fi
exec python3 bench/e2e.py "$@"
