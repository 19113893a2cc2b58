#!/usr/bin/env bash
# Makes the tshark call references the correlation tests compare their TDRs with:
#   collector/src/test/resources/correlate/reference/<capture>.sipstat.txt  (tshark -q -z sip,stat)
#   collector/src/test/resources/correlate/reference/<capture>.calls.tsv    (one row per INVITE dialog)
#   collector/src/test/resources/correlate/reference/<capture>.messages.tsv (one row per SIP message:
#       capture time in µs, Call-ID, method, status code, CSeq number and method; tshark -T fields)
# The calls table is computed below from tshark's per-message fields only
# (-T fields -e frame.time_epoch -e sip.Call-ID -e sip.Method -e sip.Status-Code, plus the CSeq and
# the tags, which tell a response to the INVITE from one to the BYE and a re-INVITE from the INVITE),
# with the rules of docs/tdr.md ("Status", "Timings"). HEP captures are dissected with
# shared/tools/hep3.lua and timed by their HEP timestamps (hep3.ts_sec/ts_usec), not frame times.
# (tshark 4.0's -z voip,calls prints nothing, hence this.) Run once from anywhere; commit the output.
#
#   scripts/make-call-reference.sh [shared-testdata-dir]   (default: $HEPSTACK_TESTDATA or
#                                                           ../shared/testdata, /work/shared/testdata)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared=${1:-${HEPSTACK_TESTDATA:-}}
if [ -z "$shared" ]; then
  if [ -d "$repo/../shared/testdata" ]; then shared="$repo/../shared/testdata"; else shared=/work/shared/testdata; fi
fi
[ -d "$shared/pcap" ] || { echo "shared test data not found at $shared" >&2; exit 1; }
lua="$shared/../tools/hep3.lua"
out="$repo/collector/src/test/resources/correlate/reference"
mkdir -p "$out"
version=$(tshark -v 2>/dev/null | head -1)

