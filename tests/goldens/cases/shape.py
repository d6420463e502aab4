"""Golden cases of the shape ops: views, joining and splitting, padding and reordering,
indexing, creation and dtype conversion.

These ops move values without arithmetic, so outputs must be equal to PyTorch's (tol=0).
Where a result does add floating-point numbers (a gradient summed over broadcast or
repeated copies, a scatter-add with repeated indices) the order of the additions may differ
from PyTorch's and the tolerance is 1e-6, as for elementwise ops.
"""
import struct

import torch
import torch.nn.functional as F

EXACT = 0.0
SUMMED = 1e-6  # results that add several values: the order of the additions may differ

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32,
          "U8": torch.uint8, "BOOL": torch.bool, "BF16": torch.bfloat16, "F16": torch.float16}


def build(g):
    views(g)
    joining(g)
    reordering(g)
    indexing(g)
    creation(g)
    conversions(g)


# ---------------------------------------------------------------- views

def views(g):
    a, b, c = g.randsize(2, 4), g.randsize(3, 5), g.randsize(2, 5)
    x = lambda: g.randn(a, b, c)

    g.case("view", lambda t: t.view(a * b, c), {"x": x()}, args={"shape": [a * b, c]}, tol=EXACT)
    g.case("view", lambda t: t.view(-1), {"x": x()}, args={"shape": [-1]}, tol=EXACT, gradgradcheck=True)
    g.case("view", lambda t: t.view(a, -1, 1), {"x": x()}, args={"shape": [a, -1, 1]}, tol=EXACT)
    # A slice with step 2 in the last dimension still views as two dimensions of it.
    g.case("view", lambda t: t.view(3, 2, 2), {"x": g.noncontig([3, 4], kind="slice")},
           args={"shape": [3, 2, 2]}, tol=EXACT)

    g.case("reshape", lambda t: t.reshape(c, a * b), {"x": x()}, args={"shape": [c, a * b]}, tol=EXACT)
    g.case("reshape", lambda t: t.reshape(-1, c), {"x": x()}, args={"shape": [-1, c]}, tol=EXACT)
    # Non-contiguous inputs that no strides can show in the new shape: reshape copies.
    g.case("reshape", lambda t: t.reshape(-1), {"x": g.noncontig([b, c])}, args={"shape": [-1]}, tol=EXACT)
    g.case("reshape", lambda t: t.reshape(c, -1), {"x": g.noncontig([a, b, c], kind="permute")},
           args={"shape": [c, -1]}, tol=EXACT)
    g.case("reshape", lambda t: t.reshape(1, b, 1, c, 1), {"x": g.noncontig([b, c], kind="slice")},
           args={"shape": [1, b, 1, c, 1]}, tol=EXACT)
    g.case("reshape", lambda t: t.reshape(3, 0), {"x": g.randn(0, 3)}, args={"shape": [3, 0]}, tol=EXACT)

    g.case("transpose", lambda t: t.transpose(0, 2), {"x": x()}, args={"dim0": 0, "dim1": 2}, tol=EXACT)
    g.case("transpose", lambda t: t.transpose(-1, -2), {"x": g.noncontig([a, b, c], kind="slice")},
           args={"dim0": -1, "dim1": -2}, tol=EXACT)
    g.case("t", lambda t: t.t(), {"x": g.randn(a, c)}, tol=EXACT)
    g.case("t", lambda t: t.t(), {"x": g.noncontig([b, a])}, tol=EXACT)
    g.case("t", lambda t: t.t(), {"x": g.randn(c)}, tol=EXACT)

    g.case("permute", lambda t: t.permute(2, 0, 1), {"x": x()}, args={"dims": [2, 0, 1]}, tol=EXACT)
    g.case("permute", lambda t: t.permute(-1, 0, 1), {"x": g.noncontig([a, b, c], kind="slice")},
           args={"dims": [-1, 0, 1]}, tol=EXACT)
    g.case("permute", lambda t: t.permute(1, 3, 0, 2), {"x": g.noncontig([2, a, 3, b], kind="permute")},
           args={"dims": [1, 3, 0, 2]}, tol=EXACT)

    g.case("narrow", lambda t: t.narrow(1, 1, b - 2), {"x": x()}, args={"dim": 1, "start": 1, "length": b - 2},
           tol=EXACT)
    g.case("narrow", lambda t: t.narrow(-1, -2, 2), {"x": g.noncontig([a, b, c])},
           args={"dim": -1, "start": -2, "length": 2}, tol=EXACT)
    g.case("narrow", lambda t: t.narrow(0, 0, 0), {"x": x()}, args={"dim": 0, "start": 0, "length": 0}, tol=EXACT)

    n = g.randsize(7, 11)
    g.case("slice", lambda t: t[:, 1:7:2], {"x": g.randn(3, n)}, args={"dim": 1, "start": 1, "end": 7, "step": 2},
           tol=EXACT, gradgradcheck=True)
    g.case("slice", lambda t: t[-3:], {"x": g.randn(n, 2)}, args={"dim": 0, "start": -3, "end": 1 << 30, "step": 1},
           tol=EXACT)
    g.case("slice", lambda t: t[..., -5:-1:3], {"x": g.noncontig([2, 3, n], kind="permute")},
           args={"dim": -1, "start": -5, "end": -1, "step": 3}, tol=EXACT)
    g.case("slice", lambda t: t[:, 4:2], {"x": g.randn(3, n)}, args={"dim": 1, "start": 4, "end": 2, "step": 1},
           tol=EXACT)

    g.case("select", lambda t: t.select(1, -1), {"x": x()}, args={"dim": 1, "index": -1}, tol=EXACT)
    g.case("select", lambda t: t.select(-1, 1), {"x": g.noncontig([a, b, c], kind="permute")},
           args={"dim": -1, "index": 1}, tol=EXACT)
    g.case("select", lambda t: t.select(0, 0), {"x": g.randn(b)}, args={"dim": 0, "index": 0}, tol=EXACT)

    # Expanding copies values exactly; its gradient sums the copies.
    g.case("expand", lambda t: t.expand(b, c), {"x": g.randn(b, 1)}, args={"sizes": [b, c]}, tol=EXACT,
           grad_tol=SUMMED, gradgradcheck=True)
    g.case("expand", lambda t: t.expand(a, -1, c), {"x": g.randn(b, 1)}, args={"sizes": [a, -1, c]}, tol=EXACT,
           grad_tol=SUMMED)
    g.case("expand", lambda t: t.expand(2, a, b, 3), {"x": g.noncontig([b, 1], kind="transpose")},
           args={"sizes": [2, a, b, 3]}, tol=EXACT, grad_tol=SUMMED)
    g.case("expand", lambda t: t.expand(4, 3), {"x": g.randn()}, args={"sizes": [4, 3]}, tol=EXACT,
           grad_tol=SUMMED)

    g.case("squeeze", lambda t: t.squeeze(), {"x": g.randn(1, b, 1, c, 1)}, tol=EXACT)
    g.case("squeeze", lambda t: t.squeeze(2), {"x": g.randn(b, c, 1)}, args={"dim": 2}, tol=EXACT)
    g.case("squeeze", lambda t: t.squeeze(-3), {"x": g.randn(1, b, c)}, args={"dim": -3}, tol=EXACT)
    g.case("squeeze", lambda t: t.squeeze(1), {"x": g.noncontig([b, c])}, args={"dim": 1}, tol=EXACT)
    g.case("unsqueeze", lambda t: t.unsqueeze(-1), {"x": g.noncontig([b, c])}, args={"dim": -1}, tol=EXACT)
    g.case("unsqueeze", lambda t: t.unsqueeze(0), {"x": g.randn(b)}, args={"dim": 0}, tol=EXACT)
    g.case("unsqueeze", lambda t: t.unsqueeze(-3), {"x": g.randn(b, c)}, args={"dim": -3}, tol=EXACT)

    g.case("flatten", lambda t: t.flatten(), {"x": x()}, args={"start": 0, "end": -1}, tol=EXACT)
    g.case("flatten", lambda t: t.flatten(1, 2), {"x": g.randn(2, a, b, c)}, args={"start": 1, "end": 2}, tol=EXACT)
    g.case("flatten", lambda t: t.flatten(-2, -1), {"x": g.noncontig([a, b, c], kind="permute")},
           args={"start": -2, "end": -1}, tol=EXACT)
    g.case("flatten", lambda t: t.flatten(0, 1), {"x": g.noncontig([a, b, c], kind="slice")},
           args={"start": 0, "end": 1}, tol=EXACT)

    g.case("contiguous", lambda t: t.contiguous(), {"x": g.noncontig([b, c])}, tol=EXACT)
    g.case("contiguous", lambda t: t.contiguous(), {"x": x()}, tol=EXACT)


