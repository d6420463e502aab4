"""Golden cases of the norm ops."""


def build(g):
    pass
