"""Golden cases of the elementwise ops."""
import torch
import torch.nn.functional as F

# Values where elementwise kernels go wrong: signed zeros, NaN, infinities, the extremes of
# float32's exp, tiny and huge magnitudes, halves (rounding). Fixed, not random, on purpose.
SPECIAL = [-0.0, 0.0, float("nan"), float("inf"), -float("inf"), 1e-30, -1e-30, 1e-7, -1e-7,
           88.0, -88.0, 100.0, -100.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1.0, -1.0]

# Gradients of a single element are checked in F64. A one-element operand broadcast against
# many gets the SUM of many upstream gradients, and PyTorch sums float32 in float32: when the
# terms cancel, its own rounding error is far above 1e-6 of the (small) result, while Weft
# accumulates in double. A lone element also has no neighbours to average its rounding over,
# so a derivative that crosses zero (GELU's near x = -0.75) would exceed 1e-6 relative by
# chance. F64 removes both effects; the F32 kernels keep their own cases.


def build(g):
    # Binary arithmetic: same shapes, broadcasting both ways, non-contiguous operands, edge sizes.
    for op, fn in [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b)]:
        g.case(op, fn, {"a": g.randn(3, 4), "b": g.randn(3, 4)}, gradgradcheck=True)
        g.case(op, fn, {"a": g.randn(2, 1, 5), "b": g.randn(3, 1)})
        g.case(op, fn, {"a": g.noncontig([4, 3]), "b": g.noncontig([4, 3], kind="slice")})
        # A one-element operand's gradient is a sum: checked in F64 (see the note at the top).
        g.case(op, fn, {"a": g.randn(1), "b": g.randn(7)}, grads=False)
        g.case(op, fn, {"a": g.randn(1, dtype=torch.float64), "b": g.randn(7, dtype=torch.float64)},
               name=op + "_size1_f64")
        g.case(op, fn, {"a": g.randn(0, 3), "b": g.randn(3)}, name=op + "_empty")
    g.case("div", lambda a, b: a / b, {"a": g.randn(3, 4), "b": g.rand(3, 4, low=0.5, high=2.0)}, gradgradcheck=True)
    g.case("div", lambda a, b: a / b, {"a": g.randn(2, 3, 4), "b": g.rand(4, low=0.5, high=2.0)})
    g.case("neg", lambda a: -a, {"a": g.noncontig([5, 6])})

    _binary_more(g)
    _unary(g)
    _pow(g)
    _extremum(g)
    _clamp(g)
    _where(g)
    _comparisons(g)
    _scalar_arithmetic(g)


def _binary_more(g):
    # Integer operands keep their dtype; mixed int/float promotes; 0-d with n-d.
    for op, fn in [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b)]:
        g.case(op, fn, {"a": g.randint(-5, 6, 3, 4), "b": g.randint(-5, 6, 4)})
        g.case(op, fn, {"a": g.randint(-5, 6, 2, 3), "b": g.randn(2, 3)})
        g.case(op, fn, {"a": g.randn(dtype=torch.float64),
                        "b": g.noncontig([3, 5], kind="permute", dtype=torch.float64)}, name=op + "_0d_f64")
        g.case(op, fn, {"a": g.randn(), "b": g.noncontig([3, 5], kind="permute")}, name=op + "_0d", grads=False)
    g.case("neg", lambda a: -a, {"a": g.randn(3, 4)}, gradgradcheck=True)
    g.case("neg", lambda a: -a, {"a": g.randint(-5, 6, 7)}, name="neg_int")
    g.case("div", lambda a, b: a / b, {"a": g.randint(-9, 10, 6), "b": g.randint(1, 5, 6)})
    g.case("div", lambda a, b: a / b, {"a": g.noncontig([3, 4], dtype=torch.float64),
                                       "b": g.rand(low=0.5, high=2.0, dtype=torch.float64)}, name="div_0d_f64")


# ---------------------------------------------------------------- unary ops

def _anywhere(g, *shape):
    return g.randn(*shape)


def _positive(g, *shape):
    return g.rand(*shape, low=0.2, high=3.0)


def _above_minus_one(g, *shape):
    return g.rand(*shape, low=-0.7, high=3.0)