# ---------------------------------------------------------------- joining and splitting

def joining(g):
    a, b = g.randsize(2, 4), g.randsize(2, 5)

    g.case("cat", lambda x, y, z: torch.cat([x, y, z], 1),
           {"x": g.randn(a, 2), "y": g.randn(a, b), "z": g.noncontig([a, 3])}, args={"dim": 1}, tol=EXACT,
           gradgradcheck=True)
    g.case("cat", lambda x, y: torch.cat([x, y], -3),
           {"x": g.randn(1, a, b), "y": g.noncontig([2, a, b], kind="permute")}, args={"dim": -3}, tol=EXACT)
    g.case("cat", lambda x: torch.cat([x], 0), {"x": g.noncontig([a, b], kind="slice")}, args={"dim": 0},
           tol=EXACT)
    # An input empty along dim, and PyTorch's legacy one-dimensional empty input, which is skipped.
    g.case("cat", lambda x, y, z: torch.cat([x, y, z], 0),
           {"x": g.randn(0, b), "y": g.randn(a, b), "z": g.randn(0)}, args={"dim": 0}, tol=EXACT)
    g.case("cat", lambda x, y: torch.cat([x, y], 1), {"x": g.randn(0), "y": g.randn(a, b)}, args={"dim": 1},
           tol=EXACT)
    # Mixed dtypes promote; each gradient comes back in its input's dtype.
    g.case("cat", lambda x, y: torch.cat([x, y], 0), {"x": g.randn(2, b), "y": g.randn(a, b, dtype=torch.float64)},
           args={"dim": 0}, tol=EXACT)
    g.case("cat", lambda x, y: torch.cat([x, y], 1),
           {"x": g.randint(-9, 9, a, 2), "y": g.noncontig([a, 3], dtype=torch.int64,
                                                            maker=lambda *s: g.randint(-9, 9, *s))},
           args={"dim": 1}, tol=EXACT)

    g.case("stack", lambda x, y, z: torch.stack([x, y, z], 0),
           {"x": g.randn(a, b), "y": g.noncontig([a, b]), "z": g.randn(a, b)}, args={"dim": 0}, tol=EXACT,
           gradgradcheck=True)
    g.case("stack", lambda x, y: torch.stack([x, y], -1), {"x": g.randn(a, b), "y": g.randn(a, b)},
           args={"dim": -1}, tol=EXACT)
    g.case("stack", lambda x, y: torch.stack([x, y], 1), {"x": g.randn(b), "y": g.noncontig([b], kind="slice")},
           args={"dim": 1}, tol=EXACT)
    g.case("stack", lambda x, y: torch.stack([x, y], 1),
           {"x": g.randint(0, 2, a, b).bool(), "y": g.randint(0, 2, a, b).bool()}, args={"dim": 1}, tol=EXACT)

    n = g.randsize(5, 9)
    g.case("split", lambda x: x.split(2, 1), {"x": g.randn(a, n)}, args={"size": 2, "dim": 1}, tol=EXACT,
           gradgradcheck=True)
    g.case("split", lambda x: x.split(3, -1), {"x": g.noncontig([a, n])}, args={"size": 3, "dim": -1}, tol=EXACT)
    g.case("split", lambda x: x.split(n + 2, 0), {"x": g.randn(n, a)}, args={"size": n + 2, "dim": 0}, tol=EXACT)
    g.case("split", lambda x: x.split([1, n - 3, 2], 0), {"x": g.noncontig([n, a], kind="slice")},
           args={"sizes": [1, n - 3, 2], "dim": 0}, tol=EXACT)
    g.case("split", lambda x: x.split([0, n], 1), {"x": g.randn(a, n)}, args={"sizes": [0, n], "dim": 1},
           tol=EXACT)
    # Only some pieces are used: the others' gradients are zeros.
    g.case("split", lambda x: x.split(2, 0)[1], {"x": g.randn(n, a)}, args={"size": 2, "dim": 0, "take": 1},
           tol=EXACT)

    g.case("chunk", lambda x: x.chunk(3, 1), {"x": g.randn(a, n)}, args={"chunks": 3, "dim": 1}, tol=EXACT)
    g.case("chunk", lambda x: x.chunk(4, 0), {"x": g.randn(6, a)}, args={"chunks": 4, "dim": 0}, tol=EXACT)
    g.case("chunk", lambda x: x.chunk(2, -2), {"x": g.noncontig([n, a], kind="transpose")},
           args={"chunks": 2, "dim": -2}, tol=EXACT, gradgradcheck=True)
    g.case("chunk", lambda x: x.chunk(n + 3, 1), {"x": g.randn(a, n)}, args={"chunks": n + 3, "dim": 1},
           tol=EXACT)
    g.case("chunk", lambda x: x.chunk(3, 0), {"x": g.randn(0, a)}, args={"chunks": 3, "dim": 0}, tol=EXACT)

    g.case("pad", lambda x: F.pad(x, [1, 2]), {"x": g.randn(a, b)}, args={"pad": [1, 2]}, tol=EXACT,
           gradgradcheck=True)
    g.case("pad", lambda x: F.pad(x, [0, 1, 2, 0], value=-1.5), {"x": g.noncontig([a, b])},
           args={"pad": [0, 1, 2, 0], "value": -1.5}, tol=EXACT)
    g.case("pad", lambda x: F.pad(x, [1, 1, 0, 0, 2, 1]), {"x": g.noncontig([2, a, b], kind="permute")},
           args={"pad": [1, 1, 0, 0, 2, 1]}, tol=EXACT)
    # Negative padding crops.
    g.case("pad", lambda x: F.pad(x, [-1, 2, 1, -2]), {"x": g.randn(4, 5)}, args={"pad": [-1, 2, 1, -2]}, tol=EXACT,
           gradgradcheck=True)
    g.case("pad", lambda x: F.pad(x, [-2, -3]), {"x": g.randn(a, 5)}, args={"pad": [-2, -3]}, tol=EXACT)
    g.case("pad", lambda x: F.pad(x, [2, 0], value=7), {"x": g.randint(-5, 5, a, b)}, args={"pad": [2, 0], "value": 7},
           tol=EXACT)


