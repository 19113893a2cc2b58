#!/usr/bin/env bash
# Interleaved before/after JMH: runs the same benchmark with two builds' benchmarks.jar alternately
# (before, after, before, after, ...) so that both see the same machine conditions, and records
# each run's CPU time per message, throughput and allocation in bench/results/jmh-ab-<date>-<tag>.txt.
#
# Usage: bench/run-ab.sh BEFORE.jar AFTER.jar TAG ROUNDS [JMH arguments...]
#   e.g. bench/run-ab.sh /tmp/before.jar bench/target/benchmarks.jar contract 3 \
#          PipelineBenchmark -p source=HEPGEN -p cache=warm -p calls=1000 -wi 6 -w 3 -i 5 -r 2 -f 1 -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 tag=$3 rounds=$4
shift 4
stamp=$(date -u +%Y-%m-%dT%H%MZ)
out=bench/results/jmh-ab-$stamp-$tag.txt
mkdir -p bench/results
{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB memory, $(uname -srm)"
  echo "# jvm:     $(java -version 2>&1 | sed -n 2p)"
  echo "# before:  $before"
  echo "# after:   $after"
  echo "# order:   before, after, repeated $rounds times (interleaved, same conditions)"
  echo "# command: bench/run-ab.sh $before $after $tag $rounds $*"
  echo
} > "$out"
for i in $(seq 1 "$rounds"); do
  for side in before after; do
    jar=$before
    [ "$side" = after ] && jar=$after
    echo "== $side (load $(cut -d' ' -f1 /proc/loadavg))" >> "$out"
    java -jar "$jar" "$@" 2>&1 | grep -E '^\[cpu\]|^\[pipeline\]|^[A-Za-z]+Benchmark\.[a-z]+(:gc\.alloc\.rate\.norm)? ' >> "$out" || true
  done
done
echo "wrote $out"
