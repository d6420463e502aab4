"""Golden cases of the reduction ops and the ops along one dimension (cumsum, sort, topk).

Arguments as the Java side reads them: "dims" (a list; absent means every dimension),
"keepdim", "dim", "correction", "p" (a string: a number, "inf", "-inf" or "fro"), "k",
"largest", "descending". Inputs with ties come from small integers converted to float, and
cases that have ties skip finite differences (the ops are not differentiable there).
"""
import torch

INF = float("inf")


def scalar(g):
    """A 0-dimensional input."""
    return g.randn(1).reshape(())


def ties(g, *shape):
    """Floats with many repeated values."""
    return g.randint(0, 3, *shape).to(torch.float32)


def distinct_ints(g, *shape):
    """I64 values, distinct along the last dimension (a permutation per line)."""
    return g.randn(*shape).argsort(dim=-1)


def in_double(call):
    """The reference computed in F64 and rounded to the input's type.

    PyTorch sums F32 in F32: its error is about 1e-7 of the sum of |terms|, which is more than
    1e-5 of a result that cancels to near zero (a random sum over a few elements). Weft
    accumulates in double, so the correctly rounded value is the reference it is held to.
    """
    def run(x, *args):
        if not x.is_floating_point():
            return call(x, *args)
        return call(x.double(), *args).to(x.dtype)
    return run


def shape_of(g, rank, low=1, high=6):
    return [g.randsize(low, high) for _ in range(rank)]


def reduce_cases(g, op, call, empty_reduced=True, gradgrad=False, tol=1e-5, single_is_nan=False):
    """The cases every reduction over several dimensions gets.

    call(x, dims, keepdim) is the PyTorch computation (dims None means all dimensions).
    single_is_nan: a block of one element gives NaN (the unbiased variance), so those cases
    skip finite differences.
    """

    def case(x, dims, keepdim, **kw):
        args = {"keepdim": keepdim}
        if dims is not None:
            args["dims"] = dims
        g.case(op, lambda t: call(t, dims, keepdim), {"x": x}, args=args, tol=tol, **kw)

    case(g.randn(3, 4), [1], False, gradgradcheck=gradgrad)
    low = 2 if single_is_nan else 1
    case(g.randn(*shape_of(g, 3, low)), [0, 2], True)
    case(g.randn(*shape_of(g, 3, low)), [-1, -3], False)
    case(g.randn(*shape_of(g, 4, low)), [1, -1], False)
    case(g.randn(5, 3, 7), None, False)
    case(g.randn(2, 3, 5), None, True)
    case(g.noncontig([5, 6]), [0], False)
    case(g.noncontig([3, 4, 5], kind="permute"), [1, 2], True)
    case(g.noncontig([4, 7], kind="slice"), [1], False)
    case(g.noncontig([4, 7], kind="slice"), None, False)
    case(g.randn(1, 5, 1), [0, 1], False)
    single = {"gradcheck": False} if single_is_nan else {}
    case(g.randn(6, 1), [1], True, **single)
    case(g.randn(1).reshape(()), None, False, **single)
    case(g.randn(1).reshape(()), [0], True, **single)
    case(g.randn(0, 4), [1], False)
    if empty_reduced:
        case(g.randn(3, 0), [1], False)
        case(g.randn(2, 0, 3), [1, 2], True)
    # Large enough for each schedule of the kernel: a full reduction split over the threads,
    # outputs side by side along a kept innermost dimension (with and without a split block),
    # and the same through a transposed view.
    case(g.randn(300, 400), None, False)
    case(g.randn(64, 40), [0], False)
    case(g.randn(2000, 40), [0], True)
    case(g.noncontig([40, 700]), [1], False)
    case(g.noncontig([20, 3, 30], kind="permute"), [0, 1], False)


def sums(g):
    reduce_cases(g, "sum", in_double(lambda x, d, k: x.sum() if d is None and not k
                                     else x.sum(dim=d or list(range(x.dim())), keepdim=k)), gradgrad=True)
    g.case("sum", lambda x: x.sum(dim=[1], keepdim=False), {"x": g.randint(-5, 5, 3, 4)},
           args={"dims": [1], "keepdim": False})
    g.case("sum", lambda x: x.sum(), {"x": g.randint(-9, 9, 5, 7, dtype=torch.int32)}, args={"keepdim": False})
    g.case("sum", lambda x: x.sum(dim=[0], keepdim=True), {"x": g.rand(4, 3) < 0.5},
           args={"dims": [0], "keepdim": True})