# ---------------------------------------------------------------- reordering

def reordering(g):
    a, b, c = g.randsize(2, 4), g.randsize(3, 6), g.randsize(2, 5)

    g.case("roll", lambda x: x.roll(1, 0), {"x": g.randn(a, b)}, args={"shifts": [1], "dims": [0]}, tol=EXACT,
           gradgradcheck=True)
    g.case("roll", lambda x: x.roll(-2, -1), {"x": g.noncontig([a, b])}, args={"shifts": [-2], "dims": [-1]},
           tol=EXACT)
    g.case("roll", lambda x: x.roll((2, -1, 7), (0, 2, 1)), {"x": g.noncontig([a, b, c], kind="permute")},
           args={"shifts": [2, -1, 7], "dims": [0, 2, 1]}, tol=EXACT)
    g.case("roll", lambda x: x.roll((1, 1), (1, 1)), {"x": g.randn(a, b)}, args={"shifts": [1, 1], "dims": [1, 1]},
           tol=EXACT)
    # No dims: the flattened tensor rolls.
    g.case("roll", lambda x: x.roll(5), {"x": g.noncontig([a, b], kind="slice")}, args={"shifts": [5], "dims": []},
           tol=EXACT, gradgradcheck=True)
    g.case("roll", lambda x: x.roll(3, 1), {"x": g.randint(0, 100, a, b, dtype=torch.int32)},
           args={"shifts": [3], "dims": [1]}, tol=EXACT)

    g.case("flip", lambda x: x.flip(0), {"x": g.randn(a, b)}, args={"dims": [0]}, tol=EXACT, gradgradcheck=True)
    g.case("flip", lambda x: x.flip(0, 2), {"x": g.noncontig([a, b, c], kind="permute")}, args={"dims": [0, 2]},
           tol=EXACT)
    g.case("flip", lambda x: x.flip(-1, 0, 1), {"x": g.noncontig([a, b, c], kind="slice")},
           args={"dims": [-1, 0, 1]}, tol=EXACT)
    g.case("flip", lambda x: x.flip(1), {"x": g.randint(0, 255, a, b, dtype=torch.uint8)}, args={"dims": [1]},
           tol=EXACT)
    g.case("flip", lambda x: x.flip(0), {"x": g.randn(0, b)}, args={"dims": [0]}, tol=EXACT)

    # Repeating copies values exactly; its gradient sums the tiles.
    g.case("repeat", lambda x: x.repeat(2, 3), {"x": g.randn(a, b)}, args={"repeats": [2, 3]}, tol=EXACT,
           grad_tol=SUMMED, gradgradcheck=True)
    g.case("repeat", lambda x: x.repeat(2, 1, 3, 1), {"x": g.noncontig([a, b])}, args={"repeats": [2, 1, 3, 1]},
           tol=EXACT, grad_tol=SUMMED)
    g.case("repeat", lambda x: x.repeat(1, 2, 1), {"x": g.noncontig([a, b, c], kind="permute")},
           args={"repeats": [1, 2, 1]}, tol=EXACT, grad_tol=SUMMED)
    g.case("repeat", lambda x: x.repeat(0, 2), {"x": g.randn(a, b)}, args={"repeats": [0, 2]}, tol=EXACT)
    g.case("repeat", lambda x: x.repeat(3), {"x": g.randn()}, args={"repeats": [3]}, tol=EXACT, grad_tol=SUMMED)
    g.case("repeat", lambda x: x.repeat(2, 2),
           {"x": g.input(g.randn(a, b, dtype=torch.bfloat16), requires_grad=False)}, args={"repeats": [2, 2]},
           tol=EXACT)


