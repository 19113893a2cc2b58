#!/usr/bin/env bash
# Checks hepstack against an independent HEP sender: Kamailio's siptrace module mirrors real SIPp
# calls through a proxy to the collector, over UDP and then over TCP, and the script compares what
# Elasticsearch holds with what SIPp says it did. Needs the Debian packages kamailio and sip-tester.
# Uses its own ports (HEP 19060, API 18080/18081, Elasticsearch 19200) and data under /tmp.
#
#   ./scripts/kamailio-siptrace-check.sh [calls]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-10}
work=$(mktemp -d /tmp/hepstack-kamailio.XXXXXX)
chmod 755 "$work"
jar=collector/target/collector.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

java -Ddw.hep.udp.port=19060 -Ddw.hep.tcp.port=19060 -Ddw.server.applicationConnectors[0].port=18080 \
     -Ddw.server.adminConnectors[0].port=18081 -Ddw.elasticsearch.embedded.httpPort=19200 \
     -Ddw.elasticsearch.embedded.dataDir="$work/es" -Ddw.elasticsearch.spool.dir="$work/spool" \
     -Ddw.elasticsearch.templates.refreshInterval=1s \
     -jar "$jar" server collector/config.yml >"$work/collector.log" 2>&1 &
pids+=($!)
for i in $(seq 1 180); do curl -fsS localhost:18081/healthcheck >/dev/null 2>&1 && break; sleep 1; done
curl -fsS localhost:18081/healthcheck >/dev/null || { tail -30 "$work/collector.log"; exit 1; }

es=http://127.0.0.1:19200
fail=0
for transport in udp tcp; do
  uri="sip:127.0.0.1:19060"; [ "$transport" = tcp ] && uri="sip:127.0.0.1:19060;transport=tcp"
  kamailio -f scripts/kamailio/kamailio.cfg -A "HEP_URI=\"$uri\"" -DD -E -P "$work/kamailio.pid" >"$work/kamailio-$transport.log" 2>&1 &
  kpid=$!; pids+=($kpid)
  sipp -sn uas -i 127.0.0.1 -p 5070 -bg >/dev/null 2>&1 || true
  sleep 1
  sipp -sn uac 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -m "$calls" -r 10 -d 300 -trace_stat -stf "$work/uac-$transport.csv" >/dev/null 2>&1 || true
  sleep 1
  pkill -f 'sipp -sn uas -i 127.0.0.1 -p 5070' || true
  kill "$kpid"; wait "$kpid" 2>/dev/null || true
  sleep 3
  curl -fsS -XPOST "$es/hep-sip-*/_refresh" >/dev/null
  q='{"size":0,"query":{"bool":{"filter":[{"term":{"hep.capture_id":3001}},{"term":{"network.transport":"udp"}}]}},"aggs":{"m":{"terms":{"field":"sip.method","size":20}},"c":{"terms":{"field":"sip.code","size":20}},"calls":{"cardinality":{"field":"sip.call_id"}},"t":{"terms":{"field":"hep.transport"}}}}'
  res=$(curl -fsS -H 'Content-Type: application/json' "$es/hep-sip-*/_search" -d "$q")
  echo "== HEP over $transport (cumulative): $res" | python3 -c "import sys,json; l=sys.stdin.read(); h,j=l.split(': ',1); d=json.loads(j); a=d['aggregations']; print(h, 'messages', d['hits']['total']['value'], 'calls', a['calls']['value'], {b['key']:b['doc_count'] for b in a['m']['buckets']}, {b['key']:b['doc_count'] for b in a['c']['buckets']}, {b['key']:b['doc_count'] for b in a['t']['buckets']})"
done
curl -fsS localhost:18081/metrics | python3 -c "import json,sys; d=json.load(sys.stdin)['meters']; print({k:v['count'] for k,v in d.items() if k.startswith('hep.') and v['count']})"
# each call through the proxy: INVITE, 100 (from the proxy's stateless forward? no: SIPp UAS), 180, 200, ACK, BYE, 200 — seen received and sent
exp=$((calls * 2))
got=$(curl -fsS -H 'Content-Type: application/json' "$es/hep-sip-*/_search" -d '{"size":0,"query":{"bool":{"filter":[{"term":{"hep.capture_id":3001}},{"term":{"sip.method":"INVITE"}},{"term":{"sip.type":"request"}}]}}}' | python3 -c "import sys,json; print(json.load(sys.stdin)['hits']['total']['value'])")
echo "INVITE requests stored: $got (expected $((exp * 2)): $calls calls x 2 runs x in+out of the proxy)"
[ "$got" = "$((exp * 2))" ] || fail=1
echo "logs in $work"
exit $fail
