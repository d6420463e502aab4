package org.weft.tests.conformance;

/** The reduction ops as the golden cases call them. */
final class ReductionOps {

    private ReductionOps() {
    }

    static void register(OpRegistry r) {
    }
}