def _away_from_zero(g, *shape):
    """Values in [-3, -0.3] or [0.3, 3]: the domain of 1/x with bounded derivatives."""
    magnitude = g.rand(*shape, low=0.3, high=3.0)
    sign = g.randint(0, 2, *shape).to(torch.float32) * 2 - 1
    return magnitude * sign


def _spread(g, *shape):
    """Random values times 3, for functions that are well conditioned everywhere."""
    return g.randn(*shape) * 3


# name -> (PyTorch function, maker of valid float inputs, maker of valid integer inputs or None)
UNARY = {
    "exp": (torch.exp, _spread, lambda g, *s: g.randint(-5, 6, *s)),
    "expm1": (torch.expm1, _anywhere, lambda g, *s: g.randint(-5, 6, *s)),
    "log": (torch.log, _positive, lambda g, *s: g.randint(1, 100, *s)),
    "log1p": (torch.log1p, _above_minus_one, lambda g, *s: g.randint(0, 100, *s)),
    "sqrt": (torch.sqrt, _positive, lambda g, *s: g.randint(0, 100, *s)),
    "rsqrt": (torch.rsqrt, _positive, lambda g, *s: g.randint(1, 100, *s)),
    "reciprocal": (torch.reciprocal, _away_from_zero, lambda g, *s: g.randint(1, 9, *s)),
    "sin": (torch.sin, _spread, lambda g, *s: g.randint(-50, 50, *s)),
    "cos": (torch.cos, _spread, lambda g, *s: g.randint(-50, 50, *s)),
    "tanh": (torch.tanh, _anywhere, lambda g, *s: g.randint(-5, 6, *s)),
    "sigmoid": (torch.sigmoid, _anywhere, lambda g, *s: g.randint(-5, 6, *s)),
    "erf": (torch.erf, _anywhere, lambda g, *s: g.randint(-3, 4, *s)),
    "relu": (torch.relu, _anywhere, lambda g, *s: g.randint(-5, 6, *s)),
    "abs": (torch.abs, _anywhere, lambda g, *s: g.randint(-5, 6, *s)),
    "gelu": (F.gelu, _anywhere, None),  # PyTorch has no integer GELU
    "sign": (torch.sign, _anywhere, lambda g, *s: g.randint(-2, 3, *s)),
    "floor": (torch.floor, _spread, lambda g, *s: g.randint(-5, 6, *s)),
    "ceil": (torch.ceil, _spread, lambda g, *s: g.randint(-5, 6, *s)),
    "round": (torch.round, _spread, lambda g, *s: g.randint(-5, 6, *s)),
}

KINKED_AT_ZERO = {"relu", "abs", "sign", "floor", "ceil", "round"}