def means(g):
    reduce_cases(g, "mean", in_double(lambda x, d, k: x.mean(dim=d or list(range(x.dim())), keepdim=k)), gradgrad=True)


def variances(g):
    for op in ("var", "std"):
        for c in (1, 0, 2):
            fn = (lambda c, op: lambda x, d, k: getattr(x, op)(dim=d, correction=c, keepdim=k))(c, op)
            if c == 1:
                reduce_cases(g, op, fn, gradgrad=True, single_is_nan=True)
            else:
                g.case(op, lambda x, fn=fn: fn(x, [1], False), {"x": g.randn(4, 6)},
                       args={"dims": [1], "keepdim": False, "correction": c}, tol=1e-5, gradgradcheck=True)
                g.case(op, lambda x, fn=fn: fn(x, None, True), {"x": g.noncontig([3, 5])},
                       args={"keepdim": True, "correction": c}, tol=1e-5)
                g.case(op, lambda x, fn=fn: fn(x, [0, 2], False), {"x": g.randn(7, 2, 9)},
                       args={"dims": [0, 2], "keepdim": False, "correction": c}, tol=1e-5)
    # A constant row: std 0, where PyTorch's gradient is 0 (finite differences see a kink there).
    g.case("std", lambda x: x.std(dim=[1], keepdim=False), {"x": g.randn(3, 1).repeat(1, 4)},
           args={"dims": [1], "keepdim": False}, tol=1e-5, gradcheck=False)
    # Far from zero: the two-pass variance keeps its digits where E[x^2] - E[x]^2 would lose them.
    # (Its gradient, x - mean in F32, carries rounding of ulp(1000) ~ 6e-5 next to deviations of ~1 in
    # PyTorch's result as in Weft's, hence the looser gradient tolerance.)
    g.case("var", lambda x: x.var(dim=[1], keepdim=False), {"x": g.randn(4, 50) + 1000},
           args={"dims": [1], "keepdim": False}, tol=1e-5, grad_tol=1e-3)


