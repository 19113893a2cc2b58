#!/usr/bin/env bash
# hepstack's set-up service (docker-compose.yml "setup"), modelled on Elastic's own compose example:
# on the first run it generates the passwords and the TLS certificates, then (every run) waits for
# Elasticsearch and makes sure the built-in kibana_system user and hepstack's least-privilege
# collector user and role exist. Each service gets only its own secrets volume.
#   /secrets/es         elastic.password                (Elasticsearch, uid 1000)
#   /secrets/kibana     kibana_system.password, ca.crt  (Kibana, uid 1000)
#   /secrets/collector  hepstack_collector.password, ca.crt (collector, uid 10001)
#   /certs              the CA and the node certificate (Elasticsearch only)
set -euo pipefail

random_password() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32; }

put_secret() { # file owner content
  umask 077
  printf '%s' "$3" > "$1"
  chown "$2":0 "$1"
  chmod 0400 "$1"
}

if [ ! -f /secrets/es/elastic.password ]; then
  echo "hepstack setup: generating passwords"
  elastic=$(random_password)
  put_secret /secrets/es/elastic.password 1000 "$elastic"
  put_secret /secrets/kibana/kibana_system.password 1000 "$(random_password)"
  put_secret /secrets/collector/hepstack_collector.password 10001 "$(random_password)"
  echo "hepstack setup: Kibana superuser 'elastic', password: $elastic (shown only this once;"
  echo "  the collector and Kibana use their own least-privilege users)"
fi

if [ ! -f /certs/ca/ca.crt ]; then
  echo "hepstack setup: creating the certificate authority and the node certificate"
  bin/elasticsearch-certutil ca --silent --pem -out /certs/ca.zip
  unzip -q -o /certs/ca.zip -d /certs
  cat > /certs/instances.yml <<'YML'
instances:
  - name: elasticsearch
    dns: [elasticsearch, localhost]
    ip: [127.0.0.1]
YML
  bin/elasticsearch-certutil cert --silent --pem --in /certs/instances.yml -out /certs/certs.zip \
    --ca-cert /certs/ca/ca.crt --ca-key /certs/ca/ca.key
  unzip -q -o /certs/certs.zip -d /certs
  rm -f /certs/ca.zip /certs/certs.zip
  chown -R 1000:0 /certs
  find /certs -type d -exec chmod 0750 {} \;
  find /certs -type f -exec chmod 0640 {} \;
fi
for s in kibana collector; do
  cp /certs/ca/ca.crt "/secrets/$s/ca.crt"
  chmod 0444 "/secrets/$s/ca.crt"
done
touch /certs/.ready

elastic=$(cat /secrets/es/elastic.password)
es() { curl -fsS --cacert /certs/ca/ca.crt -u "elastic:$elastic" -H 'Content-Type: application/json' "$@"; }

echo "hepstack setup: waiting for Elasticsearch"
until curl -s --cacert /certs/ca/ca.crt https://elasticsearch:9200 | grep -q 'missing authentication credentials'; do sleep 5; done

echo "hepstack setup: kibana_system password"
es -X POST https://elasticsearch:9200/_security/user/kibana_system/_password \
  -d "{\"password\":\"$(cat /secrets/kibana/kibana_system.password)\"}" >/dev/null

echo "hepstack setup: role and user hepstack_collector (write hep-*, manage its templates, import its dashboards)"
es -X PUT https://elasticsearch:9200/_security/role/hepstack_collector -d '{
  "cluster": ["monitor", "manage_index_templates"],
  "indices": [{"names": ["hep-*"],
               "privileges": ["create_index", "create_doc", "index", "read", "view_index_metadata", "maintenance"]}],
  "applications": [{"application": "kibana-.kibana",
                    "privileges": ["feature_savedObjectsManagement.all", "feature_dashboard.all", "feature_discover.all",
                                   "feature_visualize.all", "feature_indexPatterns.all"],
                    "resources": ["space:default"]}]
}' >/dev/null
es -X PUT https://elasticsearch:9200/_security/user/hepstack_collector -d "{
  \"password\": \"$(cat /secrets/collector/hepstack_collector.password)\",
  \"roles\": [\"hepstack_collector\"],
  \"full_name\": \"hepstack collector\"
}" >/dev/null
touch /secrets/collector/.ready
echo "hepstack setup: done"