def _unary(g):
    for op, (fn, valid, valid_int) in UNARY.items():
        maker = lambda *s, valid=valid: valid(g, *s)
        rows, cols = g.randsize(2, 6), g.randsize(2, 7)
        g.case(op, fn, {"x": maker(rows, cols)}, gradgradcheck=True)
        g.case(op, fn, {"x": g.noncontig([5, 3], maker=maker)})
        g.case(op, fn, {"x": g.noncontig([3, 4], kind="slice", maker=maker)})
        g.case(op, fn, {"x": g.noncontig([2, 3, 4], kind="permute", maker=maker)})
        g.case(op, fn, {"x": maker(1, 7)})
        g.case(op, fn, {"x": maker(0, 3)}, name=op + "_empty")
        # PyTorch's GELU computes 1 + erf(x/sqrt 2), which cancels for x below about -2: its
        # value there is PyTorch's rounding error, not a reference. Many elements hide that in
        # the 2-norm; a lone one does not, so it is drawn from where the reference is exact.
        single = (lambda: g.rand(low=-1.5, high=3.0)) if op == "gelu" else maker
        g.case(op, fn, {"x": single()}, name=op + "_0d", grads=False)
        g.case(op, fn, {"x": single().double()}, name=op + "_0d_f64")
        # Around zero a careless formula loses its relative precision (around one where zero is
        # outside the domain or a pole). Finite differences there would straddle the kink of
        # the functions that have one at zero.
        centre = 1.0 if valid in (_positive, _away_from_zero) else 0.0
        g.case(op, fn, {"x": g.randn(9) * 1e-3 + centre}, name=op + "_near_zero", gradcheck=op not in KINKED_AT_ZERO)
        # Every op takes all of SPECIAL, in its domain or not: NaN where PyTorch gives NaN is
        # part of the contract, for values and gradients alike.
        g.case(op, fn, {"x": torch.tensor(SPECIAL)}, name=op + "_special", gradcheck=False)
        if valid_int is not None:
            g.case(op, fn, {"x": valid_int(g, 3, 5)}, name=op + "_int")
    # The tails, where these functions saturate. Their derivatives there are differences of
    # nearly equal numbers (1 - y^2, y + 1, ...), so a one-ulp difference between PyTorch's
    # float tanh and Weft's correctly rounded one is a large relative difference of a tiny
    # derivative. Forty elements make sure some unsaturated ones carry the 2-norm; a small
    # case drawn this wide could saturate entirely and compare rounding noise. That is why
    # the cases above draw these functions' inputs from randn, not from 3 * randn.
    for op in ["exp", "expm1", "tanh", "sigmoid", "erf", "gelu"]:
        g.case(op, UNARY[op][0], {"x": g.randn(40) * 4}, name=op + "_tails")
    g.case("gelu", lambda x: F.gelu(x, approximate="tanh"), {"x": g.randn(40) * 4}, args={"approximate": "tanh"},
           name="gelu_tanh_tails")
    # F64 holds the kernels to double precision, not just to float's, tails included.
    for op in ["exp", "expm1", "log1p", "tanh", "sigmoid", "erf", "gelu", "sin"]:
        fn, valid, _ = UNARY[op]
        x = valid(g, 4, 6) if valid in (_positive, _above_minus_one) else _spread(g, 4, 6)
        g.case(op, fn, {"x": x.double()}, name=op + "_f64", tol=1e-12)
    # Big enough to be split over threads.
    for op in ["exp", "sigmoid", "gelu"]:
        fn, valid, _ = UNARY[op]
        g.case(op, fn, {"x": g.noncontig([150, 130], maker=lambda *s, valid=valid: valid(g, *s))},
               name=op + "_parallel")

    g.case("gelu", lambda x: F.gelu(x, approximate="tanh"), {"x": g.randn(4, 5)},
           args={"approximate": "tanh"}, gradgradcheck=True)
    g.case("gelu", lambda x: F.gelu(x, approximate="tanh"), {"x": g.noncontig([6, 3])},
           args={"approximate": "tanh"})
    g.case("gelu", lambda x: F.gelu(x, approximate="tanh"), {"x": torch.tensor(SPECIAL)},
           args={"approximate": "tanh"}, name="gelu_tanh_special", gradcheck=False)
    g.case("gelu", lambda x: F.gelu(x, approximate="tanh"), {"x": g.randn(9) * 1e-3},
           args={"approximate": "tanh"}, name="gelu_tanh_near_zero")
    g.case("gelu", lambda x: F.gelu(x, approximate="none"), {"x": g.randn(3, 3)}, args={"approximate": "none"})

    # Ties with the kinks: relu and abs at exactly zero, rounding at exact halves. Finite
    # differences straddle the kink there, so only PyTorch's convention is checked.
    ints = g.randint(-2, 3, 4, 5).to(torch.float32)
    g.case("relu", torch.relu, {"x": ints}, name="relu_at_zero", gradcheck=False)
    g.case("abs", torch.abs, {"x": ints}, name="abs_at_zero", gradcheck=False)
    g.case("round", torch.round, {"x": g.randint(-6, 7, 12).to(torch.float32) / 2}, name="round_halves",
           gradcheck=False)


# ---------------------------------------------------------------- powers

