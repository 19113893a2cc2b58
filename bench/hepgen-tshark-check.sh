#!/usr/bin/env bash
# Independent check of hepgen's output with tshark (Wireshark's dissectors + shared/tools/hep3.lua).
#
# Writes a pcap with a fixed seed and start time, decodes it with tshark, fails if tshark finds a
# malformed packet or an expert error, and writes tshark's view of every packet to
# tools/src/test/resources/hepgen/tshark-reference.tsv. HepgenTsharkReferenceTest regenerates the
# same pcap and compares every packet with that table, so the committed table is tshark's known answer.
#
# Usage: bench/hepgen-tshark-check.sh        (from the repository root; needs mvn, java, tshark)
set -euo pipefail
cd "$(dirname "$0")/.."
LUA="${HEP3_LUA:-$(pwd)/../shared/tools/hep3.lua}"
[ -f "$LUA" ] || LUA=/work/shared/tools/hep3.lua
command -v tshark >/dev/null || { echo "tshark is not installed (apt-get install tshark)" >&2; exit 1; }
[ -f "$LUA" ] || { echo "hep3.lua not found (set HEP3_LUA)" >&2; exit 1; }

OUT=tools/target/hepgen-check
mkdir -p "$OUT"
mvn -B -q -pl tools -am test-compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$(pwd)/$OUT/cp.txt" >/dev/null
CP="tools/target/classes:$(cat "$OUT/cp.txt")"

# keep these arguments identical to HepgenTsharkReferenceTest.ARGS
ARGS=(--pcap "$OUT/hepgen-check.pcap" --calls 30 --registrations 8 --seed 2026 --start 2026-01-01T00:00:00Z
      --cps 5 --rps 2 --capture-id 2001 --node hepgen-01 --auth-key myHep --call-duration uniform:5-40 --rtcp-interval 10)
java -cp "$CP" io.hepstack.tools.hepgen.HepgenCommand "${ARGS[@]}"

TS=(tshark -X "lua_script:$LUA" -r "$OUT/hepgen-check.pcap")
bad=$("${TS[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"' 2>/dev/null | wc -l)
if [ "$bad" -ne 0 ]; then
  echo "tshark found $bad malformed or erroneous packets:" >&2
  "${TS[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"' >&2
  exit 1
fi

REF=tools/src/test/resources/hepgen/tshark-reference.tsv
{
  echo "# tshark $(tshark --version | head -1 | sed 's/^TShark (Wireshark) //') + hep3.lua on: hepgen ${ARGS[*]}"
  echo "# frame	time_epoch	proto_type	src_ip	src_port	dst_ip	dst_port	capture_id	node	auth_key	corr_id	sip_method	sip_status	sip_call_id	sip_cseq	sdp_media_port	json_first_number (ntp_timestamp_sec)"
  "${TS[@]}" -T fields -E separator=/t -E occurrence=f \
    -e frame.number -e frame.time_epoch -e hep3.proto_type -e hep3.src_ip -e hep3.src_port -e hep3.dst_ip \
    -e hep3.dst_port -e hep3.capture_id -e hep3.node -e hep3.auth_key -e hep3.corr_id -e sip.Method \
    -e sip.Status-Code -e sip.Call-ID -e sip.CSeq.seq -e sdp.media.port -e json.value.number 2>/dev/null
} > "$REF"
echo "tshark: $(grep -vc '^#' "$REF") packets decoded, none malformed; reference written to $REF"
"${TS[@]}" -q -z io,phs 2>/dev/null | sed -n '1,20p'
