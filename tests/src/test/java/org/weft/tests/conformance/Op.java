package org.weft.tests.conformance;

import org.weft.autograd.Tensor;

/** How the conformance suite calls one Weft op: the case's inputs (views applied) and arguments. */
@FunctionalInterface
interface Op {
    Tensor[] run(Tensor[] inputs, Args args);

    /** Wraps a single output. */
    static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }
}
