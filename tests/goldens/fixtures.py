#!/usr/bin/python3
"""Writes the PyTorch fixtures that are not single-op cases: model parity sets, optimiser
trajectories, .pth files written by torch.save, and the like.

    /usr/bin/python3 tests/goldens/fixtures.py --seed 0 --out DIR [--only NAME ...] [--if-stale]

Each module tests/goldens/fixtures/NAME.py has build(out, seed) and writes what it likes
under out = DIR/fixtures/NAME/ (modules named _*.py are shared code, not fixtures); a stamp
there (a hash of the module's source, harness.py, the shared modules and the seed) lets --if-stale skip fixtures that are current. Large fixtures are generated,
never committed. Without PyTorch it says so and exits 3.
"""
import argparse
import hashlib
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fixture_names():
    return sorted(f[:-3] for f in os.listdir(os.path.join(HERE, "fixtures"))
                  if f.endswith(".py") and not f.startswith("_"))


def fingerprint(name, seed):
    h = hashlib.sha256(("%s:%d" % (name, seed)).encode())
    shared = sorted(os.path.join(HERE, "fixtures", f) for f in os.listdir(os.path.join(HERE, "fixtures"))
                    if f.startswith("_") and f.endswith(".py"))
    for path in [os.path.join(HERE, "fixtures", name + ".py"), os.path.join(HERE, "harness.py")] + shared:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", nargs="*", help="fixture names to build (default: all)")
    parser.add_argument("--if-stale", action="store_true",
                        help="skip fixtures already built from these sources and this seed")
    opts = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("fixtures.py: PyTorch is not installed for %s; install python3-torch (Debian)" % sys.executable,
              file=sys.stderr)
        return 3
    sys.path.insert(0, HERE)
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    names = opts.only or fixture_names()
    for name in names:
        out = os.path.join(opts.out, "fixtures", name)
        stamp_path = os.path.join(out, "stamp")
        stamp = fingerprint(name, opts.seed)
        if opts.if_stale and os.path.exists(stamp_path):
            with open(stamp_path) as f:
                if f.read().strip() == stamp:
                    print("fixture %s is current (seed %d)" % (name, opts.seed))
                    continue
        os.makedirs(out, exist_ok=True)
        if os.path.exists(stamp_path):
            os.remove(stamp_path)
        module = importlib.import_module("fixtures." + name)
        module.build(out, opts.seed)
        with open(stamp_path, "w") as f:
            f.write(stamp + "\n")
        print("wrote fixture %s to %s (seed %d)" % (name, out, opts.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
