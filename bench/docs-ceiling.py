#!/usr/bin/env python3
"""Elasticsearch's bulk ceiling for lean against full message documents, in the same run (issue 14).

Starts the single-node Elasticsearch of bench/e2e.sh (same distribution, heap, 1 shard, 0 replicas,
refresh 30 s), then runs io.hepstack.bench.EsCeiling (hepgen's default mix through the collector's
stages and MessageDocumentWriter, sent with the collector's BulkIndexer) once per variant, the
variants interleaved and repeated: messageFields lean / full (-Dhepstack.messageFields), each with
the default codec and with index.codec: best_compression (the day's indices created with it before
the round, on the installed templates). Prints one JSON line per round and a table; every process it
starts is stopped by its pid. Standard library only; build first (mvn -B -q -pl bench -am package -DskipTests).

  python3 bench/docs-ceiling.py [--seconds 20] [--docs 30000] [--repeat 2]
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (start_elasticsearch, delete_hep_indices, Processes, http, loadavg, machine)


def run_ceiling(es, args, fields, codec):
    e2e.delete_hep_indices(es)
    if codec != "default":
        day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y.%m.%d")
        for family in ("sip", "rtcp", "log"):
            status, body = e2e.http("PUT", f"{es}/hep-{family}-{day}", {"settings": {"index.codec": codec}})
            if status != 200:
                sys.exit(f"cannot create hep-{family}-{day}: {status} {body}")
    cmd = ["java", f"-Xmx{args.driver_heap}", f"-Dhepstack.messageFields={fields}", "-cp", e2e.BENCH_JAR,
           "io.hepstack.bench.EsCeiling", es, str(args.seconds), str(args.docs), "7001", "30s", "messages"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=e2e.REPO)
    js = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not js:
        sys.exit("EsCeiling failed:\n" + out.stdout[-3000:] + out.stderr[-3000:])
    r = json.loads(js[-1])
    status, stats = e2e.http("GET", f"{es}/hep-*/_stats/store,docs")
    prim = stats.get("_all", {}).get("primaries", {}) if status == 200 else {}
    docs = prim.get("docs", {}).get("count", 0)
    store = prim.get("store", {}).get("size_in_bytes", 0)
    r.update({"fields": fields, "codec": codec, "load": e2e.loadavg(),
              "store_bytes_per_doc": round(store / docs) if docs else None})
    print(json.dumps(r), flush=True)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=20, help="seconds of measured bulk sending per round")
    ap.add_argument("--docs", type=int, default=30000, help="distinct documents made per round")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--es-heap", default="1g")
    ap.add_argument("--driver-heap", default="2g")
    args = ap.parse_args()
    print(json.dumps({"machine": e2e.machine(), "load": e2e.loadavg(), "command": " ".join(sys.argv)}), flush=True)
    procs = e2e.Processes()
    rows = []
    try:
        es, _pid, version = e2e.start_elasticsearch(procs, args)
        for _ in range(args.repeat):
            for codec in ("default", "best_compression"):
                for fields in ("lean", "full"):
                    rows.append(run_ceiling(es, args, fields, codec))
    finally:
        procs.stop_all()
    print(f"\nElasticsearch {version}, {args.seconds} s per round, {args.docs} documents per round, load shown per round")
    print("| fields | codec | doc bytes | docs/s | store bytes/doc | load |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['fields']} | {r['codec']} | {r['mean_doc_bytes']} | {r['docs_per_s']} | {r['store_bytes_per_doc']} | {r['load']} |")


if __name__ == "__main__":
    main()
