#!/usr/bin/env bash
# Runs hepstack's main job on this machine: builds the collector if needed, starts it with its own
# Elasticsearch (embedded mode, data under ./data/), feeds it sample traffic and shows what landed.
# The collector keeps running until Ctrl-C (or use --exit to stop after the sample traffic).
#
#   ./scripts/run.sh [--exit] [extra -Ddw.* JVM options ...]
set -euo pipefail
cd "$(dirname "$0")/.."

exit_after=0
jvm_opts=()
for a in "$@"; do
  case "$a" in
    --exit) exit_after=1 ;;
    *) jvm_opts+=("$a") ;;
  esac
done

jar=collector/target/collector.jar
if [ ! -f "$jar" ] || [ -n "$(find collector/src tools/src enricher/src index-templates kibana pom.xml collector/pom.xml tools/pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo ">> building the collector (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

mkdir -p data
log=data/collector.log
echo ">> starting the collector (log: $log); it provisions Elasticsearch under ./data/elasticsearch"
java ${JAVA_OPTS:-} "${jvm_opts[@]}" -jar "$jar" server collector/config.yml >"$log" 2>&1 &
pid=$!
stop() {
  if kill -0 "$pid" 2>/dev/null; then
    echo ">> stopping the collector (pid $pid) and its Elasticsearch"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM

admin=http://127.0.0.1:8081
for i in $(seq 1 240); do
  if curl -fsS "$admin/healthcheck" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "!! the collector stopped; last lines of $log:"; tail -n 40 "$log"; exit 1; fi
  sleep 1
done
curl -fsS "$admin/healthcheck" >/dev/null || { echo "!! collector not healthy after 240 s; see $log"; tail -n 40 "$log"; exit 1; }
echo ">> collector is up: HEP on udp/tcp 9060, API and web UI on :8080 (login required), admin on 127.0.0.1:8081, Elasticsearch on :9200"

# first start: the collector created data/users.yml with user 'admin' and printed its password once
api=http://127.0.0.1:8080
password=$(grep -o 'initial admin password: [^ ]*' "$log" | head -n 1 | awk '{print $NF}' || true)
if [ -n "$password" ]; then
  echo ">> log in at $api as admin, password: $password"
  echo "   (printed only on this first start, stored only as a bcrypt hash in data/users.yml: note it now; docs/security.md)"
else
  echo ">> log in at $api as admin with the password printed on the first start (data/users.yml holds only its hash;"
  echo "   to start over: stop the collector, delete data/users.yml, start it again; docs/security.md)"
fi

echo ">> sample traffic"
if java -jar "$jar" hepgen --help >/dev/null 2>&1; then
  java -jar "$jar" hepgen --host 127.0.0.1 --port 9060 --calls 50 --registrations 20 --rate 500 --start now --seed 1
fi
java -jar "$jar" replay testdata/hep/hepgen-20calls.pcap testdata/hep/kamailio-hep3.pcap --rate 2000
java -jar "$jar" replay testdata/hep/kamailio-hep3-tcp.pcap --transport tcp

es=http://127.0.0.1:9200
# counts after the collector has drained: refresh and re-count until two counts in a row agree
prev=-1
for i in $(seq 1 30); do
  sleep 2
  curl -fsS -X POST "$es/hep-*/_refresh" >/dev/null 2>&1 || continue
  now=$(curl -fsS "$es/hep-*/_count" 2>/dev/null | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
  if [ -n "$now" ] && [ "$now" = "$prev" ] && [ "$now" != 0 ]; then break; fi
  prev=$now
done
echo ">> documents in Elasticsearch (after a refresh):"
curl -fsS "$es/_cat/indices/hep-*?v&h=index,docs.count&s=index"
echo
if [ -n "$password" ]; then
  echo ">> the call API, logged in as admin:"
  jar_cookies=data/.run-cookies
  curl -fsS -c "$jar_cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$api/api/v1/auth/login" >/dev/null
  curl -fsS -b "$jar_cookies" "$api/api/v1/calls?limit=1" | head -c 300; echo
  rm -f "$jar_cookies"
fi
echo ">> try:"
echo "   curl '$es/hep-sip-*/_search?q=sip.method:INVITE&size=1&pretty'"
echo "   curl '$es/hep-tdr-*/_search?size=1&pretty'"
echo "   curl '$admin/healthcheck?pretty'   curl '$admin/prometheus'"
echo "   curl -c cookies -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"...\"}' $api/api/v1/auth/login"
echo "   curl -b cookies '$api/api/v1/calls?limit=5'"

if [ "$exit_after" = 1 ]; then
  exit 0
fi
echo ">> collector running (pid $pid); Ctrl-C stops it"
wait "$pid"