def _pow(g):
    pos = lambda *s: _positive(g, *s)
    # Tensor exponents, positive bases (log(x) in d/de needs x > 0).
    g.case("pow", torch.pow, {"x": pos(3, 4), "e": g.randn(3, 4)}, gradgradcheck=True)
    g.case("pow", torch.pow, {"x": pos(2, 1, 4), "e": g.randn(3, 1)})
    g.case("pow", torch.pow, {"x": pos(5), "e": g.randn(2, 3, 1)})
    g.case("pow", torch.pow, {"x": g.noncontig([4, 3], maker=pos), "e": g.noncontig([4, 3], kind="slice")})
    g.case("pow", torch.pow, {"x": pos(1, 7).double(), "e": g.randn(dtype=torch.float64)}, name="pow_0d_f64")
    g.case("pow", torch.pow, {"x": pos().double(), "e": g.randn(2, 3, dtype=torch.float64)}, name="pow_0d_f64")
    g.case("pow", torch.pow, {"x": pos(), "e": g.randn(2, 3)}, name="pow_0d", grads=False)
    g.case("pow", torch.pow, {"x": pos(0, 3), "e": g.randn(3)}, name="pow_empty")
    # Negative bases with whole exponents are real; zero bases and zero exponents take
    # PyTorch's conventions for the gradients (no NaN from 0 * log 0).
    g.case("pow", torch.pow, {"x": g.randn(3, 4), "e": g.randint(0, 4, 3, 4).to(torch.float32)},
           name="pow_negative_base", gradcheck=False)
    zeros_and_ones = g.randint(0, 2, 8).to(torch.float32)
    g.case("pow", torch.pow, {"x": zeros_and_ones, "e": g.randint(0, 3, 8).to(torch.float32)},
           name="pow_zeros", gradcheck=False)
    g.case("pow", torch.pow, {"x": g.randint(-3, 4, 3, 4), "e": g.randint(0, 4, 4)}, name="pow_int")
    g.case("pow", torch.pow, {"x": pos(3, 4), "e": g.randint(-2, 3, 4)}, name="pow_int_exponent")

    # Scalar exponents.
    for e in [2.0, 3.0, 0.5, -1.5, 1.0]:
        g.case("pow_scalar", lambda x, e=e: torch.pow(x, e), {"x": pos(3, 4)}, args={"exponent": e},
               gradgradcheck=e == 0.5)
    g.case("pow_scalar", lambda x: torch.pow(x, 2.0), {"x": g.noncontig([4, 5])}, args={"exponent": 2.0})
    g.case("pow_scalar", lambda x: torch.pow(x, 3.0), {"x": g.randn(2, 3)}, args={"exponent": 3.0},
           gradgradcheck=True)
    g.case("pow_scalar", lambda x: torch.pow(x, 0.0), {"x": g.randn(2, 3)}, args={"exponent": 0.0},
           name="pow_scalar_zero")
    g.case("pow_scalar", lambda x: torch.pow(x, 2.5), {"x": pos().double()}, args={"exponent": 2.5},
           name="pow_scalar_0d_f64")
    g.case("pow_scalar", lambda x: torch.pow(x, 2.0), {"x": pos(0, 2)}, args={"exponent": 2.0},
           name="pow_scalar_empty")
    g.case("pow_scalar", lambda x: torch.pow(x, 2.0), {"x": g.randint(-5, 6, 7)}, args={"exponent": 2.0},
           name="pow_scalar_int")

    # Scalar bases.
    for base in [2.0, 0.5, 10.0]:
        g.case("rpow", lambda x, b=base: torch.pow(b, x), {"x": g.randn(3, 4)}, args={"base": base},
               gradgradcheck=base == 2.0)
    g.case("rpow", lambda x: torch.pow(0.0, x), {"x": g.randint(-1, 3, 6).to(torch.float32)}, args={"base": 0.0},
           name="rpow_zero_base", gradcheck=False)
    g.case("rpow", lambda x: torch.pow(2.0, x), {"x": g.noncontig([3, 4], kind="slice")}, args={"base": 2.0})
    g.case("rpow", lambda x: torch.pow(3.0, x), {"x": g.randn(dtype=torch.float64)}, args={"base": 3.0},
           name="rpow_0d_f64")
    g.case("rpow", lambda x: torch.pow(2.0, x), {"x": g.randint(-3, 8, 2, 4)}, args={"base": 2.0}, name="rpow_int")


# ---------------------------------------------------------------- maximum and minimum