def extremes(g):
    for op, name in (("amax", "amax"), ("amin", "amin")):
        reduce_cases(g, op, (lambda n: lambda x, d, k: getattr(x, n)(dim=d if d is not None else [], keepdim=k))(name),
                     empty_reduced=False)
        # Ties: the gradient is split evenly among the equal extremes.
        g.case(op, (lambda n: lambda x: getattr(x, n)(dim=[1], keepdim=False))(name), {"x": ties(g, 4, 6)},
               args={"dims": [1], "keepdim": False}, gradcheck=False)
        g.case(op, (lambda n: lambda x: getattr(x, n)(dim=[0], keepdim=True))(name), {"x": g.randint(-9, 9, 5, 3)},
               args={"dims": [0], "keepdim": True})
    for op, fn in (("max_all", lambda x: x.max()), ("min_all", lambda x: x.min())):
        g.case(op, fn, {"x": g.randn(3, 4)}, tol=1e-5, gradgradcheck=True)
        g.case(op, fn, {"x": g.noncontig([4, 5], kind="permute")}, tol=1e-5)
        g.case(op, fn, {"x": ties(g, 3, 5)}, tol=1e-5, gradcheck=False)
        g.case(op, fn, {"x": g.randint(-100, 100, 6, 7)})
        g.case(op, fn, {"x": scalar(g)}, tol=1e-5)
        g.case(op, fn, {"x": g.randn(300, 400)}, tol=1e-5)
    for op, largest in (("max_dim", True), ("min_dim", False)):
        def fn(dim, keepdim, largest=largest):
            return lambda x: tuple(x.max(dim=dim, keepdim=keepdim) if largest else x.min(dim=dim, keepdim=keepdim))
        g.case(op, fn(1, False), {"x": g.randn(3, 4)}, args={"dim": 1, "keepdim": False}, tol=1e-5, gradgradcheck=True)
        g.case(op, fn(-2, True), {"x": g.randn(2, 3, 5)}, args={"dim": -2, "keepdim": True}, tol=1e-5, gradgradcheck=True)
        g.case(op, fn(0, False), {"x": g.noncontig([5, 4])}, args={"dim": 0, "keepdim": False}, tol=1e-5)
        g.case(op, fn(2, False), {"x": g.noncontig([3, 4, 6], kind="permute")}, args={"dim": 2, "keepdim": False}, tol=1e-5)
        g.case(op, fn(1, True), {"x": g.noncontig([4, 5], kind="slice")}, args={"dim": 1, "keepdim": True}, tol=1e-5)
        g.case(op, fn(0, False), {"x": scalar(g)}, args={"dim": 0, "keepdim": False}, tol=1e-5)
        g.case(op, fn(1, False), {"x": g.randn(4, 1)}, args={"dim": 1, "keepdim": False}, tol=1e-5)
        g.case(op, fn(1, False), {"x": g.randn(0, 3)}, args={"dim": 1, "keepdim": False}, tol=1e-5)
        # Ties: the first occurrence is returned and alone receives the gradient.
        g.case(op, fn(1, False), {"x": ties(g, 5, 7)}, args={"dim": 1, "keepdim": False}, tol=1e-5, gradcheck=False)
        g.case(op, fn(0, True), {"x": g.randint(-4, 4, 6, 3)}, args={"dim": 0, "keepdim": True})
        g.case(op, fn(1, False), {"x": g.randn(20, 300)}, args={"dim": 1, "keepdim": False}, tol=1e-5)
    for op, largest in (("argmax", True), ("argmin", False)):
        def fn(dim, keepdim, largest=largest):
            if dim is None:
                return lambda x: x.argmax() if largest else x.argmin()
            return lambda x: x.argmax(dim=dim, keepdim=keepdim) if largest else x.argmin(dim=dim, keepdim=keepdim)
        g.case(op, fn(1, False), {"x": g.randn(3, 4)}, args={"dim": 1, "keepdim": False})
        g.case(op, fn(-1, True), {"x": g.randn(2, 3, 5)}, args={"dim": -1, "keepdim": True})
        g.case(op, fn(0, False), {"x": g.noncontig([6, 5])}, args={"dim": 0, "keepdim": False})
        g.case(op, fn(None, False), {"x": g.randn(4, 7)}, args={"keepdim": False})
        g.case(op, fn(None, False), {"x": g.noncontig([3, 4, 5], kind="permute")}, args={"keepdim": False})
        g.case(op, fn(1, False), {"x": ties(g, 6, 5)}, args={"dim": 1, "keepdim": False})
        g.case(op, fn(None, False), {"x": ties(g, 6, 5)}, args={"keepdim": False})
        g.case(op, fn(0, False), {"x": g.randint(-5, 5, 7, 3)}, args={"dim": 0, "keepdim": False})
        g.case(op, fn(0, False), {"x": scalar(g)}, args={"dim": 0, "keepdim": False})
        g.case(op, fn(None, False), {"x": scalar(g)}, args={"keepdim": False})


def logsumexps(g):
    reduce_cases(g, "logsumexp", lambda x, d, k: torch.logsumexp(x, dim=d if d is not None else list(range(x.dim())),
                                                                  keepdim=k), gradgrad=True)
    # Values whose exponentials overflow F32 (and F64 for the largest): the maximum is subtracted first.
    g.case("logsumexp", lambda x: torch.logsumexp(x, dim=[1], keepdim=False), {"x": g.randn(4, 9) * 300},
           args={"dims": [1], "keepdim": False}, tol=1e-5, gradgradcheck=True)
    g.case("logsumexp", lambda x: torch.logsumexp(x, dim=[0], keepdim=False), {"x": g.randint(-3, 3, 5, 2)},
           args={"dims": [0], "keepdim": False}, tol=1e-5)


