#!/usr/bin/env python3
"""Prints the BENCHMARKS.md tables from a JMH JSON result (java -jar benchmarks.jar ... -rf json).

Usage: python3 benchmarks/codec/jmh-tables.py /tmp/jmh.json
Needs the run to have used -prof gc (for gc.alloc.rate.norm). Figures are printed as JMH gave
them (score +- error, 99.9 % confidence), nothing is adjusted.
"""
import json
import sys

PKG = "io.switchboard.benchmarks.codec."
SIZES = ["16", "125", "4096", "65536"]


def load(path):
    results = {}
    for r in json.load(open(path)):
        name = r["benchmark"][len(PKG):]
        params = r.get("params", {})
        key = (name, params.get("size"), params.get("allocator"), params.get("order"))
        norm = r["secondaryMetrics"].get("gc.alloc.rate.norm", {})
        results[key] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"],
                        norm.get("score"))
    return results


def ops(v):
    return "–" if v is None else f"{v[0]:,.0f} ± {v[1]:,.0f}"


def alloc(v):
    if v is None or v[2] is None:
        return "–"
    return f"{v[2]:.1f}" if v[2] >= 0.05 else "0"


def ratio(a, b):
    return "–" if a is None or b is None else f"{a[0] / b[0]:.2f}×"


def table(results, title, ours, theirs):
    print(f"### {title}\n")
    head = ["payload (B)", "Switchboard ops/s", "Netty pooled ops/s", "Switchboard / Netty pooled",
            "Netty adaptive ops/s", "Switchboard / Netty adaptive",
            "Switchboard B/op", "Netty pooled B/op", "Netty adaptive B/op"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for size in SIZES:
        s = results.get(ours(size))
        p = results.get(theirs(size, "pooled"))
        a = results.get(theirs(size, "adaptive"))
        row = [size, ops(s), ops(p), ratio(s, p), ops(a), ratio(s, a), alloc(s), alloc(p), alloc(a)]
        print("| " + " | ".join(row) + " |")
    print()


def main(path):
    r = load(path)
    for kind in ["text", "binary"]:
        table(r, f"Decode {kind} (Switchboard input buffer: big-endian, the ByteBuffer default)",
              lambda size, k=kind: (f"SwitchboardDecodeBenchmark.{k}", size, None, "BIG_ENDIAN"),
              lambda size, alloc_, k=kind: (f"NettyDecodeBenchmark.{k}", size, alloc_, None))
    table(r, "Encode text (server frame, unmasked)",
          lambda size: ("SwitchboardEncodeBenchmark.text", size, None, None),
          lambda size, alloc_: ("NettyEncodeBenchmark.text", size, alloc_, None))
    print("### Switchboard decode by input byte order (ops/s)\n")
    print("| payload (B) | text, big-endian | text, little-endian | binary, big-endian | binary, little-endian |")
    print("|---|---|---|---|---|")
    for size in SIZES:
        cells = [ops(r.get((f"SwitchboardDecodeBenchmark.{k}", size, None, o)))
                 for k in ["text", "binary"] for o in ["BIG_ENDIAN", "LITTLE_ENDIAN"]]
        print(f"| {size} | " + " | ".join(cells) + " |")
    print()
    print("### Baseline: copying the masked frame into the input buffer (included in every decode figure)\n")
    print("| payload (B) | ops/s | B/op |")
    print("|---|---|---|")
    for size in SIZES:
        v = r.get(("InputCopyBenchmark.copy", size, None, None))
        print(f"| {size} | {ops(v)} | {alloc(v)} |")
    print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/jmh.json")
