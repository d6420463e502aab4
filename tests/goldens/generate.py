#!/usr/bin/python3
"""Writes the PyTorch golden cases that Weft's conformance suite checks every op against.

    /usr/bin/python3 tests/goldens/generate.py --seed 0 --out DIR

writes DIR/manifest.json (every case: op, arguments, inputs and their views, tolerances) and
one DIR/<family>.safetensors per family of ops holding inputs, outputs, upstream gradients
and input gradients. Any seed gives a fresh set of random cases; the suite must pass for all.
Without PyTorch it says so and exits 3.
"""
import argparse
import hashlib
import importlib
import json
import os
import sys

FAMILIES = ["elementwise", "reduction", "shape", "linalg", "conv", "norm", "random", "losses"]
HERE = os.path.dirname(os.path.abspath(__file__))


def fingerprint(seed):
    """A hash of the generator's sources and the seed: unchanged means the goldens are current."""
    h = hashlib.sha256(str(seed).encode())
    for root in (HERE, os.path.join(HERE, "cases")):
        for f in sorted(os.listdir(root)):
            if f.endswith(".py"):
                with open(os.path.join(root, f), "rb") as fh:
                    h.update(f.encode() + fh.read())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--if-stale", action="store_true",
                        help="do nothing if OUT already holds goldens from these sources and this seed")
    opts = parser.parse_args()

    stamp = fingerprint(opts.seed)
    manifest_path = os.path.join(opts.out, "manifest.json")
    if opts.if_stale and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            if json.load(f).get("fingerprint") == stamp:
                print("goldens in %s are current (seed %d)" % (opts.out, opts.seed))
                return 0
    try:
        import torch
    except ImportError:
        print("generate.py: PyTorch is not installed for %s; install python3-torch (Debian) to make goldens"
              % sys.executable, file=sys.stderr)
        return 3
    sys.path.insert(0, HERE)
    from harness import Builder, write_safetensors

    torch.set_num_threads(1)
    os.makedirs(opts.out, exist_ok=True)
    cases = []
    for i, family in enumerate(FAMILIES):
        module = importlib.import_module("cases." + family)
        builder = Builder(family, opts.seed * 1000 + i)
        module.build(builder)
        write_safetensors(os.path.join(opts.out, family + ".safetensors"), builder.tensors)
        for c in builder.cases:
            c["file"] = family + ".safetensors"
        cases.extend(builder.cases)
    manifest = {"seed": opts.seed, "torch": torch.__version__, "fingerprint": stamp, "cases": cases}
    with open(manifest_path + ".tmp", "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)
    print("wrote %d cases to %s (seed %d, torch %s)" % (len(cases), opts.out, opts.seed, torch.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
