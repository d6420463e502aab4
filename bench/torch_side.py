#!/usr/bin/python3
"""PyTorch's half of bench/side-by-side.sh: times the same workloads as Weft's
org.weft.bench.SideBySide (bench/src/main/java/org/weft/bench/Workloads.java), with the same
protocol (Timing.java), and prints one JSON line per workload with the same fields.

    /usr/bin/python3 bench/torch_side.py --threads T [--warmup W] [--reps N] [--list] workload...
    /usr/bin/python3 bench/torch_side.py --flops workload...

Workloads:
  gemm/N          C = A @ B of float32 N x N matrices, a new C each call (torch.mm).
  MODEL/forward   model.eval(), torch.no_grad(), logits of 8 random images of 224 px.
  MODEL/train     one training step without the optimiser: model.train(),
                  zero_grad(set_to_none=True), forward, mean cross-entropy against fixed
                  labels, backward. Dropout and stochastic depth act as in training.
MODEL is resnet50, googlenet (aux_logits=False, transform_input=False) or swin_t, torchvision's
with 1000 classes and their own random initialisation.

Protocol: warm up for at least W calls (at least one) and at least 3 s; a repetition makes
enough calls to last at least 0.25 s (from the last warm-up call's time); each sample is a
repetition's time divided by its calls. Besides the times, each line reports the process's
peak resident memory so far.

--flops counts, instead of timing, the floating-point operations of one call: the
multiply-adds (two operations each) of every matrix product and convolution PyTorch runs,
backward passes included, as seen by its dispatcher. Elementwise work, normalisation and
pooling are left out: they are memory-bound and small in operations beside the products.
bench/side-by-side.sh --roofline divides these by each side's time.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode

BATCH = 8
IMAGE_SIZE = 224
CLASSES = 1000
WARMUP_SECONDS = 3.0
MIN_REPETITION_SECONDS = 0.25

NAMES = ["gemm/512", "gemm/1024", "gemm/2048",
         "resnet50/forward", "resnet50/train",
         "googlenet/forward", "googlenet/train",
         "swin_t/forward", "swin_t/train"]


def model(name):
    if name == "resnet50":
        return torchvision.models.resnet50(num_classes=CLASSES)
    if name == "googlenet":
        return torchvision.models.GoogLeNet(num_classes=CLASSES, aux_logits=False,
                                            transform_input=False, init_weights=True)
    if name == "swin_t":
        return torchvision.models.swin_t(num_classes=CLASSES)
    raise ValueError(f"unknown model {name}")


def prepare(name):
    """The step to time for workload `name`, with its model and data already built."""
    if name not in NAMES:
        raise SystemExit(f"unknown workload '{name}', expected one of {NAMES}")
    generator = torch.Generator().manual_seed(0)
    kind, variant = name.split("/", 1)
    if kind == "gemm":
        n = int(variant)
        a = torch.randn(n, n, generator=generator)
        b = torch.randn(n, n, generator=generator)
        return lambda: torch.mm(a, b)

    net = model(kind)
    images = torch.randn(BATCH, 3, IMAGE_SIZE, IMAGE_SIZE, generator=generator)
    if variant == "forward":
        net.eval()

        def forward():
            with torch.no_grad():
                net(images)
        return forward

    net.train()
    labels = torch.randint(0, CLASSES, (BATCH,), generator=generator)

    def train_step():
        net.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
    return train_step


class ProductFlops(TorchDispatchMode):
    """Adds up 2 x the multiply-adds of the matrix products and convolutions dispatched in it."""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        op = str(func.overloadpacket)
        if op == "aten.mm":
            (m, k), n = args[0].shape, args[1].shape[1]
            self.flops += 2 * m * n * k
        elif op == "aten.addmm":
            (m, k), n = args[1].shape, args[2].shape[1]
            self.flops += 2 * m * n * k
        elif op == "aten.bmm":
            (b, m, k), n = args[0].shape, args[1].shape[2]
            self.flops += 2 * b * m * n * k
        elif op == "aten.convolution":
            self.flops += convolution_flops(out, args[1])
        elif op == "aten.convolution_backward":
            grad_output, weight, output_mask = args[0], args[2], args[-1]
            # The input gradient and the weight gradient each cost what the forward did.
            self.flops += (int(output_mask[0]) + int(output_mask[1])) * convolution_flops(grad_output, weight)
        elif op in ("aten.matmul", "aten.addbmm", "aten.baddbmm", "aten.einsum", "aten.linear"):
            raise SystemExit(f"--flops does not count {op} yet")
        return out


def convolution_flops(output, weight):
    """2 x multiply-adds of a convolution: every output element sums Cin/groups x kh x kw products."""
    return 2 * output.numel() * math.prod(weight.shape[1:])


def count_flops(step):
    """The floating-point operations of one call of step, as ProductFlops counts them."""
    step()  # a first call builds anything lazy, so the counted call is a steady one
    with ProductFlops() as counter:
        step()
    return counter.flops


def warm_up(step, warmup):
    """Runs step as Timing.warmUp does; returns how many calls one repetition should make."""
    warmup_start = time.perf_counter()
    i = 0
    last_call_seconds = 0.0
    while i < max(1, warmup) or time.perf_counter() - warmup_start < WARMUP_SECONDS:
        start = time.perf_counter()
        step()
        last_call_seconds = time.perf_counter() - start
        i += 1
    return max(1, math.ceil(MIN_REPETITION_SECONDS / last_call_seconds))


def time_repetitions(step, calls, repetitions):
    """Milliseconds per call, one sample per repetition of `calls` calls."""
    millis = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        millis.append((time.perf_counter() - start) * 1e3 / calls)
    return millis


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's own)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--list", action="store_true", help="print the workload names and exit")
    parser.add_argument("--flops", action="store_true",
                        help="count the operations of one call of each workload instead of timing it")
    parser.add_argument("workloads", nargs="*")
    args = parser.parse_args()
    if args.list:
        print("\n".join(NAMES))
        return
    if not args.workloads or args.reps < 1:
        parser.error("need at least one workload and --reps >= 1")

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.flops:
        for name in args.workloads:
            print(json.dumps({"workload": name, "flops": count_flops(prepare(name))}), flush=True)
        return
    runtime = f"PyTorch {torch.__version__}, torchvision {torchvision.__version__}"
    for name in args.workloads:
        step = prepare(name)
        calls = warm_up(step, args.warmup)
        millis = time_repetitions(step, calls, args.reps)
        print(json.dumps({
            "side": "pytorch", "workload": name, "threads": torch.get_num_threads(),
            "calls_per_rep": calls, "ms": [round(m, 3) for m in millis],
            "median_ms": round(statistics.median(millis), 3), "min_ms": round(min(millis), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "runtime": runtime,
        }), flush=True)


if __name__ == "__main__":
    main()
