"""The golden-case builder shared by every family of cases.

A case is one call of one op on concrete inputs. For each case the builder records the
inputs (as contiguous base tensors plus the view steps that turn them into the actual,
possibly non-contiguous, arguments), the outputs PyTorch computes, random upstream
gradients for the floating-point outputs, and the gradients PyTorch's autograd gives the
inputs. Weft's conformance test replays the same view steps and the same op and compares.
"""
import json
import struct

import torch

DTYPE_NAMES = {
    torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
    torch.uint8: "U8", torch.bool: "BOOL", torch.bfloat16: "BF16", torch.float16: "F16",
}


class Input:
    """A base tensor, the view steps applied to it, and whether the op's gradient w.r.t. it is checked."""

    def __init__(self, base, views=(), requires_grad=None):
        self.base = base.contiguous()
        self.views = [list(v) for v in views]
        if requires_grad is None:
            requires_grad = base.dtype.is_floating_point
        self.requires_grad = requires_grad

    def value(self):
        t = apply_views(self.base, self.views)
        if self.requires_grad:
            t = t.detach().requires_grad_()
        return t


def apply_views(t, views):
    for v in views:
        kind = v[0]
        if kind == "transpose":
            t = t.transpose(v[1], v[2])
        elif kind == "permute":
            t = t.permute(*v[1])
        elif kind == "slice":
            index = [slice(None)] * t.dim()
            index[v[1]] = slice(v[2], v[3], v[4])
            t = t[tuple(index)]
        elif kind == "expand":
            t = t.expand(*v[1])
        else:
            raise ValueError("unknown view step %r" % (v,))
    return t


class Builder:
    """Collects the cases of one family; `case` runs PyTorch and records everything."""

    def __init__(self, family, seed):
        self.family = family
        self.generator = torch.Generator().manual_seed(seed)
        self.cases = []
        self.tensors = {}
        self.names = set()

    # ---- random inputs (all from this builder's generator, so a seed fixes every case)

    def randn(self, *shape, dtype=torch.float32):
        # The shape as one tuple, so that no sizes at all make a 0-d tensor.
        return torch.randn(shape, generator=self.generator, dtype=torch.float64).to(dtype)

    def rand(self, *shape, dtype=torch.float32, low=0.0, high=1.0):
        u = torch.rand(shape, generator=self.generator, dtype=torch.float64)
        return (low + (high - low) * u).to(dtype)

    def randint(self, low, high, *shape, dtype=torch.int64):
        return torch.randint(low, high, shape, generator=self.generator).to(dtype)

    def randsize(self, low, high):
        """A random dimension size in [low, high]."""
        return int(torch.randint(low, high + 1, (1,), generator=self.generator))

    def choice(self, options):
        return options[int(torch.randint(0, len(options), (1,), generator=self.generator))]

    # ---- inputs

    def input(self, tensor, views=(), requires_grad=None):
        return Input(tensor, views, requires_grad)

    def noncontig(self, shape, kind="transpose", dtype=torch.float32, maker=None):
        """An input of `shape` that is not contiguous: a transposed base, or every other element of a wider one."""
        maker = maker or (lambda *s: self.randn(*s, dtype=dtype))
        shape = list(shape)
        if kind == "transpose" and len(shape) >= 2:
            base_shape = shape[:-2] + [shape[-1], shape[-2]]
            return Input(maker(*base_shape), [["transpose", len(shape) - 2, len(shape) - 1]])
        if kind == "permute" and len(shape) >= 2:
            rank = len(shape)
            perm = list(range(rank))[::-1]
            base_shape = [shape[p] for p in perm]
            return Input(maker(*base_shape), [["permute", perm]])
        # Every other element along the last dimension (also for vectors and one-dim shapes).
        if not shape:
            return Input(maker())
        base_shape = shape[:-1] + [2 * shape[-1]]
        return Input(maker(*base_shape), [["slice", len(shape) - 1, 0, 2 * shape[-1], 2]])

    def broadcast(self, shape, expanded):
        """An input of `shape` expanded (stride 0) to `expanded`."""
        return Input(self.randn(*shape), [["expand", list(expanded)]])

    # ---- recording

    def case(self, op, fn, inputs, args=None, tol=1e-6, grad_tol=None, name=None,
             gradcheck=True, gradgradcheck=False, grads=True):
        """Runs fn(*input values) in PyTorch and records a case for Weft's `op` with `args`.

        inputs: an ordered dict name -> Input (or tensor); fn returns a tensor or a tuple.
        tol: the bound on |weft - torch| / |torch| (2-norms) for outputs, grad_tol for gradients.
        gradcheck/gradgradcheck: whether Weft also checks this case against finite differences in F64.
        """
        args = args or {}
        inputs = {k: (v if isinstance(v, Input) else Input(v)) for k, v in inputs.items()}
        base = name or op
        n = 0
        while "%s/%s_%d" % (self.family, base, n) in self.names:
            n += 1
        cname = "%s/%s_%d" % (self.family, base, n)
        self.names.add(cname)

        values = [inp.value() for inp in inputs.values()]
        out = fn(*values)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        record = {
            "name": cname, "op": op, "args": args, "tol": tol,
            "grad_tol": grad_tol if grad_tol is not None else tol,
            "gradcheck": bool(gradcheck), "gradgradcheck": bool(gradgradcheck),
            "inputs": [{"name": k, "views": inp.views, "requires_grad": inp.requires_grad}
                       for k, inp in inputs.items()],
            "outputs": len(outs),
        }
        for k, inp in inputs.items():
            self.tensors["%s/in.%s" % (cname, k)] = inp.base
        for i, o in enumerate(outs):
            self.tensors["%s/out.%d" % (cname, i)] = o.detach()

        wrt = [v for v, inp in zip(values, inputs.values()) if inp.requires_grad]
        diff_outs = [(i, o) for i, o in enumerate(outs) if o.requires_grad]
        record["grads"] = bool(grads and wrt and diff_outs)
        if record["grads"]:
            gouts = []
            for i, o in diff_outs:
                g = self.randn(*o.shape, dtype=o.dtype)
                self.tensors["%s/gout.%d" % (cname, i)] = g
                gouts.append(g)
            got = torch.autograd.grad([o for _, o in diff_outs], wrt, gouts, allow_unused=True)
            names = [k for k, inp in inputs.items() if inp.requires_grad]
            for k, g, v in zip(names, got, wrt):
                self.tensors["%s/grad.%s" % (cname, k)] = torch.zeros_like(v) if g is None else g
        self.cases.append(record)


def write_safetensors(path, tensors):
    """A minimal safetensors writer (the format is an 8-byte length, a JSON header, raw data)."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype in (torch.bfloat16, torch.float16):
            raw = t.view(torch.int16).numpy().tobytes()
        elif t.dtype == torch.bool:
            raw = t.to(torch.uint8).numpy().tobytes()
        else:
            raw = t.numpy().tobytes()
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
