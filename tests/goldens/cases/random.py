"""Golden cases of the random ops.

Random numbers cannot match PyTorch's (another generator), so only the cases whose result
does not depend on the numbers are here: dropout with p = 0, p = 1 and in evaluation, and
bernoulli with probabilities that are all 0 or 1. The distributions themselves are tested
in the tensor and autograd modules.
"""
import torch
import torch.nn.functional as F


def zeros_and_ones(g, *shape):
    return g.input(g.randint(0, 2, *shape).to(torch.float32), requires_grad=False)


def build(g):
    # dropout with p = 0 while training, and any p in evaluation, is the identity.
    g.case("dropout", lambda x: F.dropout(x, 0.0, True), {"x": g.randn(3, 4)},
           args={"p": 0.0, "training": True}, gradgradcheck=True)
    g.case("dropout", lambda x: F.dropout(x, 0.5, False), {"x": g.noncontig([4, 5])},
           args={"p": 0.5, "training": False})
    g.case("dropout", lambda x: F.dropout(x, 0.9, False), {"x": g.randn(0, 3)},
           args={"p": 0.9, "training": False}, name="dropout_empty")
    # p = 1 drops everything: x * 0, gradient zero.
    g.case("dropout", lambda x: F.dropout(x, 1.0, True), {"x": g.noncontig([3, 2], kind="slice")},
           args={"p": 1.0, "training": True})
    g.case("dropout", lambda x: F.dropout(x, 1.0, True), {"x": g.randn(2, 3, dtype=torch.float64)},
           args={"p": 1.0, "training": True})

    # bernoulli of probabilities in {0, 1} returns them, in their dtype and shape.
    g.case("bernoulli", torch.bernoulli, {"p": zeros_and_ones(g, g.randsize(1, 6), g.randsize(1, 6))})
    p = g.randint(0, 2, 3, 5).to(torch.float64)
    g.case("bernoulli", torch.bernoulli, {"p": g.input(p, [["transpose", 0, 1]], requires_grad=False)})
    g.case("bernoulli", torch.bernoulli, {"p": zeros_and_ones(g, 0, 4)}, name="bernoulli_empty")
