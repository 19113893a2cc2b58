#!/usr/bin/env python3
"""Chaos run: what the collector loses, and where, when things go wrong under hepgen load.

Run it through bench/chaos.sh (which builds the jars when needed). Standard library only; the
process, HTTP and metric helpers are bench/e2e.py's.

One Elasticsearch (started here, free ports) behind a TCP proxy this script controls (so
"Elasticsearch down" is a refused connection, as for a dead node); for each scenario a fresh
collector (external mode, HEP over UDP) and empty hep-* indices. Per scenario it prints and writes:

  kernel      this collector's UDP socket drops (hep.udp.kernel_drops, from /proc/net/udp)
  sent        packets hepgen sent (plus, for the fuzz scenario, the mutants the relay added)
  stored      message documents in Elasticsearch at the end (hep-sip/rtcp/log), after the drain
  lost        sent - stored - rejected (a rejected packet is refused at the door, counted by reason)
  by place    kernel: UDP socket buffer full (RcvbufErrors); down: sent while no collector listened;
              disk: pipeline disk budget full; spool: spool budget full; quarantine: records of a
              damaged spool segment; refused: Elasticsearch refused, no dead-letter copy;
              killed: received by a collector killed with kill -9 and never stored (its memory queue,
              unflushed bulk, unsynced spill); other: what none of these explains (must be 0)
  duplicated  stored - distinct: documents stored twice (deterministic ids make it 0; resends seen
              as duplicates are counted in dup_409)

For kill-9 also the call TDRs: still live after the answered timeout (must be 0), closed as
UNKNOWN_END (calls live at the kill whose end was lost), stored twice, and orphan "bye" records.

Scenarios are functions registered in SCENARIOS (name -> function(ctx) -> row); a new one is one
more function. Results: bench/results/chaos-<UTC date>.txt/.json.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (the helpers of the end-to-end benchmark)
from e2e import COLLECTOR_JAR, REPO, Metrics, http, log  # noqa: E402

WORK = os.path.join(REPO, "bench/target/chaos")
# every index family of captured messages (one document per accepted message; TDRs, alerts, dead letters are not)
MESSAGE_FAMILIES = ("sip", "rtcp", "log", "dns", "rtcpxr")


class EsProxy(threading.Thread):
    """A TCP proxy to Elasticsearch that can be taken down (listener closed, connections cut) and up."""

    def __init__(self, target_port):
        super().__init__(daemon=True)
        self.target = ("127.0.0.1", target_port)
        self.port = e2e.free_port()
        self.conns = set()
        self.lock = threading.Lock()
        self.server = None
        self.up()

    def up(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        self.server = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def down(self):
        s, self.server = self.server, None
        if s:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close() alone would leave it listening
            except OSError:
                pass
            s.close()
        with self.lock:
            for c in list(self.conns):
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self.conns.clear()

    def _accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for c in (src, dst):
                try:
                    c.close()
                except OSError:
                    pass


class MutatingRelay(threading.Thread):
    """Forwards every HEP datagram to the collector and adds `mutants` mutated copies of it:
    byte flips, truncation, random noise, a damaged chunk length, a damaged total length."""

    def __init__(self, collector_port, mutants, seed):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.dest = ("127.0.0.1", collector_port)
        self.mutants = mutants
        self.rng = random.Random(seed)
        self.forwarded = 0
        self.mutated = 0
        self.stop = False

    def mutate(self, p):
        b = bytearray(p)
        kind = self.rng.randrange(5)
        if kind == 0:
            for _ in range(self.rng.randint(1, 8)):
                b[self.rng.randrange(len(b))] ^= 1 << self.rng.randrange(8)
        elif kind == 1:
            b = b[:self.rng.randrange(1, len(b))]
        elif kind == 2:
            b = bytearray(self.rng.getrandbits(8) for _ in range(self.rng.randint(1, 200)))
        elif kind == 3 and len(b) > 12:
            at = 6
            while at + 6 <= len(b):  # walk the chunks and damage one length field
                length = int.from_bytes(b[at + 4:at + 6], "big")
                if length < 6 or self.rng.random() < 0.3:
                    b[at + 4:at + 6] = self.rng.getrandbits(16).to_bytes(2, "big")
                    break
                at += length
        else:
            b[4:6] = self.rng.getrandbits(16).to_bytes(2, "big")
        return bytes(b)

    def run(self):
        self.sock.settimeout(0.5)
        while not self.stop:
            try:
                p, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            self.sock.sendto(p, self.dest)
            self.forwarded += 1
            for _ in range(self.mutants):
                self.sock.sendto(self.mutate(p), self.dest)
                self.mutated += 1


class Context:
    """What a scenario gets: Elasticsearch (behind the proxy), settings, and helpers."""

    def __init__(self, args, es, proxy, run_dir, procs, rcvbuf):
        self.args, self.es, self.proxy, self.run_dir, self.procs, self.rcvbuf = args, es, proxy, run_dir, procs, rcvbuf
        self.es_via_proxy = f"http://127.0.0.1:{proxy.port}"

    def fresh(self, name, extra=None):
        """Empty hep-* indices and a new collector (its own folders) for scenario `name`, warmed up
        (JIT) with unmeasured traffic: what it stored is the scenario's baseline."""
        e2e.delete_hep_indices(self.es)
        d = os.path.join(self.run_dir, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        c = Collector(self, d, extra)
        if self.args.warmup > 0:
            self.hepgen(c.udp, 1000, self.args.warmup, 9)
            c.drain(self.args.drain_timeout)
        c.baseline = {"stored": self.stored(), **{k: v for k, v in c.meters().items() if not k.startswith("gauge:")}}
        return c

    def hepgen(self, port, rate, seconds, seed, background=False, options=()):
        cmd = ["java", "-jar", COLLECTOR_JAR, "hepgen", "--host", "127.0.0.1", "--port", str(port), "--rate", str(rate),
               "--duration", str(seconds), "--seed", str(seed), "--json", *options]
        if background:
            p = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.procs.add("hepgen", p.pid, p)  # stopped with the rest if the run is aborted
            return p
        return sent_of(subprocess.run(cmd, cwd=REPO, capture_output=True, text=True).stdout)

    def stored(self, c=None):
        """Message documents in Elasticsearch, less the warm-up's of collector `c`."""
        return e2e.count_documents(self.es, MESSAGE_FAMILIES) - (c.baseline["stored"] if c else 0)


def sent_of(stdout):
    start = stdout.find("{")
    if start < 0:
        raise RuntimeError("hepgen printed no result: " + stdout[-500:])
    return json.loads(stdout[start:])


class Collector:
    def __init__(self, ctx, run_dir, extra):
        self.ctx, self.dir = ctx, run_dir
        self.extra = dict(extra or {})
        for kv in ctx.args.set:  # --set KEY=VALUE: every collector of the run (A/B runs); a scenario's own settings win
            k, _, v = kv.partition("=")
            self.extra.setdefault(k, v)
        self.extra.setdefault("elasticsearch.spool.replayInterval", "2s")
        self.extra.setdefault("elasticsearch.retention.enabled", "false")
        self.udp = None
        self.totals = {}  # metrics of earlier instances (a restart starts the counters again)
        self.baseline = {}  # what the warm-up counted
        self.start()

    def start(self):
        self.popen, self.udp, admin, _ = e2e.start_collector(self.ctx.procs, self.ctx.es_via_proxy, self.ctx.args, self.dir,
                                                             self.ctx.rcvbuf, self.extra, self.udp)
        self.metrics = Metrics(admin)

    def meters(self):
        m = self.metrics.get()
        out = {k: v.get("count", 0) for k, v in m.get("meters", {}).items()}
        for k, v in m.get("gauges", {}).items():
            if isinstance(v.get("value"), (int, float)):
                out["gauge:" + k] = v["value"]
        # this collector's UDP socket: a counter per socket, so it adds up over restarts like a meter
        out["kernel_drops"] = max(0, out.get("gauge:hep.udp.kernel_drops", 0))
        for k, v in self.totals.items():
            if not k.startswith("gauge:"):
                out[k] = out.get(k, 0) + v
        for k, v in self.baseline.items():
            if k in out and not k.startswith("gauge:"):
                out[k] -= v
        return out

    def stop(self):
        """Clean stop (SIGTERM); returns seconds it took. Counters are kept for the next start."""
        self.totals = self.meters()  # the warm-up already subtracted
        self.baseline = {"stored": self.baseline.get("stored", 0)}
        t = time.time()
        e2e.stop_pid("collector", self.popen.pid, self.popen, timeout=300)
        return time.time() - t

    def kill(self):
        """kill -9: no drain, no flush, no checkpoint. Its counters as last read (just before) are kept for the next start."""
        self.totals = self.meters()
        self.baseline = {"stored": self.baseline.get("stored", 0)}
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        # forget it: a pid that is free again must never be signalled
        self.ctx.procs.items = [i for i in self.ctx.procs.items if i[1] != self.popen.pid]

    def drain(self, timeout):
        """Waits until nothing waits in the pipeline (memory, disk buffer), the indexer or the spool."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.meters()
            if (m.get("gauge:pipeline.queued", 0) == 0 and m.get("gauge:pipeline.spill.bytes", 0) <= 4
                    and m.get("gauge:index.in_flight", 0) == 0 and m.get("gauge:index.spool.bytes", 0) == 0):
                return True
            time.sleep(1)
        log(f"   not drained after {timeout} s")
        return False

    def health(self):
        status, body = http("GET", self.metrics.url.replace("/metrics", "/healthcheck"), timeout=10)
        return {k: v.get("healthy") for k, v in body.items()} if isinstance(body, dict) else {}


def row_of(name, c, ctx, sent, t0, notes, extra_lost=None):
    """The table row: sent, stored, lost by place, duplicated, from the collector's counters and Elasticsearch."""
    c.drain(ctx.args.drain_timeout)
    # the gauges miss what a stage holds (the reorder window, a batch being worked on): count until the
    # number of stored messages stops growing (two equal counts 3 s apart, at most 60 s)
    stored, deadline = ctx.stored(c), time.time() + 60
    while time.time() < deadline:
        time.sleep(3)
        again = ctx.stored(c)
        if again == stored:
            break
        stored = again
    m = c.meters()
    with open(os.path.join(c.dir, "meters.json"), "w") as f:  # every counter at the end, to explain an "other"
        json.dump(m, f, indent=1, sort_keys=True)
    rejected = sum(v for k, v in m.items() if k.startswith("hep.udp.rejected."))
    kernel = m.get("kernel_drops", 0)
    refused = sum(v for k, v in m.items() if k.startswith("index.") and k.endswith(".failed")) - m.get("index.deadletter.written", 0)
    spool_lost = sum(m.get(f"index.{f}.spool_lost", 0) for f in MESSAGE_FAMILIES)  # message documents only
    places = {"kernel": kernel, "disk": m.get("pipeline.lost.disk_full", 0), "spool": spool_lost,
              "refused": max(0, refused)}
    places.update(extra_lost or {})
    lost = sent - stored - rejected
    places["other"] = lost - sum(places.values())
    return {"scenario": name, "sent": sent, "stored": stored, "rejected": rejected, "lost": lost, **places,
            "duplicated": 0,  # ids are deterministic: Elasticsearch cannot hold one message twice (see dup_409)
            "dup_409": m.get("index.duplicates", 0), "spilled": m.get("pipeline.spill.written", 0),
            "spooled": m.get("index.spool.written", 0), "quarantined": m.get("index.spool.quarantined", 0),
            "dead_letters": m.get("index.deadletter.written", 0), "seconds": round(time.time() - t0),
            "notes": notes}


# ------------------------------------------------------------------ scenarios

def es_down(ctx):
    a = ctx.args
    c = ctx.fresh("es-down")
    t0 = time.time()
    gen = ctx.hepgen(c.udp, a.rate, a.down_seconds + 10, 101, background=True)
    time.sleep(5)
    ctx.proxy.down()
    log(f"   Elasticsearch down for {a.down_seconds} s")
    time.sleep(a.down_seconds)
    health = c.health()
    ctx.proxy.up()
    sent = sent_of(gen.communicate()[0])["packets"]
    return row_of("es-down", c, ctx, sent, t0,
                  f"{a.rate}/s for {a.down_seconds + 10} s, Elasticsearch down {a.down_seconds} s; health while down: "
                  f"elasticsearch={health.get('elasticsearch')}")


def overload(ctx):
    a = ctx.args
    c = ctx.fresh("overload", {"pipeline.queueCapacity": str(a.overload_queue)})
    t0 = time.time()
    sent = ctx.hepgen(c.udp, a.overload_rate, a.overload_seconds, 202)["packets"]
    m = c.meters()
    log(f"   sent; {m.get('gauge:pipeline.spill.bytes', 0)} bytes on disk, draining")
    t_drain = time.time()
    c.drain(a.drain_timeout)
    return row_of("overload", c, ctx, sent, t0, f"{a.overload_rate}/s for {a.overload_seconds} s, memory queue "
                  f"{a.overload_queue} messages, drained in "
                  f"{round(time.time() - t_drain)} s")


def clean_restart(ctx):
    a = ctx.args
    c = ctx.fresh("clean-restart")
    t0 = time.time()
    gen = ctx.hepgen(c.udp, a.rate, 40, 303, background=True)
    time.sleep(15)
    took = c.stop()
    down, sent, not_listening = restarted(c, gen)
    return row_of("clean-restart", c, ctx, sent, t0, f"{a.rate}/s for 40 s; SIGTERM after 15 s took {took:.1f} s "
                  f"(drain logged), restart {down:.1f} s", {"down": max(0, not_listening)})


def tdr_counts(es):
    """Call TDRs: total, still live, closed as UNKNOWN_END, stored twice (Call-IDs with more than one
    call TDR, exact); orphan "bye" records, and how many of them belong to a call that has a TDR (a
    resume that failed) rather than to a call whose INVITE was lost (nothing to resume)."""
    http("POST", es + "/hep-tdr-*/_refresh")

    def count(query):
        status, body = http("POST", es + "/hep-tdr-*/_count", {"query": query})
        return body.get("count", 0) if status == 200 else -1

    def call_ids(query, min_docs):
        status, body = http("POST", es + "/hep-tdr-*/_search", {"size": 0, "query": query, "aggs": {
            "ids": {"terms": {"field": "tdr.call_id", "size": 65000, "min_doc_count": min_docs}}}})
        return {b["key"]: b["doc_count"] for b in body["aggregations"]["ids"]["buckets"]} if status == 200 else {}

    call = {"term": {"tdr.type": "call"}}
    bye = {"term": {"tdr.type": "bye"}}
    twice = call_ids(call, 2)
    byes = list(call_ids(bye, 1))
    known = count({"bool": {"filter": [call, {"terms": {"tdr.call_id": byes}}]}}) if byes else 0
    # of the others: whose INVITE the collector stored (it saw the call, but the kill took its TDR
    # before the first write) rather than lost with the killed collector's memory
    invite_stored = 0
    if byes:
        status, body = http("POST", es + "/hep-sip-*/_search", {"size": 0, "query": {"bool": {"filter": [
            {"terms": {"sip.call_id": byes}}, {"term": {"sip.method": "INVITE"}}]}},
            "aggs": {"ids": {"cardinality": {"field": "sip.call_id", "precision_threshold": 40000}}}})
        invite_stored = body["aggregations"]["ids"]["value"] if status == 200 else -1
    if known > 0:  # what a failed resume looks like: a few of those calls' TDRs next to their "bye" records
        status, body = http("POST", es + "/hep-tdr-*/_search", {"size": 6, "sort": [{"tdr.call_id": "asc"}],
                                                                "query": {"terms": {"tdr.call_id": byes[:3]}}})
        for h in body.get("hits", {}).get("hits", []) if status == 200 else []:
            t = h["_source"].get("tdr", {})
            log(f"   orphan-bye example: {t.get('call_id')} {t.get('type')} status {t.get('status')} "
                f"final {t.get('final')} start {t.get('start')} end {t.get('end')} updated {t.get('updated')} "
                f"ended_by {t.get('ended_by')} version {t.get('version')} messages {t.get('messages', {}).get('total')}")
    return {"calls": count(call), "live": count({"bool": {"filter": [call, {"term": {"tdr.final": False}}]}}),
            "unknown_end": count({"bool": {"filter": [call, {"term": {"tdr.status": "UNKNOWN_END"}}]}}),
            "tdr_duplicated": sum(n - 1 for n in twice.values()), "duplicated_ids": sorted(twice)[:5],
            "orphan_byes": count(bye), "orphan_byes_of_known_calls": known,
            "orphan_byes_invite_stored": invite_stored}


def restarted(c, gen):
    """Starts collector `c` again (it was just stopped or killed) and waits for hepgen `gen` to finish:
    seconds without a listener, packets sent, and packets sent while no socket was bound (what the
    two collectors did not receive, minus what the kernel dropped)."""
    down_at = time.time()
    c.start()
    down = time.time() - down_at
    sent = sent_of(gen.communicate()[0])["packets"]
    m = c.meters()
    return down, sent, sent - m.get("hep.udp.received", 0) - m.get("kernel_drops", 0)


def kill9(ctx):
    a = ctx.args
    idle = a.kill_answered_timeout
    # calls shorter than the answered timeout, so only a call whose end was lost can reach it
    # the sweep that closes TDRs left live by the kill: often, with a margin that covers this run's lag
    sweep, margin = 20, 30
    c = ctx.fresh("kill-9", {"correlation.answeredTimeout": f"{idle}s", "correlation.sweepInterval": f"{sweep}s",
                             "correlation.sweepMargin": f"{margin}s"})
    t0 = time.time()
    gen = ctx.hepgen(c.udp, a.rate, a.kill_seconds, 707, background=True,
                     options=["--call-duration", f"uniform:2-{max(3, idle // 2)}"])
    time.sleep(a.kill_seconds / 3)
    live_at_kill = c.meters().get("gauge:correlate.calls.live", 0)
    c.kill()
    down, sent, not_listening = restarted(c, gen)
    c.drain(a.drain_timeout)
    wait = idle + margin + sweep + 30
    log(f"   waiting up to {wait} s for every call TDR to close (answered timeout {idle} s, sweep every {sweep} s, margin {margin} s)")
    deadline = time.time() + wait
    while tdr_counts(ctx.es)["live"] > 0 and time.time() < deadline:
        time.sleep(3)
    tdrs = tdr_counts(ctx.es)
    resumed = resumed_calls(os.path.join(c.dir, "collector.log"))
    row = row_of("kill-9", c, ctx, sent, t0, "", {"down": max(0, not_listening)})
    # received by a collector and never stored: with a clean second run, what the killed one held in
    # memory (pipeline queue, unflushed bulk, unsynced spill) when it died
    row["killed"], row["other"] = row["other"], 0
    row.update(tdrs)
    # live calls the correlator had to evict (its cap, from the heap): their BYE becomes an orphan record
    row["evictions"] = c.meters().get("correlate.evictions", 0)
    window = round(a.rate * (down + 1))
    row["notes"] = (f"{a.rate}/s for {a.kill_seconds} s, kill -9 after {a.kill_seconds // 3} s with {live_at_kill} calls live, "
                    f"restart {down:.1f} s; lost {row['lost']} <= traffic of the restart window + 1 s ({window}): "
                    f"{row['lost'] <= window}; resumed at start: {resumed}; call TDRs {tdrs['calls']}, still live "
                    f"{tdrs['live']}, closed UNKNOWN_END {tdrs['unknown_end']}, stored twice {tdrs['tdr_duplicated']} "
                    f"{tdrs['duplicated_ids']}, orphan 'bye' records {tdrs['orphan_byes']} (of calls that have a TDR: "
                    f"{tdrs['orphan_byes_of_known_calls']}; of calls whose INVITE is stored in hep-sip: "
                    f"{tdrs['orphan_byes_invite_stored']}; the others' INVITE was lost in the kill, nothing to resume); "
                    f"live records evicted at the correlator's cap: {row['evictions']}")
    return row


def resumed_calls(log_file):
    """What the restarted collector logged: "resumed N calls live before the restart (M live TDRs found)"."""
    try:
        with open(log_file, errors="replace") as f:
            lines = [l.strip() for l in f if "resumed" in l and "live before the restart" in l]
        return lines[-1].split(" - ", 1)[-1] if lines else "not logged"
    except OSError:
        return "no log"


def spool_full(ctx):
    a = ctx.args
    c = ctx.fresh("spool-full", {"elasticsearch.spool.maxSize": "4MiB"})
    t0 = time.time()
    ctx.proxy.down()
    sent = ctx.hepgen(c.udp, a.rate, 15, 404)["packets"]
    time.sleep(3)
    lost_full = c.meters().get("index.spool.lost", 0)
    health = c.health()
    ctx.proxy.up()  # space returns as the spool replays
    c.drain(a.drain_timeout)
    ctx.proxy.down()  # a second outage: spooling resumed?
    written_before = c.meters().get("index.spool.written", 0)
    sent += ctx.hepgen(c.udp, a.rate, 5, 405)["packets"]
    time.sleep(3)
    resumed = c.meters().get("index.spool.written", 0) - written_before
    ctx.proxy.up()
    return row_of("spool-full", c, ctx, sent, t0, f"spool budget 4 MiB (simulates a full disk: no tmpfs/loop device here), "
                  f"Elasticsearch down; {lost_full} documents refused while full, health spool "
                  f"elasticsearch={health.get('elasticsearch')}; after the replay spooling resumed: {resumed} documents")


def corrupt_segment(ctx):
    a = ctx.args
    c = ctx.fresh("corrupt-segment", {"elasticsearch.bulk.maxActions": "1000"})
    t0 = time.time()
    ctx.proxy.down()
    sent = ctx.hepgen(c.udp, a.rate, 10, 505)["packets"]
    time.sleep(3)
    spool = os.path.join(c.dir, "spool")
    segments = sorted(f for f in os.listdir(spool) if f.endswith(".spool"))
    victim = os.path.join(spool, segments[len(segments) // 2])
    size = os.path.getsize(victim)
    cut_off = records_from(victim, size // 2)
    with open(victim, "r+b") as f:  # one flipped byte in the middle of the segment
        f.seek(size // 2)
        b = f.read(1)
        f.seek(size // 2)
        f.write(bytes([b[0] ^ 0xff]))
    ctx.proxy.up()
    c.drain(a.drain_timeout)
    quarantined = c.meters().get("index.spool.quarantined", 0)
    return row_of("corrupt-segment", c, ctx, sent, t0, f"{len(segments)} spool segments, one byte flipped in "
                  f"{os.path.basename(victim)} ({size} bytes); quarantined {quarantined}, replay went on",
                  {"quarantine": cut_off})


def records_from(segment, offset):
    """Message documents in a spool segment (journal layout: magic, then per record length, crc32c,
    bytes; a record starts with its index name as Java's writeUTF) from the record holding `offset`
    to the end: what a damage at `offset` costs (TDR and alert records are not counted as sent)."""
    with open(segment, "rb") as f:
        data = f.read()
    at, records = 4, []
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        name_len = int.from_bytes(data[at + 8:at + 10], "big")
        index = data[at + 10:at + 10 + name_len].decode(errors="replace")
        records.append((at, at + 8 + length, index.split("-")[1] if index.count("-") >= 2 else ""))
        at += 8 + length
    return sum(1 for start, end, family in records if end > offset and family in MESSAGE_FAMILIES)


def fuzz(ctx):
    a = ctx.args
    c = ctx.fresh("fuzz")
    relay = MutatingRelay(c.udp, a.mutants, 606)
    relay.start()
    t0 = time.time()
    real = ctx.hepgen(relay.port, a.fuzz_rate, a.fuzz_seconds, 606)["packets"]
    time.sleep(2)
    relay.stop = True
    heap_before = c.meters().get("gauge:jvm.memory.heap.used", 0)
    c.drain(a.drain_timeout)
    m = c.meters()
    alive = c.popen.poll() is None
    received, accepted = m.get("hep.udp.received", 0), m.get("hep.udp.accepted", 0)
    row = row_of("fuzz", c, ctx, real + relay.mutated, t0, "")
    # an accepted mutant is stored as a document of its own, or is a 409 duplicate of its original's id
    row["lost"] -= row["dup_409"]
    row["other"] -= row["dup_409"]
    row["alive"] = alive
    row["notes"] = (f"{real} hepgen packets at {a.fuzz_rate}/s + {relay.mutated} mutants ({a.mutants} per packet: bit flips, "
                    f"truncation, noise, a chunk or the total length damaged); collector alive: {alive}; received {received} = "
                    f"accepted {accepted} + rejected {row['rejected']} by reason: {received == accepted + row['rejected']}; "
                    f"accepted and not stored: {accepted - row['stored'] - row['dup_409']}; heap used {round(heap_before / 1048576)} MB")
    return row


SCENARIOS = {"es-down": es_down, "overload": overload, "clean-restart": clean_restart, "kill-9": kill9,
             "spool-full": spool_full, "corrupt-segment": corrupt_segment, "fuzz": fuzz}
COLUMNS = ["scenario", "sent", "stored", "rejected", "lost", "kernel", "down", "killed", "disk", "spool", "quarantine",
           "refused", "other", "duplicated", "dup_409", "spilled", "spooled", "dead_letters", "live", "unknown_end",
           "orphan_byes", "seconds"]


def table(rows):
    body = [[str(r.get(k, 0)) for k in COLUMNS] for r in rows]
    widths = [max(len(k), *(len(b[i]) for b in body)) for i, k in enumerate(COLUMNS)]
    lines = ["  ".join(k.rjust(widths[i]) for i, k in enumerate(COLUMNS))]
    lines += ["  ".join(b[i].rjust(widths[i]) for i in range(len(COLUMNS))) for b in body]
    lines += [""] + [f"{r['scenario']}: {r['notes']}" for r in rows]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, in order: " + ", ".join(SCENARIOS))
    ap.add_argument("--rate", type=int, default=5000, help="packets/s of es-down, clean-restart, spool-full and corrupt-segment")
    ap.add_argument("--down-seconds", type=int, default=60, help="how long Elasticsearch is down in es-down")
    ap.add_argument("--overload-rate", type=int, default=20000, help="about 3x what this machine sustains")
    ap.add_argument("--overload-seconds", type=int, default=60)
    ap.add_argument("--overload-queue", type=int, default=2000,
                    help="pipeline.queueCapacity in overload: small, so the disk buffer takes what the pipeline cannot")
    ap.add_argument("--kill-seconds", type=int, default=150,
                    help="traffic of kill-9; the collector is killed a third into it (the restart must end well before it)")
    ap.add_argument("--kill-answered-timeout", type=int, default=120,
                    help="correlation.answeredTimeout in kill-9 (calls last at most half of it): when a resumed call whose end was "
                         "lost closes; longer than the restart, else the calls live at the kill count as timed out and are not resumed")
    ap.add_argument("--fuzz-rate", type=int, default=2000)
    ap.add_argument("--fuzz-seconds", type=int, default=60)
    ap.add_argument("--mutants", type=int, default=4, help="mutated copies per real packet in fuzz")
    ap.add_argument("--es-heap", default="1g")
    ap.add_argument("--collector-heap", default="512m")
    ap.add_argument("--refresh", default="5s")
    ap.add_argument("--drain-timeout", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=10, help="seconds of unmeasured traffic (1000/s) before each scenario (JIT)")
    ap.add_argument("--tag", default="")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a collector setting for every scenario (e.g. pipeline.spill.writeAhead=false), repeatable")
    args = ap.parse_args()
    args.jfr = False

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    run_dir = os.path.join(WORK, "run-" + stamp)
    os.makedirs(run_dir, exist_ok=True)
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": e2e.machine(),
            "load_before": e2e.loadavg(), "command": "bench/chaos.sh " + " ".join(sys.argv[1:]), "settings": vars(args)}
    procs = e2e.Processes()
    signal.signal(signal.SIGTERM, lambda *_: (procs.stop_all(), sys.exit(1)))
    rows = []
    try:
        e2e.WORK = run_dir  # Elasticsearch's data under this run
        es, es_pid, version = e2e.start_elasticsearch(procs, args)
        info["elasticsearch"] = version
        proxy = EsProxy(int(es.rsplit(":", 1)[1]))
        rcvbuf, restore_rmem = e2e.raise_rmem(info)
        ctx = Context(args, es, proxy, run_dir, procs, rcvbuf)
        for name in [s.strip() for s in args.scenarios.split(",") if s.strip()]:
            log(f"scenario {name}")
            try:
                rows.append(SCENARIOS[name](ctx))
            except Exception as e:  # a broken scenario is reported, the next one runs
                log(f"   {name} failed: {e!r}")
                rows.append({"scenario": name, "notes": f"FAILED: {e!r}"})
            finally:
                for item in [i for i in procs.items if i[0] == "collector"]:
                    e2e.stop_pid(*item, timeout=300)
                # and forget what has ended: a pid that is free again must never be signalled
                procs.items = [i for i in procs.items if i[0] != "collector" and not (i[2] is not None and i[2].poll() is not None)]
            log("   " + json.dumps(rows[-1]))
    finally:
        procs.stop_all()
        if "restore_rmem" in locals():
            restore_rmem()
    text = table(rows)
    header = [f"# bench/chaos.sh — {info['date']}", f"# command: {info['command']}",
              f"# machine: {info['machine']}; load before {info['load_before']}; Elasticsearch {info.get('elasticsearch')}"]
    print("\n".join(header) + "\n" + text)
    os.makedirs(os.path.join(REPO, "bench/results"), exist_ok=True)
    base = os.path.join(REPO, "bench/results", f"chaos-{stamp}{'-' + args.tag if args.tag else ''}")
    with open(base + ".txt", "w") as f:
        f.write("\n".join(header) + "\n" + text + "\n")
    with open(base + ".json", "w") as f:
        json.dump({"info": info, "rows": rows}, f, indent=2)
    log(f"results: {base}.txt")


if __name__ == "__main__":
    main()
