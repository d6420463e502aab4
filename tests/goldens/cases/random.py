"""Golden cases of the random ops."""


def build(g):
    pass
