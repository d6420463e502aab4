"""Golden cases of the shape ops."""


def build(g):
    pass