# ---------------------------------------------------------------- indexing

def indexing(g):
    a, b, c = g.randsize(2, 4), g.randsize(3, 6), g.randsize(2, 5)

    g.case("gather", lambda x, i: x.gather(1, i), {"x": g.randn(a, b), "index": g.randint(0, b, a, 7)},
           args={"dim": 1}, tol=EXACT, grad_tol=SUMMED, gradgradcheck=True)
    g.case("gather", lambda x, i: x.gather(0, i), {"x": g.noncontig([a, b]), "index": g.randint(0, a, 5, b - 1)},
           args={"dim": 0}, tol=EXACT, grad_tol=SUMMED)
    g.case("gather", lambda x, i: x.gather(-1, i),
           {"x": g.noncontig([a, b, c], kind="permute"),
            "index": g.input(g.randint(0, c, a, 2 * b, c - 1), [["slice", 1, 0, 2 * b, 2]])},
           args={"dim": -1}, tol=EXACT, grad_tol=SUMMED)
    g.case("gather", lambda x, i: x.gather(1, i), {"x": g.randn(a, b), "index": g.randint(0, b, a, 0)},
           args={"dim": 1}, tol=EXACT)
    g.case("gather", lambda x, i: x.gather(0, i), {"x": g.randn(), "index": torch.tensor(0)}, args={"dim": 0},
           tol=EXACT)
    g.case("gather", lambda x, i: x.gather(1, i),
           {"x": g.input(g.randn(a, b, dtype=torch.float16), requires_grad=False), "index": g.randint(0, b, a, 3)},
           args={"dim": 1}, tol=EXACT)
    g.case("gather", lambda x, i: x.gather(0, i), {"x": g.randint(-100, 100, a, b), "index": g.randint(0, a, 3, b)},
           args={"dim": 0}, tol=EXACT)

    # Index no larger than src (PyTorch's autograd refuses a smaller one, so that is a unit test).
    g.case("scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           {"x": g.randn(a, b), "index": g.randint(0, b, a, 7), "src": g.randn(a, 7)},
           args={"dim": 1}, tol=SUMMED, gradgradcheck=True)
    g.case("scatter_add", lambda x, i, s: x.scatter_add(0, i, s),
           {"x": g.noncontig([a, b]), "index": g.randint(0, a, 6, b), "src": g.noncontig([6, b], kind="slice")},
           args={"dim": 0}, tol=SUMMED)
    g.case("scatter_add", lambda x, i, s: x.scatter_add(-2, i, s),
           {"x": g.randn(a, b, c), "index": g.randint(0, b, a, 9, c),
            "src": g.noncontig([a, 9, c], kind="permute")}, args={"dim": -2}, tol=SUMMED)
    g.case("scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           {"x": g.randint(-9, 9, a, b), "index": g.randint(0, b, a, 8), "src": g.randint(-9, 9, a, 8)},
           args={"dim": 1}, tol=EXACT)
    g.case("scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           {"x": g.randint(0, 2, a, b).bool(), "index": g.randint(0, b, a, 4), "src": g.randint(0, 2, a, 4).bool()},
           args={"dim": 1}, tol=EXACT)
    g.case("scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           {"x": g.randint(200, 256, a, b, dtype=torch.uint8), "index": g.randint(0, b, a, 4),
            "src": g.randint(0, 256, a, 4, dtype=torch.uint8)}, args={"dim": 1}, tol=EXACT)
    # Duplicates collide: with two distinct indices per row, many elements of each row add up.
    g.case("scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           {"x": g.randn(a, b), "index": g.randint(0, 2, a, 40), "src": g.randn(a, 40)}, args={"dim": 1},
           tol=SUMMED)

    g.case("index_select", lambda x, i: x.index_select(0, i), {"x": g.randn(a, b), "index": g.randint(0, a, 7)},
           args={"dim": 0}, tol=EXACT, grad_tol=SUMMED, gradgradcheck=True)
    g.case("index_select", lambda x, i: x.index_select(1, i),
           {"x": g.noncontig([a, b, c], kind="permute"), "index": torch.tensor([b - 1, 0, 0, 1])},
           args={"dim": 1}, tol=EXACT, grad_tol=SUMMED)
    g.case("index_select", lambda x, i: x.index_select(-1, i),
           {"x": g.noncontig([a, b], kind="slice"),
            "index": g.input(g.randint(0, b, 10), [["slice", 0, 1, 10, 3]])}, args={"dim": -1}, tol=EXACT,
           grad_tol=SUMMED)
    g.case("index_select", lambda x, i: x.index_select(0, i), {"x": g.randn(a, b), "index": torch.zeros(0).long()},
           args={"dim": 0}, tol=EXACT)
    g.case("index_select", lambda x, i: x.index_select(1, i), {"x": g.randn(a, b), "index": torch.tensor(2)},
           args={"dim": 1}, tol=EXACT)
    g.case("index_select", lambda x, i: x.index_select(0, i),
           {"x": g.randint(0, 2, a, b).bool(), "index": g.randint(0, a, 5)}, args={"dim": 0}, tol=EXACT)

    g.case("index_add", lambda x, i, s: x.index_add(0, i, s),
           {"x": g.randn(a, b), "index": g.randint(0, a, 6), "src": g.randn(6, b)},
           args={"dim": 0}, tol=SUMMED, gradgradcheck=True)
    g.case("index_add", lambda x, i, s: x.index_add(-1, i, s),
           {"x": g.noncontig([a, b, c], kind="permute"), "index": g.randint(0, c, 9),
            "src": g.noncontig([a, b, 9])}, args={"dim": -1}, tol=SUMMED)
    g.case("index_add", lambda x, i, s: x.index_add(1, i, s),
           {"x": g.randint(-9, 9, a, b), "index": g.randint(0, b, 5), "src": g.randint(-9, 9, a, 5)},
           args={"dim": 1}, tol=EXACT)

    g.case("masked_fill", lambda x, m: x.masked_fill(m, -2.5), {"x": g.randn(a, b), "mask": g.rand(a, b) > 0.5},
           args={"value": -2.5}, tol=EXACT, gradgradcheck=True)
    g.case("masked_fill", lambda x, m: x.masked_fill(m, 0.0),
           {"x": g.noncontig([a, b, c], kind="permute"), "mask": g.rand(b, 1) > 0.5}, args={"value": 0.0}, tol=EXACT)
    # The tensor is broadcast to the mask's shape: its gradient sums over the copies.
    g.case("masked_fill", lambda x, m: x.masked_fill(m, 3.0), {"x": g.randn(b, 1), "mask": g.rand(a, b, c) > 0.3},
           args={"value": 3.0}, tol=EXACT, grad_tol=SUMMED)
    g.case("masked_fill", lambda x, m: x.masked_fill(m, float("-inf")),
           {"x": g.randn(a, b), "mask": g.input(g.rand(b, a) > 0.5, [["transpose", 0, 1]])},
           # JSON has no infinity: the Java side reads the string. Finite differences of -inf are NaN.
           args={"value": "-inf"}, tol=EXACT, gradcheck=False)
    g.case("masked_fill", lambda x, m: x.masked_fill(m, 7.9), {"x": g.randint(-5, 5, a, b), "mask": g.rand(a, b) > 0.5},
           args={"value": 7.9}, tol=EXACT)
    g.case("masked_fill", lambda x, m: x.masked_fill(m, 1.1),
           {"x": g.input(g.randn(a, b, dtype=torch.bfloat16), requires_grad=False), "mask": g.rand(a, b) > 0.5},
           args={"value": 1.1}, tol=EXACT)

    g.case("one_hot", lambda x: F.one_hot(x), {"x": g.randint(0, 6, a, b)}, args={"num_classes": -1}, tol=EXACT)
    g.case("one_hot", lambda x: F.one_hot(x, 9), {"x": g.randint(0, 6, 2 * b)}, args={"num_classes": 9}, tol=EXACT)
    g.case("one_hot", lambda x: F.one_hot(x, 4),
           {"x": g.input(g.randint(0, 4, b, a), [["transpose", 0, 1]])}, args={"num_classes": 4}, tol=EXACT)
    g.case("one_hot", lambda x: F.one_hot(x, 3), {"x": torch.tensor(2)}, args={"num_classes": 3}, tol=EXACT)
    g.case("one_hot", lambda x: F.one_hot(x, 5), {"x": torch.zeros(0, 2).long()}, args={"num_classes": 5}, tol=EXACT)


