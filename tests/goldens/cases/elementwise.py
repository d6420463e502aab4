"""Golden cases of the elementwise ops."""


def build(g):
    # Binary arithmetic: same shapes, broadcasting both ways, non-contiguous operands, edge sizes.
    for op, fn in [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b)]:
        g.case(op, fn, {"a": g.randn(3, 4), "b": g.randn(3, 4)}, gradgradcheck=True)
        g.case(op, fn, {"a": g.randn(2, 1, 5), "b": g.randn(3, 1)})
        g.case(op, fn, {"a": g.noncontig([4, 3]), "b": g.noncontig([4, 3], kind="slice")})
        g.case(op, fn, {"a": g.randn(1), "b": g.randn(7)})
        g.case(op, fn, {"a": g.randn(0, 3), "b": g.randn(3)}, name=op + "_empty")
    g.case("div", lambda a, b: a / b, {"a": g.randn(3, 4), "b": g.rand(3, 4, low=0.5, high=2.0)}, gradgradcheck=True)
    g.case("div", lambda a, b: a / b, {"a": g.randn(2, 3, 4), "b": g.rand(4, low=0.5, high=2.0)})
    g.case("neg", lambda a: -a, {"a": g.noncontig([5, 6])})
