"""Golden cases of the conv ops."""


def build(g):
    pass