# ---------------------------------------------------------------- creation (no tensor inputs)

def creation(g):
    # PyTorch computes linspace in the output's precision (float for F32, partly in 8-lane vectors);
    # Weft computes start + i*step in double and rounds once, so F32 values may differ by an ulp.
    ulp = 1e-7
    for start, end, step, dtype in [(0, 5, 1, "I64"), (2, 11, 3, "I64"), (10, 0, -3, "I64"), (-3, 4, 1, "I32"),
                                    (0, 1, 0.1, "F32"), (1, 1.3, 0.1, "F32"), (0.5, -2.5, -0.25, "F64"),
                                    (-1, 7.5, 0.7, "F32"), (3, 3, 1, "F32"), (0, 40, 1.5, "F64")]:
        g.case("arange", lambda s=start, e=end, st=step, d=dtype: torch.arange(s, e, st, dtype=DTYPES[d]), {},
               args={"start": start, "end": end, "step": step, "dtype": dtype}, tol=EXACT)
    for start, end, steps, dtype in [(0, 1, 5, "F32"), (-2, 3, 7, "F32"), (3, -1, 20, "F64"), (1, 2, 1, "F32"),
                                     (1, 2, 0, "F32"), (0, 10, 5, "I64"), (-1.5, 1.5, 31, "F32")]:
        tol = EXACT if dtype == "I64" else ulp
        g.case("linspace", lambda s=start, e=end, n=steps, d=dtype: torch.linspace(s, e, n, dtype=DTYPES[d]), {},
               args={"start": start, "end": end, "steps": steps, "dtype": dtype}, tol=tol)
    for n, m, dtype in [(3, 3, "F32"), (3, 5, "F32"), (4, 2, "I64"), (1, 1, "F64"), (0, 0, "F32"), (2, 3, "BOOL")]:
        g.case("eye", lambda n=n, m=m, d=dtype: torch.eye(n, m, dtype=DTYPES[d]), {},
               args={"n": n, "m": m, "dtype": dtype}, tol=EXACT)
    for shape, value, dtype in [([2, 3], 1.5, "F32"), ([4], -2.0, "F64"), ([2, 2], 2.7, "I64"), ([3], 1.0, "BOOL"),
                                ([0, 3], 4.0, "F32"), ([], 0.1, "BF16"), ([2, 1], 0.1, "F16"), ([5], 300.0, "I32")]:
        g.case("full", lambda s=shape, v=value, d=dtype: torch.full(s, v, dtype=DTYPES[d]), {},
               args={"shape": shape, "value": value, "dtype": dtype}, tol=EXACT)
    for shape, dtype in [([2, 3], "F32"), ([4, 1, 2], "I64"), ([], "F64"), ([0], "BOOL"), ([3], "F16")]:
        g.case("zeros", lambda s=shape, d=dtype: torch.zeros(s, dtype=DTYPES[d]), {},
               args={"shape": shape, "dtype": dtype}, tol=EXACT)
        g.case("ones", lambda s=shape, d=dtype: torch.ones(s, dtype=DTYPES[d]), {},
               args={"shape": shape, "dtype": dtype}, tol=EXACT)


