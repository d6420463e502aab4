"""Golden cases of the linalg ops: matmul, mm, bmm, addmm, linear, pairwise squared distances.

Tolerance 1e-5 throughout (the issue's bound for matrix products). matmul and linear are also
checked to second order (gradgradcheck), as the issue asks of matmul.
"""
import torch

MATMUL = lambda a, b: torch.matmul(a, b)
F64 = torch.float64


def build(g):
    matmul_ranks(g)
    matmul_broadcast(g)
    matmul_views(g)
    matmul_edges(g)
    mm_bmm_addmm(g)
    linear(g)
    pairwise(g)


def matmul_ranks(g):
    """Every rank combination torch.matmul accepts."""
    for k in (1, 3, 17, 65):
        g.case("matmul", MATMUL, {"a": g.randn(k), "b": g.randn(k)}, tol=1e-5, gradgradcheck=k <= 17,
               name="matmul_dot")
    g.case("matmul", MATMUL, {"a": g.randn(3, 4), "b": g.randn(4, 5)}, tol=1e-5, gradgradcheck=True)
    g.case("matmul", MATMUL, {"a": g.randn(4), "b": g.randn(4, 5)}, tol=1e-5, gradgradcheck=True,
           name="matmul_vec_mat")
    g.case("matmul", MATMUL, {"a": g.randn(3, 4), "b": g.randn(4)}, tol=1e-5, gradgradcheck=True,
           name="matmul_mat_vec")
    g.case("matmul", MATMUL, {"a": g.randn(3), "b": g.randn(2, 3, 5)}, tol=1e-5, gradgradcheck=True,
           name="matmul_vec_batch")
    g.case("matmul", MATMUL, {"a": g.randn(2, 4, 3), "b": g.randn(3)}, tol=1e-5, gradgradcheck=True,
           name="matmul_batch_vec")
    g.case("matmul", MATMUL, {"a": g.randn(2, 3, 4), "b": g.randn(2, 4, 2)}, tol=1e-5, gradgradcheck=True,
           name="matmul_batch")
    # [batch, m, k] @ [k, n]: the rows of every batch fold into one GEMM, and dB is one product.
    g.case("matmul", MATMUL, {"a": g.randn(2, 3, 4), "b": g.randn(4, 2)}, tol=1e-5, gradgradcheck=True,
           name="matmul_batch_mat")
    g.case("matmul", MATMUL, {"a": g.randn(5, 1, 4), "b": g.randn(4, 3)}, tol=1e-5, name="matmul_batch_mat")
    g.case("matmul", MATMUL, {"a": g.randn(3, 4), "b": g.randn(2, 4, 2)}, tol=1e-5, gradgradcheck=True,
           name="matmul_mat_batch")
    g.case("matmul", MATMUL, {"a": g.randn(2, 2, 3, 4), "b": g.randn(4)}, tol=1e-5, name="matmul_batch_vec")
    # Random sizes, F32 and F64.
    for dtype in (torch.float32, F64):
        m, k, n = g.randsize(1, 9), g.randsize(1, 9), g.randsize(1, 9)
        b1, b2 = g.randsize(1, 3), g.randsize(1, 3)
        g.case("matmul", MATMUL, {"a": g.randn(b1, m, k, dtype=dtype), "b": g.randn(b1, k, n, dtype=dtype)},
               tol=1e-5, name="matmul_random")
        g.case("matmul", MATMUL, {"a": g.randn(b2, 1, m, k, dtype=dtype), "b": g.randn(b1, k, n, dtype=dtype)},
               tol=1e-5, name="matmul_random_broadcast")
    g.case("matmul", MATMUL, {"a": g.randn(3, 4, dtype=F64), "b": g.randn(2, 4, 3, dtype=F64)}, tol=1e-5,
           gradgradcheck=True, name="matmul_f64")


