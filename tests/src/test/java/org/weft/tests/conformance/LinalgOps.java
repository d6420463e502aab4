package org.weft.tests.conformance;

/** The linalg ops as the golden cases call them. */
final class LinalgOps {

    private LinalgOps() {
    }

    static void register(OpRegistry r) {
    }
}