# ---------------------------------------------------------------- dtype conversions

def f32_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def conversion_values(g, src, dst):
    """Values of dtype `src` that exercise the conversion to `dst` where PyTorch defines it.

    Floating values going to an integer type stay inside its range (C++ leaves the rest
    undefined) and are never NaN; integers narrow by wrapping; BF16 and F16 round to nearest
    even, so exact halfway points are included; floats overflow to infinity.
    """
    s, d = DTYPES[src], DTYPES[dst]
    if s == torch.bool:
        return g.randint(0, 2, 12).bool()
    if not s.is_floating_point:
        if s == torch.uint8:
            return torch.cat([torch.tensor([0, 1, 127, 128, 255], dtype=s), g.randint(0, 256, 11, dtype=s)])
        lo, hi = (-2 ** 31, 2 ** 31 - 1) if s == torch.int32 else (-2 ** 62, 2 ** 62)
        edge = [0, 1, -1, 255, 256, -129, 2049, 65504, 65520, 70000, -70000, 16777217, -16777219,
                2 ** 31 - 1, -2 ** 31]
        if s == torch.int64:
            # Beyond float's 24 bits: one rounding to F32 (a detour through double would round twice).
            edge += [2 ** 60 + 2 ** 36 + 1, -(2 ** 60 + 2 ** 36 + 1), 2 ** 53 + 1, 2 ** 40 + 7, 2 ** 33 - 5]
        return torch.cat([torch.tensor(edge, dtype=s), g.randint(lo, hi, 12, dtype=s),
                          g.randint(-300, 300, 8, dtype=s)])
    # Floating source.
    if d == torch.uint8:
        # PyTorch goes through int64 to uint8, so values outside [0, 256) wrap and are defined too.
        v = [0.0, 0.5, 0.99, 1.0, 254.9, 255.0, 127.5, -0.5, -3.7, 300.5] + g.rand(10, high=255.99,
                                                                                dtype=torch.float64).tolist()
    elif d in (torch.int32, torch.int64):
        big = {torch.float16: 60000.0, torch.bfloat16: 1e9, torch.float32: 1e9, torch.float64: 2e9}[s]
        if d == torch.int64 and s != torch.float16:
            big = 1e15 if s != torch.float64 else 4e18
        v = [0.0, -0.0, 0.7, -0.7, 1.5, -1.5, 2.5, -2.99, big, -big] + g.rand(12, low=-big, high=big,
                                                                             dtype=torch.float64).tolist()
    elif d == torch.bool:
        v = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1e-40, -2.5, 1.0] + g.randn(8).tolist()
    else:
        v = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1.0, -1.0, 65504.0, 65519.0, 65520.0, 1e5,
             3e38, 1e-5, 6e-8, 3e-8, 2.0 ** -25, 3 * 2.0 ** -25, 1e-40, 1e-320, 1e300,
             # Exact halfway points of BF16 (7 stored bits) and F16 (10), and of F32 from F64 (23).
             1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 1 + 2.0 ** -24, 1 + 3 * 2.0 ** -24,
             f32_bits(0x3F808000), f32_bits(0x3F818000), f32_bits(0x7F7FFFFF)]
        v += (g.randn(16, dtype=torch.float64) * 100).tolist()
    return torch.tensor(v, dtype=torch.float64).to(s)