def matmul_broadcast(g):
    """Batch dimensions broadcast both ways, including operands that are themselves expanded."""
    g.case("matmul", MATMUL, {"a": g.randn(2, 1, 3, 4), "b": g.randn(5, 4, 6)}, tol=1e-5,
           name="matmul_broadcast")
    g.case("matmul", MATMUL, {"a": g.randn(1, 2, 2, 3), "b": g.randn(2, 1, 3, 2)}, tol=1e-5, gradgradcheck=True,
           name="matmul_broadcast")
    g.case("matmul", MATMUL, {"a": g.randn(3, 1, 2, 3), "b": g.randn(4, 3, 5)}, tol=1e-5, name="matmul_broadcast")
    # Stride-0 operands: an expanded batch and an expanded row inside the matrix. No finite
    # differences: nudging one element of a stride-0 leaf nudges all its copies at once (torch's
    # gradcheck refuses such inputs too); the gradients are still compared with torch's.
    g.case("matmul", MATMUL, {"a": g.broadcast([1, 3, 4], [4, 3, 4]), "b": g.randn(4, 4, 2)}, tol=1e-5,
           gradcheck=False, name="matmul_expanded")
    g.case("matmul", MATMUL, {"a": g.broadcast([1, 4], [3, 4]), "b": g.broadcast([4, 1], [4, 5])}, tol=1e-5,
           gradcheck=False, name="matmul_expanded")


def matmul_views(g):
    """Transposed, permuted and sliced operands reach the GEMM as strided views."""
    g.case("matmul", MATMUL, {"a": g.noncontig([3, 4]), "b": g.noncontig([4, 5])}, tol=1e-5, gradgradcheck=True,
           name="matmul_transposed")
    g.case("matmul", MATMUL, {"a": g.noncontig([3, 4], kind="slice"), "b": g.noncontig([4, 5], kind="slice")},
           tol=1e-5, name="matmul_sliced")
    g.case("matmul", MATMUL, {"a": g.noncontig([2, 3, 4], kind="permute"), "b": g.noncontig([2, 4, 3])},
           tol=1e-5, gradgradcheck=True, name="matmul_permuted")
    g.case("matmul", MATMUL, {"a": g.noncontig([2, 3, 4], kind="slice"), "b": g.noncontig([4, 5])},
           tol=1e-5, name="matmul_sliced_batch_mat")
    g.case("matmul", MATMUL, {"a": g.noncontig([5], kind="slice"), "b": g.noncontig([5, 3], kind="slice")},
           tol=1e-5, name="matmul_sliced_vec")
    # Every other batch of a wider base: the batch stride is not m * row stride.
    g.case("matmul", MATMUL, {"a": g.input(g.randn(6, 3, 4), [["slice", 0, 0, 6, 2]]), "b": g.randn(4, 2)},
           tol=1e-5, name="matmul_sliced_batches")


def matmul_edges(g):
    """Odd sizes, k = 0 (zeros), and empty results."""
    for m, k, n in ((1, 65, 1), (65, 17, 1), (1, 3, 65), (17, 65, 3), (65, 65, 17), (3, 1, 17)):
        g.case("matmul", MATMUL, {"a": g.randn(m, k), "b": g.randn(k, n)}, tol=1e-5, name="matmul_odd")
    g.case("matmul", MATMUL, {"a": g.randn(3, 17, 65), "b": g.noncontig([3, 65, 17])}, tol=1e-5,
           name="matmul_odd_batch")
    g.case("matmul", MATMUL, {"a": g.randn(3, 0), "b": g.randn(0, 4)}, tol=1e-5, name="matmul_k0")
    g.case("matmul", MATMUL, {"a": g.randn(0), "b": g.randn(0)}, tol=1e-5, name="matmul_k0")
    g.case("matmul", MATMUL, {"a": g.randn(2, 3, 0), "b": g.randn(0, 4)}, tol=1e-5, name="matmul_k0")
    g.case("matmul", MATMUL, {"a": g.randn(0, 3, 4), "b": g.randn(4, 5)}, tol=1e-5, name="matmul_empty_batch")
    g.case("matmul", MATMUL, {"a": g.randn(2, 0, 3, 4), "b": g.randn(1, 4, 5)}, tol=1e-5, name="matmul_empty_batch")
    g.case("matmul", MATMUL, {"a": g.randn(0, 4), "b": g.randn(4, 5)}, tol=1e-5, name="matmul_empty")
    g.case("matmul", MATMUL, {"a": g.randn(3, 4), "b": g.randn(4, 0)}, tol=1e-5, name="matmul_empty")