def norms(g):
    for p in (2, 1, INF, -INF, 0, 3, 0.5, 1.5):
        name = {INF: "inf", -INF: "-inf"}.get(p, str(p))

        def call(x, d, k, p=p):
            return torch.linalg.vector_norm(x, ord=p, dim=d, keepdim=k)
        if p == 2:
            reduce_cases(g, "norm", lambda x, d, k: torch.norm(x, p=2, dim=d, keepdim=k) if d is not None
                         else (torch.norm(x) if not k else torch.norm(x, p=2, dim=list(range(x.dim())), keepdim=True)),
                         gradgrad=True)
            continue
        g.case("norm", lambda x, call=call: call(x, [1], False), {"x": g.randn(3, 5)},
               args={"p": name, "dims": [1], "keepdim": False}, tol=1e-5, gradgradcheck=p not in (0,))
        g.case("norm", lambda x, call=call: call(x, None, False), {"x": g.noncontig([4, 6], kind="transpose")},
               args={"p": name, "keepdim": False}, tol=1e-5)
        g.case("norm", lambda x, call=call: call(x, [0, 2], True), {"x": g.randn(*shape_of(g, 3))},
               args={"p": name, "dims": [0, 2], "keepdim": True}, tol=1e-5)
        g.case("norm", lambda x, call=call: call(x, [-1], False), {"x": g.randn(20, 300)},
               args={"p": name, "dims": [-1], "keepdim": False}, tol=1e-5)
    # At zero PyTorch's gradient of the 2-norm is 0 (a mask, not 0/0); finite differences agree.
    g.case("norm", lambda x: torch.norm(x), {"x": g.randn(3, 4) * 0}, args={"p": "2", "keepdim": False})
    g.case("norm", lambda x: torch.norm(x, p=2, dim=[1]), {"x": torch.cat([g.randn(2, 3), g.randn(2, 3) * 0])},
           args={"p": "2", "dims": [1], "keepdim": False})
    g.case("norm", lambda x: torch.norm(x, p=INF, dim=[1]), {"x": ties(g, 4, 5)},
           args={"p": "inf", "dims": [1], "keepdim": False}, gradcheck=False)
    # Zero elements (and a row of zeros) are where |x|^(p-1) and sign(x) meet: PyTorch's
    # gradient is 0 there for p = 1 (sign(0)), p < 1 and 1 < p < 2 (masked, not inf * 0).
    for p in (1, 0.5, 1.5, 3):
        g.case("norm", lambda x, p=p: torch.linalg.vector_norm(x, ord=p, dim=[1]),
               {"x": torch.cat([g.randn(3, 4) * torch.tensor([1.0, 0.0, 1.0, 1.0]), g.randn(1, 4) * 0])},
               args={"p": str(p), "dims": [1], "keepdim": False}, gradcheck=False)
    for dims, keepdim in (([0, 1], False), ([1], True), (None, False)):
        fn = (lambda d, k: lambda x: torch.norm(x, p="fro", dim=d, keepdim=k) if d is not None
              else torch.norm(x, p="fro"))(dims, keepdim)
        args = {"p": "fro", "keepdim": keepdim}
        if dims is not None:
            args["dims"] = dims
        g.case("norm", fn, {"x": g.randn(3, 4, 2)}, args=args, tol=1e-5, gradgradcheck=dims == [1])


def cumsums(g):
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.randn(3, 4)}, args={"dim": 1}, tol=1e-5, gradgradcheck=True)
    g.case("cumsum", lambda x: x.cumsum(-1), {"x": g.randn(*shape_of(g, 3))}, args={"dim": -1}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(0), {"x": g.noncontig([5, 4])}, args={"dim": 0}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.noncontig([3, 6, 2], kind="permute")}, args={"dim": 1}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.noncontig([3, 7], kind="slice")}, args={"dim": 1}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(0), {"x": scalar(g)}, args={"dim": 0}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.randn(3, 0)}, args={"dim": 1}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(0), {"x": g.randn(4, 1)}, args={"dim": 0}, tol=1e-5)
    g.case("cumsum", lambda x: x.cumsum(0), {"x": g.randint(-9, 9, 6, 3)}, args={"dim": 0})
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.randint(-9, 9, 2, 5, dtype=torch.int32)}, args={"dim": 1})
    g.case("cumsum", lambda x: x.cumsum(0), {"x": g.rand(7) < 0.5}, args={"dim": 0})
    g.case("cumsum", lambda x: x.cumsum(1), {"x": g.randn(10, 500)}, args={"dim": 1}, tol=1e-5)


