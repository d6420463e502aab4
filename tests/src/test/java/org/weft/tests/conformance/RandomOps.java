package org.weft.tests.conformance;

/** The random ops as the golden cases call them. */
final class RandomOps {

    private RandomOps() {
    }

    static void register(OpRegistry r) {
    }
}