def mm_bmm_addmm(g):
    g.case("mm", torch.mm, {"a": g.randn(3, 4), "b": g.randn(4, 5)}, tol=1e-5, gradgradcheck=True)
    g.case("mm", torch.mm, {"a": g.noncontig([17, 3]), "b": g.noncontig([3, 65], kind="slice")}, tol=1e-5)
    g.case("mm", torch.mm, {"a": g.randn(2, 0), "b": g.randn(0, 3)}, tol=1e-5)
    g.case("bmm", torch.bmm, {"a": g.randn(2, 3, 4), "b": g.randn(2, 4, 2)}, tol=1e-5, gradgradcheck=True)
    g.case("bmm", torch.bmm, {"a": g.noncontig([3, 5, 4], kind="permute"), "b": g.noncontig([3, 4, 17])}, tol=1e-5)
    g.case("bmm", torch.bmm, {"a": g.randn(0, 5, 4), "b": g.randn(0, 4, 3)}, tol=1e-5)
    for beta, alpha in ((1.0, 1.0), (0.5, -2.0), (0.0, 1.5)):
        g.case("addmm", lambda c, a, b: torch.addmm(c, a, b, beta=beta, alpha=alpha),
               {"bias": g.randn(5), "a": g.randn(3, 4), "b": g.randn(4, 5)},
               args={"beta": beta, "alpha": alpha}, tol=1e-5, gradgradcheck=True)
    g.case("addmm", lambda c, a, b: torch.addmm(c, a, b), {"bias": g.randn(3, 1), "a": g.noncontig([3, 17]),
           "b": g.randn(17, 4)}, args={"beta": 1.0, "alpha": 1.0}, tol=1e-5)
    g.case("addmm", lambda c, a, b: torch.addmm(c, a, b), {"bias": g.randn(3, 5), "a": g.randn(3, 0),
           "b": g.randn(0, 5)}, args={"beta": 1.0, "alpha": 1.0}, tol=1e-5, name="addmm_k0")


def linear(g):
    F = torch.nn.functional
    g.case("linear", F.linear, {"x": g.randn(4, 3), "weight": g.randn(5, 3), "bias": g.randn(5)},
           tol=1e-5, gradgradcheck=True)
    g.case("linear", F.linear, {"x": g.randn(2, 3, 4), "weight": g.randn(5, 4), "bias": g.randn(5)},
           tol=1e-5, gradgradcheck=True)
    g.case("linear", F.linear, {"x": g.randn(4), "weight": g.randn(3, 4), "bias": g.randn(3)},
           tol=1e-5, gradgradcheck=True)
    g.case("linear", F.linear, {"x": g.randn(3, 4), "weight": g.randn(2, 4)}, tol=1e-5, gradgradcheck=True,
           name="linear_nobias")
    g.case("linear", F.linear, {"x": g.randn(2, 2, 3, 4), "weight": g.randn(5, 4)}, tol=1e-5, name="linear_nobias")
    g.case("linear", F.linear, {"x": g.noncontig([2, 17, 3], kind="permute"), "weight": g.noncontig([65, 3]),
           "bias": g.noncontig([65], kind="slice")}, tol=1e-5, name="linear_views")
    g.case("linear", F.linear, {"x": g.randn(3, 4, dtype=F64), "weight": g.randn(2, 4, dtype=F64),
           "bias": g.randn(1, dtype=F64)}, tol=1e-5, gradgradcheck=True, name="linear_f64")
    g.case("linear", F.linear, {"x": g.randn(0, 4), "weight": g.randn(3, 4), "bias": g.randn(3)}, tol=1e-5,
           name="linear_empty")


