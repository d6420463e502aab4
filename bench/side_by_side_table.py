#!/usr/bin/python3
"""The table of bench/side-by-side.sh: reads the JSON lines both sides printed (Weft's
SideBySide and torch_side.py, any number of rounds) and prints, per workload, the median
milliseconds of each side over all samples of all rounds, their range, and the ratio
Weft/PyTorch in throughput (PyTorch's median time over Weft's: above 1 means Weft is faster),
and the same ratio of the fastest repetitions, the better guess on a busy machine, where load
slows one side more than the other.

    side_by_side_table.py --threads T --machine TEXT [--peak PEAK.json --flops FLOPS.jsonl] RESULTS.jsonl

With --peak and --flops (bench/side-by-side.sh --roofline) it adds the roofline: each side's
rate in GFLOP/s (the workload's matrix-product and convolution operations over its median time)
and that rate as a share of the F32 multiply-add peak measured on this machine.
"""
import argparse
import json
import statistics


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, required=True, help="the thread count both sides were asked for")
    parser.add_argument("--machine", default="", help="a line describing the machine")
    parser.add_argument("--peak", help="MachinePeak's JSON line")
    parser.add_argument("--flops", help="torch_side.py --flops lines: operations per call of each workload")
    parser.add_argument("results", help="JSON lines, each with side, workload, threads, ms")
    args = parser.parse_args()

    samples = {}      # (workload, side) -> every per-call millisecond sample
    order = []        # workloads in the order first seen
    runtimes = {}     # side -> runtime description
    calls = {}        # (workload, side) -> calls per repetition
    memory = {}       # (workload, side) -> what the side reports of its memory
    wrong_threads = set()
    with open(args.results) as lines:
        for line in lines:
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            key = (r["workload"], r["side"])
            if r["workload"] not in order:
                order.append(r["workload"])
            samples.setdefault(key, []).extend(r["ms"])
            runtimes[r["side"]] = r.get("runtime", "")
            calls[key] = r["calls_per_rep"]
            if r["threads"] != args.threads:
                wrong_threads.add(f"{r['side']} ran {r['workload']} on {r['threads']} threads")
            if "peak_rss_mb" in r:
                memory[key] = f"peak RSS {r['peak_rss_mb']:.0f} MiB"
            elif "live_heap_mb_after_reps" in r:
                memory[key] = (f"live heap {r['live_heap_mb_after_warmup']:.0f} -> "
                               f"{r['live_heap_mb_after_reps']:.0f} MiB")

    print(f"# Weft vs PyTorch, {args.threads} threads each; {args.machine}")
    for side in ("weft", "pytorch"):
        if side in runtimes:
            print(f"# {side}: {runtimes[side]}")
    print("# ms: median time per call over all repetitions of all rounds [min-max], n = repetitions;")
    print("# ratio: Weft/PyTorch throughput = PyTorch median / Weft median (> 1: Weft faster);")
    print("# by min: PyTorch min / Weft min")
    header = (f"{'workload':<18} {'Weft ms':>10} {'[min-max]':>19} {'PyTorch ms':>11} {'[min-max]':>19} {'n':>3}"
              f" {'ratio':>6} {'by min':>6}")
    print(header)
    print("-" * len(header))
    for workload in order:
        cells = []
        medians = []
        mins = []
        counts = []
        for side in ("weft", "pytorch"):
            ms = samples.get((workload, side))
            if not ms:
                cells += ["failed", ""]
                medians.append(None)
                mins.append(None)
                continue
            median = statistics.median(ms)
            medians.append(median)
            mins.append(min(ms))
            counts.append(len(ms))
            cells += [f"{median:.1f}", f"[{min(ms):.1f}-{max(ms):.1f}]"]
        ratio = f"{medians[1] / medians[0]:.2f}" if None not in medians else "-"
        ratio_of_mins = f"{mins[1] / mins[0]:.2f}" if None not in mins else "-"
        n = str(min(counts)) if counts else "-"
        print(f"{workload:<18} {cells[0]:>10} {cells[1]:>19} {cells[2]:>11} {cells[3]:>19} {n:>3} {ratio:>6} {ratio_of_mins:>6}")
    for workload in order:
        notes = [f"{side} {memory[(workload, side)]}" for side in ("weft", "pytorch") if (workload, side) in memory]
        if notes:
            print(f"# memory {workload}: " + "; ".join(notes))
    if args.peak and args.flops:
        print_roofline(args.peak, args.flops, order, samples)
    for problem in sorted(wrong_threads):
        print(f"# WARNING: {problem}, not {args.threads}")


def print_roofline(peak_file, flops_file, order, samples):
    """Each side's GFLOP/s on each workload, and its share of the measured multiply-add peak."""
    with open(peak_file) as f:
        peak = json.loads(f.read())
    flops = {}
    with open(flops_file) as lines:
        for line in lines:
            r = json.loads(line)
            flops[r["workload"]] = r["flops"]
    ceiling = peak["fma_gflops"]
    print()
    print(f"# roofline: F32 multiply-add peak {ceiling:.0f} GFLOP/s on {peak['threads']} threads"
          f" ({peak['fma_gflops_1']:.0f} on one; {peak['lanes']} lanes), streaming triad"
          f" {peak['triad_gbs']:.1f} GB/s ({peak['triad_gbs_1']:.1f} on one);")
    print("# GFLOP: matrix-product and convolution operations per call, backward included, as PyTorch's")
    print("# dispatcher counts them; GFLOP/s: those over the side's median time; % peak: of the ceiling above")
    header = f"{'workload':<18} {'GFLOP':>8} {'Weft GFLOP/s':>13} {'% peak':>7} {'PyTorch GFLOP/s':>16} {'% peak':>7}"
    print(header)
    print("-" * len(header))
    for workload in order:
        if workload not in flops:
            continue
        gflop = flops[workload] / 1e9
        cells = []
        for side in ("weft", "pytorch"):
            ms = samples.get((workload, side))
            if not ms:
                cells += ["-", "-"]
                continue
            rate = gflop / (statistics.median(ms) / 1e3)
            cells += [f"{rate:.1f}", f"{100 * rate / ceiling:.0f}%"]
        print(f"{workload:<18} {gflop:>8.2f} {cells[0]:>13} {cells[1]:>7} {cells[2]:>16} {cells[3]:>7}")


if __name__ == "__main__":
    main()