def sorts(g):
    def sort(dim, descending):
        return lambda x: tuple(torch.sort(x, dim=dim, descending=descending, stable=True))
    g.case("sort", sort(1, False), {"x": g.randn(3, 5)}, args={"dim": 1, "descending": False}, tol=1e-5,
           gradgradcheck=True)
    g.case("sort", sort(-1, True), {"x": g.randn(*shape_of(g, 3))}, args={"dim": -1, "descending": True}, tol=1e-5)
    g.case("sort", sort(0, False), {"x": g.noncontig([6, 4])}, args={"dim": 0, "descending": False}, tol=1e-5)
    g.case("sort", sort(1, True), {"x": g.noncontig([3, 5, 4], kind="permute")}, args={"dim": 1, "descending": True},
           tol=1e-5)
    g.case("sort", sort(1, False), {"x": g.noncontig([2, 9], kind="slice")}, args={"dim": 1, "descending": False},
           tol=1e-5)
    g.case("sort", sort(0, False), {"x": scalar(g)}, args={"dim": 0, "descending": False}, tol=1e-5)
    g.case("sort", sort(1, False), {"x": g.randn(2, 0)}, args={"dim": 1, "descending": False}, tol=1e-5)
    g.case("sort", sort(1, True), {"x": g.randn(4, 1)}, args={"dim": 1, "descending": True}, tol=1e-5)
    # Ties: a stable sort keeps equal values in their original order, both directions.
    for descending in (False, True):
        g.case("sort", sort(1, descending), {"x": ties(g, 4, 9)}, args={"dim": 1, "descending": descending},
               tol=1e-5, gradcheck=False)
    nan = g.randn(4, 6)
    nan[g.rand(4, 6) < 0.25] = float("nan")
    for descending in (False, True):
        g.case("sort", sort(1, descending), {"x": nan}, args={"dim": 1, "descending": descending}, tol=1e-5,
               gradcheck=False)
    g.case("sort", sort(0, True), {"x": g.randint(-5, 5, 8, 3)}, args={"dim": 0, "descending": True})
    g.case("sort", sort(-1, False), {"x": g.randn(6, 400)}, args={"dim": -1, "descending": False}, tol=1e-5)

    def topk(k, dim, largest):
        return lambda x: tuple(torch.topk(x, k, dim=dim, largest=largest, sorted=True))
    g.case("topk", topk(3, 1, True), {"x": g.randn(3, 8)}, args={"k": 3, "dim": 1, "largest": True}, tol=1e-5,
           gradgradcheck=True)
    g.case("topk", topk(2, -1, False), {"x": g.randn(*shape_of(g, 3, 2, 6))}, args={"k": 2, "dim": -1, "largest": False},
           tol=1e-5)
    g.case("topk", topk(4, 0, True), {"x": g.noncontig([7, 3])}, args={"k": 4, "dim": 0, "largest": True}, tol=1e-5)
    g.case("topk", topk(2, 1, False), {"x": g.noncontig([4, 5, 3], kind="permute")},
           args={"k": 2, "dim": 1, "largest": False}, tol=1e-5)
    g.case("topk", topk(5, 1, True), {"x": g.randn(2, 5)}, args={"k": 5, "dim": 1, "largest": True}, tol=1e-5)
    g.case("topk", topk(0, 1, True), {"x": g.randn(2, 5)}, args={"k": 0, "dim": 1, "largest": True}, tol=1e-5)
    g.case("topk", topk(1, 0, True), {"x": scalar(g)}, args={"k": 1, "dim": 0, "largest": True}, tol=1e-5)
    g.case("topk", topk(3, 1, True), {"x": distinct_ints(g, 4, 9)}, args={"k": 3, "dim": 1, "largest": True})
    g.case("topk", topk(10, 1, True), {"x": g.randn(5, 1000)}, args={"k": 10, "dim": 1, "largest": True}, tol=1e-5)


def build(g):
    sums(g)
    means(g)
    variances(g)
    extremes(g)
    logsumexps(g)
    norms(g)
    cumsums(g)
    sorts(g)