def _extremum(g):
    for op, fn in [("maximum", torch.maximum), ("minimum", torch.minimum)]:
        g.case(op, fn, {"a": g.randn(3, 4), "b": g.randn(3, 4)}, gradgradcheck=True)
        g.case(op, fn, {"a": g.randn(2, 1, 5), "b": g.randn(3, 1)})
        g.case(op, fn, {"a": g.randn(5), "b": g.randn(3, 5)})
        g.case(op, fn, {"a": g.noncontig([4, 3]), "b": g.noncontig([4, 3], kind="slice")})
        g.case(op, fn, {"a": g.randn(dtype=torch.float64), "b": g.randn(1, 7, dtype=torch.float64)},
               name=op + "_0d_f64")
        g.case(op, fn, {"a": g.randn(0, 3), "b": g.randn(3)}, name=op + "_empty")
        # Ties split the gradient equally (central differences see the same 1/2).
        g.case(op, fn, {"a": g.randint(-2, 3, 4, 5).to(torch.float32),
                        "b": g.randint(-2, 3, 5).to(torch.float32)}, name=op + "_ties")
        special = torch.tensor(SPECIAL)
        g.case(op, fn, {"a": special, "b": special.flip(0)}, name=op + "_special", gradcheck=False)
        g.case(op, fn, {"a": g.randint(-5, 6, 3, 4), "b": g.randint(-5, 6, 4)}, name=op + "_int")
        g.case(op, fn, {"a": g.randn(3, 4), "b": g.randn(3, 4, dtype=torch.float64)}, name=op + "_mixed")
    g.case("maximum", torch.maximum, {"a": g.noncontig([150, 130]), "b": g.randn(130)}, name="maximum_parallel")


# ---------------------------------------------------------------- clamp

def _clamp(g):
    g.case("clamp", lambda x: torch.clamp(x, -0.5, 0.8), {"x": g.randn(3, 4)}, args={"min": -0.5, "max": 0.8},
           gradgradcheck=True)
    g.case("clamp", lambda x: torch.clamp(x, -1.0, 1.0), {"x": g.noncontig([5, 4])}, args={"min": -1.0, "max": 1.0})
    g.case("clamp", lambda x: torch.clamp(x, 0.0, 2.0), {"x": g.noncontig([2, 3, 4], kind="permute")},
           args={"min": 0.0, "max": 2.0})
    g.case("clamp", lambda x: torch.clamp(x, -0.3, 0.3), {"x": g.randn(dtype=torch.float64)},
           args={"min": -0.3, "max": 0.3}, name="clamp_0d_f64")
    g.case("clamp", lambda x: torch.clamp(x, -1.0, 1.0), {"x": g.randn(0, 4)}, args={"min": -1.0, "max": 1.0},
           name="clamp_empty")
    # min > max gives max everywhere, and no gradient anywhere.
    g.case("clamp", lambda x: torch.clamp(x, 1.0, -1.0), {"x": g.randn(2, 5)}, args={"min": 1.0, "max": -1.0},
           name="clamp_crossed")
    # Elements exactly on a bound get the gradient (PyTorch's convention); finite differences
    # would see half of it, so no gradcheck here.
    on_bounds = g.randint(-3, 4, 4, 5).to(torch.float32)
    g.case("clamp", lambda x: torch.clamp(x, -1.0, 2.0), {"x": on_bounds}, args={"min": -1.0, "max": 2.0},
           name="clamp_on_bounds", gradcheck=False)
    g.case("clamp_min", lambda x: torch.clamp(x, min=-1.0), {"x": on_bounds}, args={"min": -1.0},
           name="clamp_min_on_bound", gradcheck=False)
    g.case("clamp_max", lambda x: torch.clamp(x, max=2.0), {"x": on_bounds}, args={"max": 2.0},
           name="clamp_max_on_bound", gradcheck=False)
    g.case("clamp", lambda x: torch.clamp(x, -1.0, 1.0), {"x": torch.tensor(SPECIAL)}, args={"min": -1.0, "max": 1.0},
           name="clamp_special", gradcheck=False)
    g.case("clamp", lambda x: torch.clamp(x, -2, 3), {"x": g.randint(-5, 6, 3, 4)}, args={"min": -2, "max": 3},
           name="clamp_int")
    g.case("clamp", lambda x: torch.clamp(x, -1.5, 2.5), {"x": g.randint(-5, 6, 3, 4)},
           args={"min": -1.5, "max": 2.5}, name="clamp_int_fractional_bounds")

    g.case("clamp_min", lambda x: torch.clamp(x, min=0.2), {"x": g.randn(4, 3)}, args={"min": 0.2},
           gradgradcheck=True)
    g.case("clamp_min", lambda x: torch.clamp(x, min=0.0), {"x": g.noncontig([3, 6], kind="slice")}, args={"min": 0.0})
    g.case("clamp_min", lambda x: torch.clamp(x, min=0.0), {"x": torch.tensor(SPECIAL)}, args={"min": 0.0},
           name="clamp_min_special", gradcheck=False)
    g.case("clamp_min", lambda x: torch.clamp(x, min=1), {"x": g.randint(-5, 6, 7)}, args={"min": 1},
           name="clamp_min_int")
    g.case("clamp_max", lambda x: torch.clamp(x, max=-0.2), {"x": g.randn(4, 3)}, args={"max": -0.2},
           gradgradcheck=True)
    g.case("clamp_max", lambda x: torch.clamp(x, max=0.5), {"x": g.noncontig([5, 2])}, args={"max": 0.5})
    g.case("clamp_max", lambda x: torch.clamp(x, max=-0.0), {"x": torch.tensor(SPECIAL)}, args={"max": -0.0},
           name="clamp_max_special", gradcheck=False)