def conversions(g):
    names = list(DTYPES)
    for src in names:
        for dst in names:
            x = conversion_values(g, src, dst)
            # Gradients flow between floating types only, and are checked against PyTorch's; no
            # finite differences: a result rounded to F32 or narrower is too coarse for them, and
            # the values include infinities and NaN.
            rg = x.dtype.is_floating_point and DTYPES[dst].is_floating_point and src != dst
            g.case("to", lambda t, d=dst: t.to(DTYPES[d]), {"x": g.input(x, requires_grad=rg)}, args={"dtype": dst},
                   tol=EXACT, gradcheck=False)
    # Non-contiguous sources convert element by element like contiguous ones.
    g.case("to", lambda t: t.to(torch.bfloat16), {"x": g.noncontig([3, 5])}, args={"dtype": "BF16"}, tol=EXACT,
           gradcheck=False)
    g.case("to", lambda t: t.to(torch.float16), {"x": g.noncontig([4, 3], kind="slice")}, args={"dtype": "F16"},
           tol=EXACT, gradcheck=False)
    g.case("to", lambda t: t.to(torch.int32), {"x": g.noncontig([2, 3, 4], kind="permute", dtype=torch.int64,
                                                                 maker=lambda *s: g.randint(-2 ** 40, 2 ** 40, *s))},
           args={"dtype": "I32"}, tol=EXACT)
    g.case("to", lambda t: t.to(torch.float64), {"x": g.noncontig([3, 4], kind="slice")}, args={"dtype": "F64"},
           tol=EXACT, gradgradcheck=True)
    g.case("to", lambda t: t.to(torch.float32),
           {"x": g.noncontig([3, 4], dtype=torch.bfloat16, maker=lambda *s: g.randn(*s, dtype=torch.bfloat16))},
           args={"dtype": "F32"}, tol=EXACT, gradcheck=False)
