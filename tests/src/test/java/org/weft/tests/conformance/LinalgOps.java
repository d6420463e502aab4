package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Tensor;

/** The linalg ops as the golden cases call them. */
final class LinalgOps {

    private LinalgOps() {
    }

    static void register(OpRegistry r) {
        r.add("matmul", (in, a) -> one(in[0].matmul(in[1])));
        r.add("mm", (in, a) -> one(in[0].mm(in[1])));
        r.add("bmm", (in, a) -> one(in[0].bmm(in[1])));
        r.add("addmm", (in, a) -> one(Tensor.addmm(in[0], in[1], in[2], a.d("beta", 1), a.d("alpha", 1))));
        r.add("linear", (in, a) -> one(in[0].linear(in[1], in.length > 2 ? in[2] : null)));
        r.add("pairwise_squared_distances", (in, a) -> one(in[0].pairwiseSquaredDistances(in[1])));
    }
}