# ---------------------------------------------------------------- where

def _mask(g, *shape):
    return g.rand(*shape) > 0.5


def _where(g):
    g.case("where", torch.where, {"c": _mask(g, 3, 4), "a": g.randn(3, 4), "b": g.randn(3, 4)}, gradgradcheck=True)
    # Each of the three broadcast against the others.
    g.case("where", torch.where, {"c": _mask(g, 3, 1, 5), "a": g.randn(4, 1), "b": g.randn(5)})
    g.case("where", torch.where, {"c": _mask(g, 5), "a": g.randn(2, 5), "b": g.randn(3, 1, 1)})
    g.case("where", torch.where, {"c": _mask(g, 2, 3, 4), "a": g.randn(dtype=torch.float64),
                                  "b": g.randn(3, 1, dtype=torch.float64)}, name="where_0d_f64")
    g.case("where", torch.where, {"c": g.input(_mask(g, 4, 3), [["transpose", 0, 1]]),
                                  "a": g.noncontig([3, 4]), "b": g.noncontig([3, 4], kind="slice")})
    g.case("where", torch.where, {"c": _mask(g), "a": g.randn(dtype=torch.float64), "b": g.randn(dtype=torch.float64)},
           name="where_0d_f64")
    g.case("where", torch.where, {"c": _mask(g, 0, 3), "a": g.randn(3), "b": g.randn(0, 1)}, name="where_empty")
    g.case("where", torch.where, {"c": _mask(g, 3, 4), "a": g.randint(-5, 6, 3, 4), "b": g.randint(-5, 6, 4)},
           name="where_int")
    g.case("where", torch.where, {"c": _mask(g, 3, 4), "a": g.randint(-5, 6, 3, 4), "b": g.randn(3, 4)},
           name="where_mixed")
    g.case("where", torch.where, {"c": _mask(g, 2, 3), "a": g.randn(2, 3), "b": g.randn(2, 3, dtype=torch.float64)},
           name="where_f32_f64")
    g.case("where", torch.where, {"c": _mask(g, 150, 130), "a": g.randn(130), "b": g.noncontig([150, 130])},
           name="where_parallel")


# ---------------------------------------------------------------- comparisons

COMPARISONS = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}


