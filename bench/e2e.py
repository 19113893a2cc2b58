#!/usr/bin/env python3
"""End-to-end benchmark: hepgen -> collector -> Elasticsearch, against Elasticsearch's own ceiling.

Run it through bench/e2e.sh (which builds the jars when needed). Standard library only.

  (a) Elasticsearch's bulk ceiling for our documents: io.hepstack.bench.EsCeiling sends
      pre-serialised documents (hepgen traffic through the collector's parse/enrich stages and
      its MessageDocumentWriter) with the collector's BulkIndexer and bulk settings.
  (b) the collector (external mode, that Elasticsearch, HEP/UDP on a free port) fed by hepgen at
      increasing rates, each step with its own seed; per step: sent, received, indexed, lost and
      where, drain time, collector and Elasticsearch CPU, collector heap, and (b)/(a).

Every process it starts (Elasticsearch, collector, hepgen, drivers) is stopped by its own pid.
Results: bench/results/e2e-<UTC date>.txt and .json.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COLLECTOR_JAR = os.path.join(REPO, "collector/target/collector.jar")
BENCH_JAR = os.path.join(REPO, "bench/target/benchmarks.jar")
WORK = os.path.join(REPO, "bench/target/e2e")
CLK_TCK = os.sysconf("SC_CLK_TCK")
MESSAGE_FAMILIES = ("sip", "rtcp", "log")  # documents of captured messages (TDRs and alerts are extra)
RMEM_WANTED = 32 << 20
BULK_ACTIONS = 5000  # collector/config.yml elasticsearch.bulk.maxActions


def log(msg):
    print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=30):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text.strip() and text.strip()[0] in "{[" else text)
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (its threads included)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def thread_ticks(pid):
    """utime + stime per thread group of a process, in clock ticks: threads named alike once their
    digits are dropped ("GC Thread#0" and "GC Thread#1" are "GC Thread#"), so a step can say which
    threads took the collector's CPU, the garbage collector's included (JFR samples only Java code)."""
    out = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/stat") as f:
                text = f.read()
        except OSError:
            continue
        name = re.sub(r"[0-9]+", "", text[text.index("(") + 1:text.rindex(")")]).strip() or "?"
        fields = text.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0) + int(fields[11]) + int(fields[12])
        out[name + SYS] = out.get(name + SYS, 0) + int(fields[12])  # of it in the kernel (system calls)
    return out


SYS = " [sys]"


def thread_split(t0, t1, messages, kernel=False):
    """µs of CPU per message by thread group between two thread_ticks readings, largest first;
    kernel: of it in the kernel, for the same groups."""
    d = {k: v - t0.get(k, 0) for k, v in t1.items() if not k.endswith(SYS)}
    top = sorted(((v, k) for k, v in d.items() if v > 0), reverse=True)[:8]
    if kernel:
        return {k: round(1e6 * (t1.get(k + SYS, 0) - t0.get(k + SYS, 0)) / CLK_TCK / max(1, messages), 1) for v, k in top}
    return {k: round(1e6 * v / CLK_TCK / max(1, messages), 1) for v, k in top}


def udp_rcvbuf_errors():
    """Kernel-wide UDP datagrams dropped because a socket buffer was full (RcvbufErrors)."""
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Udp:")]
    head, vals = lines[0], lines[1]
    return int(vals[head.index("RcvbufErrors")])


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {"cores": os.cpu_count(), "cpu": model, "memory_gib": round(mem_kb / 1048576, 1),
            "kernel": platform.release(), "jvm": java[1] if len(java) > 1 else java[0]}


class Processes:
    """Everything this run started, stopped by pid on exit."""

    def __init__(self):
        self.items = []  # (name, pid, popen or None)

    def add(self, name, pid, popen=None):
        self.items.append((name, pid, popen))

    def stop_all(self):
        for name, pid, popen in reversed(self.items):
            stop_pid(name, pid, popen)
        self.items.clear()


def stop_pid(name, pid, popen=None, timeout=60):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + timeout
    while time.time() < deadline:
        if popen is not None:
            if popen.poll() is not None:
                return
        else:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.5)
    log(f"{name} (pid {pid}) did not stop in {timeout} s: killing it")
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Metrics:
    def __init__(self, admin_url):
        self.url = admin_url + "/metrics"

    def get(self):
        status, body = http("GET", self.url, timeout=10)
        if status != 200:
            raise RuntimeError(f"GET {self.url}: {status}")
        return body

    @staticmethod
    def meter(m, name):
        return m.get("meters", {}).get(name, {}).get("count", 0)

    @staticmethod
    def gauge(m, name):
        v = m.get("gauges", {}).get(name, {}).get("value", 0)
        return v if isinstance(v, (int, float)) else 0

    @staticmethod
    def sum_meters(m, prefix, suffix):
        return sum(v.get("count", 0) for k, v in m.get("meters", {}).items() if k.startswith(prefix) and k.endswith(suffix))


def start_elasticsearch(procs, args):
    zips = sorted(glob.glob(os.path.join(REPO, "collector/target/elasticsearch-*.zip")))
    if not zips:
        sys.exit("no Elasticsearch distribution in collector/target/ (build with: mvn -B -q package -DskipTests)")
    es_dir = os.path.join(WORK, "es")
    for sub in ("data", "logs", "elasticsearch.pid"):
        p = os.path.join(es_dir, sub)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    os.makedirs(es_dir, exist_ok=True)
    log(f"starting Elasticsearch ({os.path.basename(zips[-1])}, heap {args.es_heap}) under {es_dir}")
    out = subprocess.run(["java", "-cp", BENCH_JAR, "io.hepstack.bench.E2eElasticsearch", zips[-1], es_dir, args.es_heap],
                         capture_output=True, text=True)
    line = [l for l in out.stdout.splitlines() if l.startswith("url=")]
    if out.returncode != 0 or not line:
        sys.exit("Elasticsearch did not start:\n" + out.stdout[-3000:] + out.stderr[-3000:])
    kv = dict(x.split("=", 1) for x in line[-1].split())
    pid = int(kv["pid"])
    procs.add("elasticsearch", pid)
    status, info = http("GET", kv["url"] + "/_nodes/_local?filter_path=nodes.*.version")
    version = next(iter(info.get("nodes", {}).values()), {}).get("version", "?") if status == 200 else "?"
    log(f"Elasticsearch {version} on {kv['url']} (pid {pid})")
    return kv["url"], pid, version


def delete_hep_indices(es):
    status, rows = http("GET", es + "/_cat/indices/hep-*?format=json&h=index")
    for r in rows if status == 200 else []:
        http("DELETE", es + "/" + r["index"])


def count_documents(es, families):
    http("POST", es + "/hep-*/_refresh")
    total = 0
    for f in families:
        status, body = http("GET", f"{es}/hep-{f}-*/_count")
        total += body.get("count", 0) if status == 200 else 0
    return total


def ceiling(es, args, mix):
    log(f"(a) Elasticsearch ceiling ({mix}): pre-serialised documents, collector bulk settings, {args.ceiling_seconds} s")
    cmd = ["java", f"-Xmx{args.driver_heap}", "-cp", BENCH_JAR, "io.hepstack.bench.EsCeiling", es,
           str(args.ceiling_seconds), str(args.ceiling_docs), "7001", args.refresh, mix]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    js = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not js:
        sys.exit("EsCeiling failed:\n" + out.stdout[-3000:] + out.stderr[-3000:])
    result = json.loads(js[-1])
    log(f"(a) {result['indexed']} documents in {result['seconds']} s: {result['docs_per_s']} docs/s "
        f"({result['mean_doc_bytes']} bytes each, {result['records_per_message']} TDR upserts per message): "
        f"{result['messages_per_s']} messages/s")
    return result


def start_collector(procs, es, args, run_dir, rcvbuf, extra=None, udp=None, log_name="collector.log"):
    """extra: more -Ddw overrides; udp: the HEP port (a restart keeps it); bench/chaos.py uses both."""
    udp = udp or free_udp_port()
    app, admin = free_port(), free_port()
    env = dict(os.environ, ES_MODE="external", ES_URL=es, KIBANA_URL="", HEP_AUTH_KEY="")
    jvm = [f"-Xmx{args.collector_heap}"]
    if args.jfr:
        jvm.append(f"-XX:StartFlightRecording=filename={run_dir}/collector.jfr,settings=profile,dumponexit=true")
    if getattr(args, "gc_log", False):
        jvm.append(f"-Xlog:gc*:file={run_dir}/collector-gc.log:uptime,level,tags")
    jvm += getattr(args, "jvm_opt", None) or []
    dw = {
        "hep.udp.port": udp, "hep.udp.receiveBufferBytes": rcvbuf, "hep.tcp.enabled": "false",
        "server.applicationConnectors[0].port": app, "server.adminConnectors[0].port": admin,
        "elasticsearch.templates.refreshInterval": args.refresh,
        "elasticsearch.spool.dir": os.path.join(run_dir, "spool"),
        "elasticsearch.embedded.dataDir": os.path.join(run_dir, "unused-embedded"),
        "pipeline.spill.dir": os.path.join(run_dir, "buffer"),
        "fraud.checkpoint.file": os.path.join(run_dir, "fraud", "state.json"),
    }
    dw.update(extra or {})
    cmd = ["java"] + jvm + [f"-Ddw.{k}={v}" for k, v in dw.items()] + ["-jar", COLLECTOR_JAR, "server", "collector/config.yml"]
    logf = open(os.path.join(run_dir, log_name), "a")
    p = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=logf, stderr=subprocess.STDOUT)
    procs.add("collector", p.pid, p)
    admin_url = f"http://127.0.0.1:{admin}"
    log(f"(b) collector pid {p.pid}: HEP udp {udp}, admin {admin_url}, heap {args.collector_heap}")
    deadline = time.time() + 180
    while time.time() < deadline:
        if p.poll() is not None:
            sys.exit(f"collector exited ({p.returncode}); see {run_dir}/collector.log")
        try:
            status, body = http("GET", admin_url + "/healthcheck", timeout=5)
            if status == 200:
                return p, udp, admin_url, cmd
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            pass
        time.sleep(1)
    sys.exit(f"collector not healthy after 180 s; see {run_dir}/collector.log")


class HeapSampler(threading.Thread):
    def __init__(self, metrics):
        super().__init__(daemon=True)
        self.metrics = metrics
        self.used = 0
        self.committed = 0
        self.old_after_gc = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                m = self.metrics.get()
                self.used = max(self.used, Metrics.gauge(m, "jvm.memory.heap.used"))
                self.committed = max(self.committed, Metrics.gauge(m, "jvm.memory.heap.committed"))
                self.old_after_gc = max(self.old_after_gc, Metrics.gauge(m, "jvm.memory.pools.G1-Old-Gen.used-after-gc"))
            except Exception:
                pass
            self.stop.wait(2)  # /metrics costs the collector some CPU: do not poll it harder


def snapshot(metrics):
    m = metrics.get()
    return {
        "received": Metrics.meter(m, "hep.udp.received"),
        "dropped_queue": Metrics.meter(m, "hep.udp.dropped_queue_full"),
        "rejected": Metrics.sum_meters(m, "hep.udp.rejected.", ""),
        "indexed": sum(Metrics.meter(m, f"index.{f}.indexed") for f in MESSAGE_FAMILIES),
        "duplicates": Metrics.meter(m, "index.duplicates"),
        "failed": Metrics.sum_meters(m, "index.", ".failed"),
        "spooled": Metrics.meter(m, "index.spool.written"),
        "spool_lost": Metrics.meter(m, "index.spool.lost"),
        "retried": Metrics.meter(m, "index.retried"),
        "queued": Metrics.gauge(m, "pipeline.queued"),
        "in_flight": Metrics.gauge(m, "index.in_flight"),
        # overload is lag: what the pipeline queue spilled to disk and read back
        "spilled": Metrics.meter(m, "pipeline.spill.written"),
        "spill_read": Metrics.meter(m, "pipeline.spill.read"),
        "held": Metrics.gauge(m, "reorder.held"),
        # live calls and transactions the correlator had to evict at its cap (incomplete TDRs): not
        # message loss, but the heap was too small for the traffic's live calls
        "evicted": Metrics.meter(m, "correlate.evictions"),
        # the documents besides messages, per family (tdr, alert, ...): what each message costs Elasticsearch besides its own
        "other_by_family": {k[len("index."):-len(".indexed")]: v.get("count", 0) for k, v in m.get("meters", {}).items()
                            if k.startswith("index.") and k.endswith(".indexed")
                            and k[len("index."):-len(".indexed")] not in MESSAGE_FAMILIES},
    }


def waiting(s):
    """Messages not yet handed to Elasticsearch: queued in memory, spilled and not read back, in flight."""
    return s["queued"] + s["in_flight"] + max(0, s["spilled"] - s["spill_read"]) + s["held"]


def stored_between(a, b):
    """Message documents stored (or found stored already) between two snapshots."""
    return b["indexed"] + b["duplicates"] - a["indexed"] - a["duplicates"]


def accepted_between(a, b):
    """Messages the collector accepted between two snapshots (received, not rejected, not dropped)."""
    return (b["received"] - a["received"]) - (b["rejected"] - a["rejected"]) - (b["dropped_queue"] - a["dropped_queue"])


def step(rate, seed, args, udp, metrics, collector_pid, es_pid, es, ceiling_rate):
    before = snapshot(metrics)
    count_before = count_documents(es, MESSAGE_FAMILIES)
    c0, e0, k0 = cpu_ticks(collector_pid), cpu_ticks(es_pid), udp_rcvbuf_errors()
    threads0 = thread_ticks(collector_pid)
    heap = HeapSampler(metrics)
    heap.start()
    t0 = time.time()
    cmd = ["java", "-jar", COLLECTOR_JAR, "hepgen", "--host", "127.0.0.1", "--port", str(udp), "--rate", str(rate),
           "--duration", str(args.duration), "--seed", str(seed), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    t_sent = time.time()
    c1, e1 = cpu_ticks(collector_pid), cpu_ticks(es_pid)
    at_end = snapshot(metrics)
    backlog = waiting(at_end)
    start = out.stdout.find("{")
    if out.returncode != 0 or start < 0:
        raise RuntimeError("hepgen failed:\n" + out.stdout[-2000:] + out.stderr[-2000:])
    sent = json.loads(out.stdout[start:])
    # drained: nothing queued in the pipeline, nothing buffered or in flight in the bulk indexer
    drain_deadline = time.time() + args.drain_timeout

    def stored_since(s):
        return stored_between(before, s)

    def accepted_since(s):
        return accepted_between(before, s)
    while True:
        now = snapshot(metrics)
        # drained: every message the collector accepted in this step has its document (one each), and
        # nothing waits in its queues; the gauges alone miss what a stage holds (reorder window, orphans)
        if waiting(now) == 0 and stored_since(now) >= accepted_since(now):
            break
        if time.time() > drain_deadline:
            log(f"   not drained after {args.drain_timeout} s: {now['queued']} queued, {now['in_flight']} in flight, "
                f"{now['spilled'] - now['spill_read']} spilled, {now['held']} held by the reorder window, "
                f"{accepted_since(now) - stored_since(now)} accepted without a document yet")
            break
        time.sleep(1)
    t_drained = time.time()
    c2 = cpu_ticks(collector_pid)
    threads2 = thread_ticks(collector_pid)
    heap.stop.set()
    heap.join()
    after = snapshot(metrics)
    k1 = udp_rcvbuf_errors()
    stored = count_documents(es, MESSAGE_FAMILIES) - count_before
    d = {k: after[k] - before[k] for k in before if k not in ("queued", "in_flight", "held", "other_by_family")}
    others = {f: n - before["other_by_family"].get(f, 0) for f, n in after["other_by_family"].items()}
    sent_n = sent["packets"]
    indexed = d["indexed"] + d["duplicates"]
    lost = sent_n - indexed
    send_s = t_sent - t0
    row = {
        "rate": rate, "seed": seed, "sent": sent_n, "send_errors": sent["send_errors"],
        "rate_achieved": sent["rate_achieved"], "received": d["received"], "indexed": indexed,
        "stored_count": stored, "other_documents": sum(others.values()), "lost": lost,
        "other_documents_by_family": {f: n for f, n in sorted(others.items()) if n},
        "lost_socket": sent_n - d["received"] - d["rejected"], "kernel_rcvbuf_errors": k1 - k0,
        "lost_queue": d["dropped_queue"], "spilled": d["spilled"], "rejected": d["rejected"], "evicted": d["evicted"],
        "lost_bulk": d["failed"] + d["spool_lost"], "spooled": d["spooled"], "bulk_retries": d["retried"],
        "drain_s": round(t_drained - t_sent, 1), "send_s": round(send_s, 1), "backlog_at_end": backlog,
        "collector_cpu_pct": round(100.0 * (c1 - c0) / CLK_TCK / send_s, 1),
        # the collector's whole CPU for the step (sending and draining) per message sent
        "collector_cpu_us_per_msg": round(1e6 * (c2 - c0) / CLK_TCK / max(1, sent_n), 1),
        "es_cpu_pct": round(100.0 * (e1 - e0) / CLK_TCK / send_s, 1),
        # the same CPU split by thread (names without digits), µs per message sent
        "collector_threads_us_per_msg": thread_split(threads0, threads2, sent_n),
        "collector_threads_kernel_us_per_msg": thread_split(threads0, threads2, sent_n, kernel=True),
        "heap_used_max_mb": round(heap.used / 1048576), "heap_committed_max_mb": round(heap.committed / 1048576),
        "old_gen_after_gc_max_mb": round(heap.old_after_gc / 1048576),
        "ratio_to_ceiling": round(rate / ceiling_rate, 3) if ceiling_rate else None,
        "load_after": loadavg(),
    }
    row["zero_loss"] = lost == 0
    # keeping up: when the sender stopped, no more was waiting than the bulk pipeline holds in normal
    # operation (two requests in flight and two flush intervals of traffic); more means a backlog
    # that grew during the step, which a longer step would turn into loss
    row["kept_up"] = backlog <= 2 * BULK_ACTIONS + 2 * rate
    return row


COLUMNS = [("rate", "rate/s"), ("sent", "sent"), ("received", "received"), ("indexed", "indexed"), ("lost", "lost"),
           ("lost_socket", "socket"), ("lost_queue", "queue"), ("lost_bulk", "bulk"), ("spilled", "spilled"), ("evicted", "evicted"), ("other_documents", "TDR+alerts"), ("backlog_at_end", "backlog"), ("drain_s", "drain s"),
           ("collector_cpu_pct", "coll CPU%"), ("collector_cpu_us_per_msg", "µs/msg"), ("es_cpu_pct", "ES CPU%"), ("heap_used_max_mb", "heap MB"), ("old_gen_after_gc_max_mb", "old MB"),
           ("ratio_to_ceiling", "(b)/(a)"), ("ratio_to_mix_ceiling", "(b)/(a mix)"), ("ratio_to_reference", "(b)/(a 642)")]


def table(rows):
    head = [h for _, h in COLUMNS]
    body = [[str(r[k]) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(head[i]), *(len(b[i]) for b in body)) if body else len(head[i]) for i in range(len(head))]
    lines = ["  ".join(head[i].rjust(widths[i]) for i in range(len(head)))]
    lines += ["  ".join(b[i].rjust(widths[i]) for i in range(len(head))) for b in body]
    return "\n".join(lines)


def raise_rmem(info):
    """Raises net.core.rmem_max to RMEM_WANTED for the run when root (UDP socket buffer); returns the
    receive buffer to ask for and a function that restores the old limit."""
    rmem_file = "/proc/sys/net/core/rmem_max"
    rmem_old = int(open(rmem_file).read())
    rmem_restore = None
    rcvbuf = 8 << 20
    if rmem_old < RMEM_WANTED and os.geteuid() == 0:
        try:
            with open(rmem_file, "w") as f:
                f.write(str(RMEM_WANTED))
            rmem_restore = rmem_old
            rcvbuf = RMEM_WANTED
            log(f"net.core.rmem_max raised from {rmem_old} to {RMEM_WANTED} for the run (restored at the end)")
        except OSError as e:
            log(f"cannot raise net.core.rmem_max ({e}); the UDP buffer stays at most {rmem_old} bytes")
    elif rmem_old >= RMEM_WANTED:
        rcvbuf = RMEM_WANTED
    info["udp_receive_buffer"] = {"requested": rcvbuf, "rmem_max": max(rmem_old, rcvbuf if rmem_restore else rmem_old),
                                  "rmem_max_before": rmem_old}

    def restore():
        if rmem_restore is not None:
            with open(rmem_file, "w") as f:
                f.write(str(rmem_restore))
            log(f"net.core.rmem_max restored to {rmem_restore}")

    return rcvbuf, restore


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rates", default="auto",
                    help="packets/s, in order; auto: 25, 40, 55, 70, 85 and 100%% of the message-document ceiling (a)")
    ap.add_argument("--warmup", type=int, default=60, help="seconds of unmeasured traffic before the first step (the JIT compiler: 20 s left it 35-58 µs per message of the first step)")
    ap.add_argument("--duration", type=int, default=30, help="seconds of sending per rate")
    ap.add_argument("--ceiling-seconds", type=int, default=40, help="seconds of measured bulk sending in (a)")
    ap.add_argument("--ceiling-docs", type=int, default=100000, help="distinct documents made for (a)")
    ap.add_argument("--es-heap", default="1g")
    ap.add_argument("--collector-heap", default="512m",
                    help="-Xmx of the collector: the target is to run without loss in under 512 MB of heap")
    ap.add_argument("--driver-heap", default="2g", help="-Xmx of the (a) driver")
    ap.add_argument("--refresh", default="30s", help="index refresh interval during the run")
    ap.add_argument("--drain-timeout", type=int, default=120)
    ap.add_argument("--stop-after-losses", type=int, default=2, help="stop after this many consecutive steps with loss")
    ap.add_argument("--jfr", action="store_true", help="record the collector with JFR (profile settings) during (b)")
    ap.add_argument("--gc-log", action="store_true", help="log the collector's garbage collections to collector-gc.log in the run folder")
    ap.add_argument("--jvm-opt", action="append", metavar="OPTION", help="one more JVM option for the collector (repeatable), e.g. --jvm-opt=-XX:+UseParallelGC")
    ap.add_argument("--skip-ceiling", action="store_true", help="skip (a) (no ratio then)")
    ap.add_argument("--tag", default="", help="added to the result file names")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a collector setting for the run (a -Ddw override, e.g. pipeline.indexThreadBatches=0); repeatable")
    args = ap.parse_args()

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    run_dir = os.path.join(WORK, "run-" + stamp)
    os.makedirs(run_dir, exist_ok=True)
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "load_before": loadavg(),
            "command": "bench/e2e.sh " + " ".join(sys.argv[1:]), "settings": vars(args)}
    log(f"machine: {info['machine']}; load {info['load_before']}")

    procs = Processes()
    rcvbuf, restore_rmem = raise_rmem(info)

    def restore(*_):
        procs.stop_all()
        restore_rmem()

    signal.signal(signal.SIGTERM, lambda *_: (restore(), sys.exit(1)))
    rows = []
    try:
        es, es_pid, es_version = start_elasticsearch(procs, args)
        info["elasticsearch"] = {"version": es_version, "heap": args.es_heap, "shards": 1, "replicas": 0,
                                 "refresh_interval": args.refresh}
        ceil = mix = ref = None
        if not args.skip_ceiling:
            ceil = ceiling(es, args, "messages")
            delete_hep_indices(es)
            mix = ceiling(es, args, "collector")
            delete_hep_indices(es)
            ref = ceiling(es, args, "reference")
            delete_hep_indices(es)
        info["ceiling"] = ceil
        info["ceiling_collector_mix"] = mix
        info["ceiling_reference_642"] = ref
        ref_rate = ref["docs_per_s"] if ref else None
        ceiling_rate = ceil["docs_per_s"] if ceil else None
        mix_rate = mix["messages_per_s"] if mix else None
        if args.rates == "auto":
            if not ceiling_rate:
                sys.exit("--rates auto needs the ceiling: give explicit --rates with --skip-ceiling")
            rates = [max(500, int(round(ceiling_rate * f / 500.0)) * 500) for f in (0.25, 0.4, 0.55, 0.7, 0.85, 1.0)]
        else:
            rates = [int(r) for r in args.rates.split(",") if r.strip()]
        info["rates"] = rates

        collector, udp, admin_url, collector_cmd = start_collector(procs, es, args, run_dir, rcvbuf,
                                                                   dict(kv.split("=", 1) for kv in args.set))
        info["collector_command"] = " ".join(collector_cmd)
        metrics = Metrics(admin_url)
        if args.warmup > 0:
            log(f"(b) warm-up: {rates[0]} packets/s for {args.warmup} s, not counted")
            warm = snapshot(metrics)
            subprocess.run(["java", "-jar", COLLECTOR_JAR, "hepgen", "--host", "127.0.0.1", "--port", str(udp),
                            "--rate", str(rates[0]), "--duration", str(args.warmup), "--seed", "999"],
                           capture_output=True, text=True, cwd=REPO)
            deadline = time.time() + args.drain_timeout
            while time.time() < deadline:
                now = snapshot(metrics)
                # as a step is drained: also what a stage holds (reorder window, orphans) has its document,
                # else the warm-up's tail is counted in the first step
                if waiting(now) == 0 and stored_between(warm, now) >= accepted_between(warm, now):
                    break
                time.sleep(0.5)
        losses = 0
        for i, rate in enumerate(rates):
            log(f"(b) {rate} packets/s for {args.duration} s (seed {1000 + i}); load {loadavg()}")
            row = step(rate, 1000 + i, args, udp, metrics, collector.pid, es_pid, es, ceiling_rate)
            row["ratio_to_mix_ceiling"] = round(rate / mix_rate, 3) if mix_rate else None
            row["ratio_to_reference"] = round(rate / ref_rate, 3) if ref_rate else None
            rows.append(row)
            log(f"   sent {row['sent']} received {row['received']} indexed {row['indexed']} lost {row['lost']} "
                f"(socket {row['lost_socket']}, queue {row['lost_queue']}, bulk {row['lost_bulk']}), drain {row['drain_s']} s, "
                f"collector CPU {row['collector_cpu_pct']}%, ES CPU {row['es_cpu_pct']}%, heap {row['heap_used_max_mb']} MB")
            losses = losses + 1 if row["lost"] > 0 else 0
            if losses >= args.stop_after_losses:
                log(f"stopping: {losses} steps in a row lost messages")
                break
        stop_pid("collector", collector.pid, collector)
    finally:
        restore()

    good = [r for r in rows if r["zero_loss"] and r["kept_up"]]
    best = max(good, key=lambda r: r["rate"]) if good else None
    info["steps"] = rows
    info["headline"] = {
        "highest_rate_zero_loss_kept_up": best["rate"] if best else 0,
        "ceiling_docs_per_s": ceiling_rate,
        "ratio": round(best["rate"] / ceiling_rate, 3) if best and ceiling_rate else None,
        "ceiling_collector_mix_messages_per_s": mix_rate,
        "ceiling_reference_642_docs_per_s": ref_rate,
        "ratio_to_reference": round(best["rate"] / ref_rate, 3) if best and ref_rate else None,
        "ratio_to_mix": round(best["rate"] / mix_rate, 3) if best and mix_rate else None,
        "collector_heap_used_max_mb": max((r["heap_used_max_mb"] for r in rows), default=None),
        "targets": "zero loss at >= 90% of the ceiling; collector heap < 512 MB",
    }
    info["load_after"] = loadavg()

    text = [f"# date:     {info['date']}",
            f"# machine:  {info['machine']['cores']} cores ({info['machine']['cpu']}), {info['machine']['memory_gib']} GiB, "
            f"kernel {info['machine']['kernel']}",
            f"# jvm:      {info['machine']['jvm']}",
            f"# es:       Elasticsearch {info.get('elasticsearch', {}).get('version')} heap {args.es_heap}, 1 shard, 0 replicas, "
            f"refresh {args.refresh}",
            f"# load:     {info['load_before']} before, {info['load_after']} after (1/5/15 min)",
            f"# command:  {info['command']}",
            f"# udp:      receive buffer {rcvbuf} bytes (rmem_max before {info['udp_receive_buffer']['rmem_max_before']})"]
    if ceil:
        text.append(f"# (a) ceiling: {ceil['docs_per_s']} docs/s of message documents ({ceil['indexed']} docs in {ceil['seconds']} s, "
                    f"{ceil['mean_doc_bytes']} bytes/doc, bulk {ceil['bulk_max_actions']} docs/{ceil['bulk_max_bytes'] >> 20} MiB "
                    f"x {ceil['bulk_concurrent_requests']})")
    if mix:
        text.append(f"# (a mix) the collector's document mix (messages + {mix['records_per_message']} TDR upserts per message): "
                    f"{mix['docs_per_s']} docs/s = {mix['messages_per_s']} messages/s")
    if ref:
        text.append(f"# (a 642) the same messages as {ref['mean_doc_bytes']}-byte reference documents: {ref['docs_per_s']} docs/s")
    text.append(f"# (b) each rate: hepgen --duration {args.duration} over UDP; lost = sent - indexed (socket = sent - received, "
                f"queue = not kept by the pipeline (a full disk budget included), bulk = failed + spool lost; spilled = went to the disk buffer, lag not loss; evicted = live calls and transactions the correlator evicted at its cap, TDRs incomplete); "
                f"backlog = messages queued, spilled or in flight "
                f"when the sender stopped (kept up: <= 2 bulk requests + 2 s of traffic); drain = seconds until nothing was; CPU = % of one core while sending; heap = max jvm.memory.heap.used of -Xmx{args.collector_heap}; "
                f"old = max old generation after GC (live data); µs/msg = collector CPU from start to drained / sent")
    text.append("")
    text.append(table(rows))
    text.append("")
    text.append("collector CPU by thread, µs per message sent (start to drained):")
    for r in rows:
        kernel = r.get("collector_threads_kernel_us_per_msg", {})
        text.append(f"  {r['rate']}/s: " + ", ".join(f"{k} {v}" + (f" (kernel {kernel[k]})" if kernel.get(k) else "")
                                                   for k, v in r["collector_threads_us_per_msg"].items()))
    text.append("")
    text.append("documents besides messages (TDR+alerts), per family, per message sent:")
    for r in rows:
        fam = r.get("other_documents_by_family", {})
        text.append(f"  {r['rate']}/s: " + (", ".join(f"{f} {n} ({n / max(1, r['sent']):.3f})" for f, n in fam.items()) or "none"))
    text.append("")
    h = info["headline"]
    text.append(f"headline: highest rate with zero loss that kept up: {h['highest_rate_zero_loss_kept_up']} packets/s"
                + (f" = {h['ratio']:.0%} of the ceiling {ceiling_rate} docs/s" if h["ratio"] is not None else "")
                + (f" ({h['ratio_to_mix']:.0%} of the {mix_rate} messages/s the collector's document mix allows)"
                   if h["ratio_to_mix"] is not None else "")
                + (f" ({h['ratio_to_reference']:.0%} of the {ref_rate} docs/s of 642-byte documents)"
                   if h["ratio_to_reference"] is not None else "")
                + f"; collector heap max {h['collector_heap_used_max_mb']} MB used (targets: >= 90% of the ceiling, heap < 512 MB)")
    out = "\n".join(text)
    print("\n" + out)
    os.makedirs(os.path.join(REPO, "bench/results"), exist_ok=True)
    base = os.path.join(REPO, "bench/results", f"e2e-{stamp}{('-' + args.tag) if args.tag else ''}")
    with open(base + ".txt", "w") as f:
        f.write(out + "\n")
    with open(base + ".json", "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    log(f"results: {base}.txt {base}.json; run folder {run_dir}")
    if args.jfr and os.path.exists(os.path.join(run_dir, "collector.jfr")):
        top = subprocess.run(["java", "-cp", BENCH_JAR, "io.hepstack.bench.JfrTop", os.path.join(run_dir, "collector.jfr"), "", "40"],
                             capture_output=True, text=True)
        with open(os.path.join(run_dir, "collector-jfr.txt"), "w") as f:
            f.write(top.stdout)
        log(f"collector profile: {run_dir}/collector-jfr.txt")


if __name__ == "__main__":
    main()
