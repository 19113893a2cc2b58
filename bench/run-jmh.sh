#!/usr/bin/env bash
# Runs the JMH benchmarks with the GC profiler and records the results under bench/results/:
#   jmh-<UTC date>.json  JMH's JSON (every benchmark, every metric)
#   jmh-<UTC date>.txt   date, machine, JVM, load, the exact command, and JMH's summary table
#
# Usage (from anywhere):  bench/run-jmh.sh [--short] [--jar JAR] [--tag NAME] [more JMH arguments, e.g. a regex]
#   --short  5 warm-up + 3 measurement iterations of 2 s, one fork (about 10 minutes for all); the
#            default is each benchmark's own settings (the pipeline: 2 forks of 6 x 3 s warm-up and
#            5 x 2 s measurement; use those for before/after pairs of the pipeline)
#   --jar    run another build's benchmarks.jar (e.g. the previous commit's, for a before/after pair)
#   --tag    appended to the result file names
# Run it on a quiet machine: the 2-core machine is shared, and a busy neighbour halves the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/target/benchmarks.jar ]; then
  mvn -B -q -pl bench -am package -DskipTests
fi
short=()
jar=bench/target/benchmarks.jar
tag=
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=(-wi 5 -w 2 -i 3 -r 2 -f 1); shift ;;
    --jar) jar=$2; shift 2 ;;   # another build, e.g. of the previous commit, for a before/after pair
    --tag) tag=-$2; shift 2 ;;
    *) break ;;
  esac
done
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p bench/results
base=bench/results/jmh-$stamp$tag
cmd=(java -jar "$jar" -prof gc -rf json -rff "$base.json" "${short[@]}" "$@")
{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB memory, $(uname -srm)"
  echo "# jvm:     $(java -version 2>&1 | sed -n 2p)"
  echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages before the run)"
  echo "# command: ${cmd[*]}"
  if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN{exit !(l > n / 2)}'; then
    echo "# WARNING: the machine was busy (load above half the cores): ops/s are NOT reference figures;"
    echo "#          bytes per operation (gc.alloc.rate.norm) do not depend on the load."
  fi
  echo "# ops/s is per thread (one thread = one core); gc.alloc.rate.norm is bytes allocated per operation."
  echo
} > "$base.txt"
log=$(mktemp)
"${cmd[@]}" | tee "$log"
# JMH's closing table: from its header line to the end; then the CPU time per operation the
# pipeline and document benchmarks print (the per-core figure that does not depend on the load)
sed -n '/^Benchmark .*Mode/,$p' "$log" >> "$base.txt"
if grep -q '^\[cpu\]' "$log"; then
  { echo; echo "# CPU time of the benchmark thread per operation (measurement iterations):"; grep '^\[cpu\]' "$log"; } >> "$base.txt"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$base.txt"
rm -f "$log"
echo "results: $base.txt $base.json"