calls() { # name time-fields... ; reads tshark rows on stdin, writes the calls table
  python3 -c '
import sys
from collections import OrderedDict

name, version, hep = sys.argv[1], sys.argv[2], sys.argv[3] == "hep"

def micros(row):
    if hep:
        return int(row[0]) * 1000000 + int(row[1] or 0)
    sec, _, frac = row[0].partition(".")
    return int(sec) * 1000000 + int((frac + "000000")[:6])

msgs = []
for line in sys.stdin:
    row = line.rstrip("\n").split("\t")
    if hep:
        t, rest = micros(row), row[2:]
    else:
        t, rest = micros(row), row[1:]
    cid, method, status, seq, cmethod, ftag, ttag = (rest + [""] * 7)[:7]
    if not cid:
        continue
    for f in (cid, method, status, seq, cmethod, ftag, ttag):
        if "|" in f:
            sys.exit("%s: a frame with several SIP messages: %s" % (name, line))
    msgs.append(dict(t=t, cid=cid, method=method, code=int(status) if status else 0,
                     seq=int(seq) if seq else -1, cmethod=cmethod, ttag=ttag))

by_call = OrderedDict()
for m in msgs:
    by_call.setdefault(m["cid"], []).append(m)

def ms(a, b):
    return "" if a is None or b is None or b < a else str((b - a) // 1000)

print("# calls of %s from tshark fields (%s); made by scripts/make-call-reference.sh" % (name, version))
print("\t".join(["call_id", "status", "final_code", "setup_ms", "answer_ms", "final_response_ms", "duration_s",
                 "sip_messages"]))
for cid, ms_ in by_call.items():
    # a call starts with an INVITE without To tag, or any response to an INVITE
    first = next((i for i, m in enumerate(ms_) if (m["method"] == "INVITE" and not m["ttag"])
                  or (m["code"] and m["cmethod"] == "INVITE")), None)
    if first is None:
        continue
    rows = ms_[first:]
    initial = [m for m in rows if m["method"] == "INVITE" and not m["ttag"]]
    attempts = {m["seq"] for m in initial} or {min(m["seq"] for m in rows if m["code"] and m["cmethod"] == "INVITE")}
    last = max(attempts)
    start = min(m["t"] for m in initial) if initial else min(m["t"] for m in rows)
    resp = [m for m in rows if m["code"] and m["cmethod"] == "INVITE" and m["seq"] in attempts]
    ring = min((m["t"] for m in resp if 180 <= m["code"] <= 189), default=None)
    oks = sorted((m for m in resp if 200 <= m["code"] < 300), key=lambda m: m["t"])
    answer = oks[0]["t"] if oks else None
    fails = sorted((m for m in resp if m["code"] >= 300 and m["seq"] == last), key=lambda m: m["t"])
    cancel = any(m["method"] == "CANCEL" and m["seq"] in (last, -1) for m in rows)
    bye = min((m["t"] for m in rows if m["method"] == "BYE"), default=None)
    provisional = any(m["code"] < 200 for m in resp)
    code = ""
    final_t = None
    if oks:
        status = "FINISHED" if bye is not None else "ANSWERED"
        code, final_t = oks[0]["code"], answer
    elif fails:
        code, final_t = fails[-1]["code"], fails[0]["t"]
        if cancel:
            status = "CANCELED"
        elif 300 <= code < 400:
            status = "MOVED"
        elif code in (486, 600):
            status = "USER_BUSY"
        elif code == 487:
            status = "CANCELED"
        elif code == 603:
            status = "DECLINE"
        elif 400 <= code < 500:
            status = "USER_FAILURE"
        else:
            status = "HARD_FAILURE"
    elif bye is not None:
        status = "FINISHED"
    elif ring is not None:
        status = "RINGING"
    elif provisional:
        status = "TRYING"
    else:
        status = "INIT"
    alerted = min([x for x in (ring, answer) if x is not None], default=None)
    start_known = start if initial else None
    duration = "" if answer is None or bye is None or bye < answer else str((bye - answer) // 1000000)
    print("\t".join([cid, status, str(code), ms(start_known, alerted), ms(start_known, answer),
                     ms(start_known, final_t), duration, str(len(rows))]))
' "$@"
}

reference() { # capture-file hep|raw
  local file=$1 kind=$2
  local name; name=$(basename "$file"); name=${name%.*}
  local opts=() timef=(-e frame.time_epoch)
  if [ "$kind" = hep ]; then
    opts=(-X "lua_script:$lua")
    timef=(-e hep3.ts_sec -e hep3.ts_usec)
  fi
  {
    echo "# tshark -q -z sip,stat for $name ($version); made by scripts/make-call-reference.sh"
    tshark -r "$file" "${opts[@]}" -q -z sip,stat 2>/dev/null
  } > "$out/$name.sipstat.txt"
  tshark -r "$file" "${opts[@]}" -Y sip -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
      "${timef[@]}" -e sip.Call-ID -e sip.Method -e sip.Status-Code -e sip.CSeq.seq -e sip.CSeq.method \
      -e sip.from.tag -e sip.to.tag 2>/dev/null \
    | calls "$name" "$version" "$kind" > "$out/$name.calls.tsv"
  {
    echo "# SIP messages of $name from tshark -T fields ($version); made by scripts/make-call-reference.sh"
    printf 'micros\tcall_id\tmethod\tstatus_code\tcseq\tcseq_method\n'
    tshark -r "$file" "${opts[@]}" -Y sip -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
        "${timef[@]}" -e sip.Call-ID -e sip.Method -e sip.Status-Code -e sip.CSeq.seq -e sip.CSeq.method 2>/dev/null \
      | python3 -c '
import sys
hep = sys.argv[1] == "hep"
for line in sys.stdin:
    row = line.rstrip("\n").split("\t")
    if hep:
        t, rest = int(row[0]) * 1000000 + int(row[1] or 0), row[2:]
    else:
        sec, _, frac = row[0].partition(".")
        t, rest = int(sec) * 1000000 + int((frac + "000000")[:6]), row[1:]
    print("\t".join([str(t)] + rest))
' "$kind"
  } > "$out/$name.messages.tsv"
  echo "$name: $(($(wc -l < "$out/$name.calls.tsv") - 2)) calls, $(($(wc -l < "$out/$name.messages.tsv") - 2)) SIP messages"
}

for f in "$repo"/testdata/pcap/*.pcap "$shared"/pcap/heplify-* "$shared"/pcap/sngrep-* "$repo"/testdata/scenarios/*.pcap; do
  reference "$f" raw
done
for f in "$repo"/testdata/hep/kamailio-hep3.pcap "$repo"/testdata/hep/kamailio-hep3-tcp.pcap \
         "$repo"/testdata/hep/hepgen-20calls.pcap; do
  reference "$f" hep
done
