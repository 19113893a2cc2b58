#!/usr/bin/env python3
"""Average _source bytes per index family of DocumentDump output (issue 14, docs/documents.md).

DocumentDump writes, one line per message, "index id document": first every packet of
testdata/hep/*.pcap (BenchData CAPTURES, 2,199), then hepgen's default mix (BenchData HEPGEN, 9,770),
then the shared captures, the edge cases and the TDRs. Default range: hepgen's mix.

  java -cp bench/target/benchmarks.jar io.hepstack.bench.DocumentDump /tmp/lean.txt
  java -Dhepstack.messageFields=full -cp bench/target/benchmarks.jar io.hepstack.bench.DocumentDump /tmp/full.txt
  python3 bench/doc-sizes.py /tmp/full.txt /tmp/lean.txt            # [--from 2199 --count 9770]
"""
import argparse
import collections
import re


def sizes(path, start, count):
    n, b = collections.Counter(), collections.Counter()
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < start:
                continue
            if i >= start + count:
                break
            index, _id, doc = line.rstrip("\n").split(" ", 2)
            family = re.sub(r"-\d{4}\.\d{2}\.\d{2}$", "", index)
            size = len(doc.encode("utf-8"))
            for k in (family, "all"):
                n[k] += 1
                b[k] += size
    return n, b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dumps", nargs="+")
    ap.add_argument("--from", dest="start", type=int, default=2199, help="first line (0-based) of the range")
    ap.add_argument("--count", type=int, default=9770, help="lines in the range")
    args = ap.parse_args()
    results = [(d, *sizes(d, args.start, args.count)) for d in args.dumps]
    families = sorted({k for _, n, _ in results for k in n})
    print("| index | " + " | ".join(d for d, _, _ in results) + " |")
    print("|---|" + "---|" * len(results))
    for k in families:
        cells = [f"{b[k] / n[k]:,.0f} B ({n[k]:,})" if n[k] else "-" for _, n, b in results]
        print(f"| {k} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