def pairwise(g):
    """torch.cdist(x, y) ** 2. Weft sums (x - y)^2 directly, which never cancels; torch does too for
    small sets, and switches to |x|^2 + |y|^2 - 2 x.y once a set has more than 25 rows
    (compute_mode 'use_mm_for_euclid_dist_if_necessary'), which still agrees at 1e-5 on data
    centred at the origin. For points far from the origin the cases compare with torch's direct
    mode, as its default would lose that precision."""
    def cdist2(mode="use_mm_for_euclid_dist_if_necessary"):
        return lambda x, y: torch.cdist(x, y, compute_mode=mode) ** 2

    op = "pairwise_squared_distances"
    g.case(op, cdist2(), {"x": g.randn(5, 3), "y": g.randn(7, 3)}, tol=1e-5, gradgradcheck=True)
    g.case(op, cdist2(), {"x": g.randn(2, 4, 3), "y": g.randn(2, 5, 3)}, tol=1e-5, gradgradcheck=True)
    g.case(op, cdist2(), {"x": g.randn(2, 1, 3, 4), "y": g.randn(5, 6, 4)}, tol=1e-5)
    g.case(op, cdist2(), {"x": g.randn(1, 3, 2), "y": g.randn(2, 1, 4, 2)}, tol=1e-5, gradgradcheck=True)
    g.case(op, cdist2(), {"x": g.noncontig([6, 5]), "y": g.noncontig([4, 5], kind="slice")}, tol=1e-5)
    g.case(op, cdist2(), {"x": g.noncontig([2, 3, 4], kind="permute"), "y": g.randn(3, 4)}, tol=1e-5)
    # More than 25 rows: torch's default takes its GEMM form here.
    g.case(op, cdist2(), {"x": g.randn(30, 17), "y": g.randn(40, 17)}, tol=1e-5, name="pairwise_large")
    g.case(op, cdist2(), {"x": g.randn(2, 65, 3), "y": g.randn(2, 33, 3)}, tol=1e-5, name="pairwise_large")
    # Identical sets: the diagonal is exactly zero, and so is its gradient.
    same = g.randn(6, 4)
    g.case(op, cdist2(), {"x": same.clone(), "y": same.clone()}, tol=1e-5, name="pairwise_same_points")
    # Far from the origin, spread 0.01: the GEMM form would lose every digit here.
    g.case(op, cdist2("donot_use_mm_for_euclid_dist"),
           {"x": 100 + 0.01 * g.randn(7, 5), "y": 100 + 0.01 * g.randn(9, 5)}, tol=1e-5, name="pairwise_far")
    # Offset 10, d = 256: torch's default (GEMM form) is off by about 2e-5 here; compare with F64.
    g.case(op, lambda x, y: (torch.cdist(x.double(), y.double()) ** 2).float(),
           {"x": 10 + g.randn(64, 256), "y": 10 + g.randn(64, 256)}, tol=1e-5, name="pairwise_far")
    g.case(op, cdist2(), {"x": g.randn(3, 4, dtype=F64), "y": g.randn(5, 4, dtype=F64)}, tol=1e-5,
           gradgradcheck=True, name="pairwise_f64")
    g.case(op, cdist2(), {"x": g.randn(0, 4), "y": g.randn(3, 4)}, tol=1e-5, name="pairwise_empty")
    g.case(op, cdist2(), {"x": g.randn(3, 0), "y": g.randn(5, 0)}, tol=1e-5, name="pairwise_empty")
