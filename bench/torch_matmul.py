"""PyTorch's side of gemm-vs-pytorch.sh: F32 torch.matmul throughput on square matrices.

Prints one line per size: the size, then the GFLOP/s of each timed repetition, the same format
as Weft's GemmBenchmark prints, so the shell script can put the two side by side.
"""

import argparse
import time

import torch


def measure(n, repetitions, seconds_per_repetition):
    """GFLOP/s of C = A @ B for n x n float32 operands, one figure per repetition."""
    a = torch.rand(n, n, dtype=torch.float32) * 2 - 1
    b = torch.rand(n, n, dtype=torch.float32) * 2 - 1
    c = torch.empty(n, n, dtype=torch.float32)
    flops = 2.0 * n ** 3

    # Warm up (thread pool start, first-touch of C) for about one repetition's time.
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds_per_repetition:
        torch.matmul(a, b, out=c)
        calls += 1
    calls_per_repetition = max(1, calls)

    results = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(calls_per_repetition):
            torch.matmul(a, b, out=c)
        elapsed = time.perf_counter() - start
        results.append(flops * calls_per_repetition / elapsed / 1e9)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one repetition")
    parser.add_argument("sizes", type=int, nargs="+")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    print(f"# PyTorch {torch.__version__} torch.matmul, {torch.get_num_threads()} threads: "
          "size, then GFLOP/s of each repetition")
    for n in args.sizes:
        gflops = measure(n, args.repetitions, args.seconds)
        print(n, " ".join(f"{g:.1f}" for g in gflops), flush=True)


if __name__ == "__main__":
    main()
