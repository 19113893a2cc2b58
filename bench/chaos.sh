#!/usr/bin/env bash
# Chaos run: sent / stored / lost (by place) / duplicated for Elasticsearch down, overload, a clean
# restart, kill -9 and restart, a full spool, a corrupt spool segment and fuzzed HEP, against a local Elasticsearch and a
# collector under hepgen load. Writes bench/results/chaos-<UTC date>.txt and .json. See bench/chaos.py.
#
#   bench/chaos.sh [--scenarios es-down,overload,...] [--rate 5000] [--down-seconds 60] [--help for all options]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f collector/target/collector.jar ] || [ ! -f bench/target/benchmarks.jar ] \
   || ! ls collector/target/elasticsearch-*.zip >/dev/null 2>&1 \
   || [ -n "$(find collector/src tools/src bench/src enricher/src -newer bench/target/benchmarks.jar -type f 2>/dev/null | head -n 1)" ]; then
  echo ">> building the collector and the benchmarks (mvn -B -q -pl bench -am package -DskipTests)"
  mvn -B -q -pl bench -am package -DskipTests
fi
exec python3 bench/chaos.py "$@"
