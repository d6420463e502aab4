package org.weft.tests.conformance;

/** The norm ops as the golden cases call them. */
final class NormOps {

    private NormOps() {
    }

    static void register(OpRegistry r) {
    }
}
