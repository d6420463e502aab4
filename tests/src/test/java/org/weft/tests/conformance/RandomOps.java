package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** The random ops as the golden cases call them (only their number-independent cases). */
final class RandomOps {

    private RandomOps() {
    }

    static void register(OpRegistry r) {
        r.add("dropout", (in, a) -> one(Functional.dropout(in[0], a.d("p"), a.b("training"))));
        r.add("bernoulli", (in, a) -> one(Tensor.bernoulli(in[0])));
    }
}
