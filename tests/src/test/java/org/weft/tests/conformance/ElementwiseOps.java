package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

/** The elementwise ops as the golden cases call them. */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static void register(OpRegistry r) {
        r.add("add", (in, a) -> one(in[0].add(in[1])));
        r.add("sub", (in, a) -> one(in[0].sub(in[1])));
        r.add("mul", (in, a) -> one(in[0].mul(in[1])));
        r.add("div", (in, a) -> one(in[0].div(in[1])));
        r.add("neg", (in, a) -> one(in[0].neg()));
    }
}
