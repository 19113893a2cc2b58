#!/usr/bin/env bash
# Makes the tshark reference tables the SIP parser tests compare against:
#   collector/src/test/resources/sip/reference/<capture>.tsv
# One row per SIP message tshark dissects (frame number first), tab-separated, with the tshark
# field names as header; fields that occur several times in a message (Via, SDP media, ...)
# are joined with ','. Run it once from anywhere; commit the tables. The captures are the
# repo copies (testdata/) and the AGPL/GPL ones in the shared folder, which stay there.
#
#   scripts/make-sip-reference.sh [shared-testdata-dir]   (default: $HEPSTACK_TESTDATA or
#                                                          ../shared/testdata, /work/shared/testdata)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared=${1:-${HEPSTACK_TESTDATA:-}}
if [ -z "$shared" ]; then
  if [ -d "$repo/../shared/testdata" ]; then shared="$repo/../shared/testdata"; else shared=/work/shared/testdata; fi
fi
[ -d "$shared/pcap" ] || { echo "shared test data not found at $shared" >&2; exit 1; }
lua="$shared/../tools/hep3.lua"
out="$repo/collector/src/test/resources/sip/reference"
mkdir -p "$out"

fields=(
  frame.number ip.src ipv6.src ip.dst ipv6.dst tcp.srcport tcp.dstport sctp.srcport sctp.dstport
  sip.Method sip.Status-Code sip.Status-Line sip.Call-ID sip.CSeq.seq sip.CSeq.method
  sip.r-uri.user sip.r-uri.host sip.r-uri.port
  sip.from.display.info sip.from.user sip.from.host sip.from.tag
  sip.to.display.info sip.to.user sip.to.host sip.to.tag
  sip.Via.transport sip.Via.sent-by.address sip.Via.sent-by.port sip.Via.branch sip.Via.received sip.Via.rport
  sip.contact.user sip.contact.host
  sip.User-Agent sip.Server sip.Content-Type sip.Content-Length sip.Max-Forwards sip.Expires
  sip.pai.user sip.pai.host sip.Reason
  sdp.owner.username sdp.owner.sessionid sdp.owner.address sdp.session_name sdp.connection_info.address
  sdp.media.media sdp.media.port sdp.media.proto sdp.mime.type sdp.sample_rate
)
args=()
for f in "${fields[@]}"; do args+=(-e "$f"); done

table() { # capture-file [extra tshark options...]
  local file=$1; shift
  local name; name=$(basename "$file")
  {
    echo "# tshark reference for $name: $(tshark -v 2>/dev/null | head -1); made by scripts/make-sip-reference.sh"
    tshark -r "$file" "$@" -Y sip -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, "${args[@]}" 2>/dev/null
  } > "$out/${name%.*}.tsv"
  echo "$name: $(($(wc -l < "$out/${name%.*}.tsv") - 2)) SIP messages"
}

for f in "$repo"/testdata/pcap/*.pcap "$shared"/pcap/heplify-* "$shared"/pcap/sngrep-*; do
  table "$f"
done
for f in "$repo"/testdata/hep/*.pcap; do
  table "$f" -X "lua_script:$lua"
done
