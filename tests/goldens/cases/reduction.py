"""Golden cases of the reduction ops."""


def build(g):
    pass
