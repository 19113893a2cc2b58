#!/usr/bin/env bash
# Makes the reference tables the HEP decoder tests compare against, from an independent decoder:
# tshark with the project's HEP3 Lua dissector (shared/tools/hep3.lua). Run once, from anywhere;
# commit the result. Needs tshark (Debian: apt-get install tshark).
#
#   scripts/make-hep-reference.sh [path/to/hep3.lua]
#
# Output: collector/src/test/resources/hep/reference/<capture>.tsv, one row per HEP3 packet with
# a header row; empty cell = chunk absent. payload_len is the byte length of chunk 0x000f.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
lua=${1:-}
if [[ -z "$lua" ]]; then
  for candidate in "$root/../shared/tools/hep3.lua" /work/shared/tools/hep3.lua; do
    if [[ -f "$candidate" ]]; then lua=$candidate; break; fi
  done
fi
[[ -f "$lua" ]] || { echo "hep3.lua not found; pass its path" >&2; exit 1; }
out="$root/collector/src/test/resources/hep/reference"
mkdir -p "$out"

fields=(frame.number hep3.length hep3.ip_family hep3.ip_proto hep3.src_ip hep3.dst_ip hep3.src_ip6 hep3.dst_ip6
        hep3.src_port hep3.dst_port hep3.ts_sec hep3.ts_usec hep3.proto_type hep3.capture_id hep3.keepalive
        hep3.auth_key hep3.corr_id hep3.vlan hep3.node hep3.payload)
args=()
for f in "${fields[@]}"; do args+=(-e "$f"); done

for pcap in "$root"/testdata/hep/*.pcap; do
  name=$(basename "$pcap" .pcap)
  tshark -X "lua_script:$lua" -r "$pcap" -Y hep3 -T fields -E header=y -E separator=/t \
      -E occurrence=a -E aggregator='|' "${args[@]}" 2>/dev/null \
    | awk -F'\t' -v OFS='\t' -v file="$name" '
        NR == 1 { $NF = "payload_len"; print; next }
        # two HEP3 packets in one frame would be aggregated into one cell: refuse rather than guess
        $2 ~ /\|/ { print file ": frame " $1 " holds more than one HEP3 packet" > "/dev/stderr"; exit 1 }
        { $NF = length($NF) / 2; print }' > "$out/$name.tsv"
  echo "$name: $(($(wc -l < "$out/$name.tsv") - 1)) packets"
done
