package org.weft.tests.conformance;

/** The shape ops as the golden cases call them. */
final class ShapeOps {

    private ShapeOps() {
    }

    static void register(OpRegistry r) {
    }
}
