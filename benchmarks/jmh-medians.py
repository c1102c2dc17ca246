#!/usr/bin/env python3
"""Print Markdown tables of median MB/s from a JMH JSON result file of this module.

Usage: python3 benchmarks/jmh-medians.py RESULTS.json

Each benchmark operation processes one whole message or object, so MB/s of plaintext
(10^6 bytes per second) = ops/s x its size parameter / 10^6. The median is taken over
the measurement iterations of one fork.
"""
import json
import statistics
import sys

SIZE_PARAMS = ("messageSizeInBytes", "objectSizeInBytes")


def size_label(size_in_bytes):
    size = int(size_in_bytes)
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size // 1024} KiB"


def load(path):
    """Return {(class, method, row key, frame size, size): median MB/s}."""
    with open(path) as f:
        results = json.load(f)
    medians = {}
    for result in results:
        cls, method = result["benchmark"].rsplit(".", 2)[-2:]
        params = result["params"]
        size_param = next(p for p in SIZE_PARAMS if p in params)
        size = int(params[size_param])
        row = params.get("candidate") or params.get("pipeline")
        raw = [value for fork in result["primaryMetric"]["rawData"] for value in fork]
        medians[(cls, method, row, int(params["frameSizeInBytes"]), size)] = statistics.median(raw) * size / 1e6
    return medians


def print_table(medians, cls, method, row_name):
    keys = [k for k in medians if k[0] == cls and k[1] == method]
    sizes = sorted({k[4] for k in keys})
    rows = sorted({(k[2], k[3]) for k in keys}, key=lambda r: (order(r[0]), r[1]))
    print(f"| {row_name} | frame | " + " | ".join(size_label(s) for s in sizes) + " |")
    print("|---|---|" + "---:|" * len(sizes))
    for row, frame in rows:
        cells = [f"{medians[(cls, method, row, frame, s)]:,.0f}" if (cls, method, row, frame, s) in medians else "" for s in sizes]
        print(f"| {row} | {size_label(frame)} | " + " | ".join(cells) + " |")
    print()


ORDER = ["PLAIN_COPY", "SUNJCE", "ACCP", "BC_LTS_NATIVE", "BC_LTS_JAVA", "SUNJCE_THEN_BC_NATIVE", "ACCP_THEN_BC_NATIVE"]


def order(row):
    return ORDER.index(row) if row in ORDER else len(ORDER)


def print_ratios(medians, method, frame):
    """Print nested throughput against SunJCE alone and against the plain copy, at one frame size."""
    sizes = sorted({k[4] for k in medians if k[0] == "EnvelopeBenchmark"})
    print(f"Ratios, {method}, {size_label(frame)} frames:")
    print()
    print("| ratio | " + " | ".join(size_label(s) for s in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    pairs = [
        ("SunJCE+BC nested / SunJCE alone", ("EnvelopeBenchmark", "SUNJCE_THEN_BC_NATIVE"), ("SingleLayerBenchmark", "SUNJCE")),
        ("ACCP+BC nested / SunJCE+BC nested", ("EnvelopeBenchmark", "ACCP_THEN_BC_NATIVE"), ("EnvelopeBenchmark", "SUNJCE_THEN_BC_NATIVE")),
        ("SunJCE+BC nested / plain copy", ("EnvelopeBenchmark", "SUNJCE_THEN_BC_NATIVE"), ("EnvelopeBenchmark", "PLAIN_COPY")),
        ("ACCP+BC nested / plain copy", ("EnvelopeBenchmark", "ACCP_THEN_BC_NATIVE"), ("EnvelopeBenchmark", "PLAIN_COPY")),
    ]
    for label, (cls_a, row_a), (cls_b, row_b) in pairs:
        cells = []
        for s in sizes:
            a = medians.get((cls_a, method, row_a, frame, s))
            b = medians.get((cls_b, method, row_b, frame, s))
            cells.append(f"{a / b:.2f}" if a and b else "")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()


def main():
    medians = load(sys.argv[1])
    for method in ("encrypt", "decrypt"):
        print(f"One layer alone, {method}, median MB/s:")
        print()
        print_table(medians, "SingleLayerBenchmark", method, "candidate")
    for method in ("encrypt", "decrypt"):
        print(f"Both layers through the library's streams, {method}, median MB/s:")
        print()
        print_table(medians, "EnvelopeBenchmark", method, "pipeline")
    for method in ("encrypt", "decrypt"):
        print_ratios(medians, method, 256 * 1024)


if __name__ == "__main__":
    main()