def _comparisons(g):
    special = torch.tensor(SPECIAL)
    for op, fn in COMPARISONS.items():
        # Small integers as floats make ties, where eq/le/ge differ from lt/gt/ne.
        g.case(op, fn, {"a": g.randint(-2, 3, 3, 4).to(torch.float32), "b": g.randint(-2, 3, 3, 4).to(torch.float32)})
        g.case(op, fn, {"a": g.randint(-2, 3, 2, 1, 5).to(torch.float32), "b": g.randint(-2, 3, 3, 1).to(torch.float32)})
        g.case(op, fn, {"a": g.noncontig([4, 3]), "b": g.noncontig([4, 3], kind="slice")})
        g.case(op, fn, {"a": g.randint(-3, 4, 3, 5), "b": g.randint(-3, 4, 5)}, name=op + "_int")
        g.case(op, fn, {"a": g.randint(-3, 4, 3, 5, dtype=torch.int32), "b": g.randint(-3, 4, 5)}, name=op + "_i32_i64")
        g.case(op, fn, {"a": g.randint(-3, 4, 3, 5), "b": g.randint(-6, 7, 3, 5).to(torch.float32) / 2},
               name=op + "_int_float")
        g.case(op, fn, {"a": special, "b": special.flip(0)}, name=op + "_special")
        g.case(op, fn, {"a": g.randn(), "b": g.randn(2, 3)}, name=op + "_0d")
        g.case(op, fn, {"a": g.randn(0, 3), "b": g.randn(3)}, name=op + "_empty")
        # A Python number on the right.
        g.case(op + "_scalar", lambda a, fn=fn: fn(a, 0.0), {"a": g.randint(-2, 3, 3, 4).to(torch.float32)},
               args={"other": 0.0})
        g.case(op + "_scalar", lambda a, fn=fn: fn(a, 0.25), {"a": g.noncontig([3, 4])}, args={"other": 0.25})
        g.case(op + "_scalar", lambda a, fn=fn: fn(a, 1.0), {"a": g.randint(-3, 4, 7)}, args={"other": 1.0},
               name=op + "_scalar_int")
        g.case(op + "_scalar", lambda a, fn=fn: fn(a, 0.5), {"a": g.randint(-3, 4, 7)}, args={"other": 0.5},
               name=op + "_scalar_int_fractional")
        g.case(op + "_scalar", lambda a, fn=fn: fn(a, 0.0), {"a": special}, args={"other": 0.0},
               name=op + "_scalar_special")


# ---------------------------------------------------------------- arithmetic with a Python number

def _scalar_arithmetic(g):
    float_ops = {
        "add_scalar": lambda x, s: x + s, "sub_scalar": lambda x, s: x - s, "mul_scalar": lambda x, s: x * s,
        "div_scalar": lambda x, s: x / s, "rsub_scalar": lambda x, s: s - x, "rdiv_scalar": lambda x, s: s / x,
    }
    for op, fn in float_ops.items():
        safe = (lambda *s: _away_from_zero(g, *s)) if op == "rdiv_scalar" else (lambda *s: g.randn(*s))
        g.case(op, lambda x, fn=fn: fn(x, 0.75), {"x": safe(3, 4)}, args={"scalar": 0.75}, gradgradcheck=True)
        g.case(op, lambda x, fn=fn: fn(x, -2.5), {"x": g.noncontig([4, 3], maker=safe)}, args={"scalar": -2.5})
        g.case(op, lambda x, fn=fn: fn(x, 3.0), {"x": safe().double()}, args={"scalar": 3.0}, name=op + "_0d_f64")
        g.case(op, lambda x, fn=fn: fn(x, 3.0), {"x": safe(0, 2)}, args={"scalar": 3.0}, name=op + "_empty")
        ints = g.randint(1, 9, 3, 4) if op == "rdiv_scalar" else g.randint(-9, 10, 3, 4)
        # An integer tensor with a Python float becomes float32.
        g.case(op, lambda x, fn=fn: fn(x, 0.5), {"x": ints}, args={"scalar": 0.5}, name=op + "_int")
    int_ops = {"add_int": lambda x, s: x + s, "sub_int": lambda x, s: x - s, "mul_int": lambda x, s: x * s}
    for op, fn in int_ops.items():
        # With a Python int an integer tensor keeps its dtype (a BOOL one becomes int64).
        g.case(op, lambda x, fn=fn: fn(x, 3), {"x": g.randint(-9, 10, 3, 4)}, args={"scalar": 3})
        g.case(op, lambda x, fn=fn: fn(x, -2), {"x": g.randint(-9, 10, 5, dtype=torch.int32)}, args={"scalar": -2},
               name=op + "_i32")
        g.case(op, lambda x, fn=fn: fn(x, 2), {"x": g.randn(3, 4)}, args={"scalar": 2}, name=op + "_float",
               gradgradcheck=True)
        if op != "sub_int":  # PyTorch refuses to subtract from a mask
            g.case(op, lambda x, fn=fn: fn(x, 1), {"x": g.rand(6) > 0.5}, args={"scalar": 1}, name=op + "_bool")
