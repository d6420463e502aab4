package org.weft.tests.conformance;

/** The conv ops as the golden cases call them. */
final class ConvOps {

    private ConvOps() {
    }

    static void register(OpRegistry r) {
    }
}
