package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The accuracy assertion of the vectorised float kernels' tests, in units in the last place. */
final class Ulps {

    private Ulps() {
    }

    /** |actual - expected| within {@code ulps} float ulps of expected; NaN only for NaN, infinities exactly. */
    static void assertWithin(float expected, float actual, int ulps, String what) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            if (Float.isNaN(expected) != Float.isNaN(actual)) {
                fail(what + ": expected " + expected + " but got " + actual);
            }
            return;
        }
        if (Float.isInfinite(expected) || Float.isInfinite(actual)) {
            assertEquals(expected, actual, what);
            return;
        }
        double diff = Math.abs((double) actual - expected);
        if (diff > ulps * (double) Math.ulp(expected)) {
            fail(what + ": expected " + expected + " but got " + actual + " (" + diff / Math.ulp(expected) + " ulp)");
        }
    }
}
