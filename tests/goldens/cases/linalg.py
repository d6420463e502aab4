"""Golden cases of the linalg ops."""


def build(g):
    pass
