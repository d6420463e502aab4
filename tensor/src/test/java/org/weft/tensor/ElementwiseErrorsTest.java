package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the elementwise ops fail with messages that say what was expected and what came. */
class ElementwiseErrorsTest {

    private static void assertFailsSaying(Executable call, String... fragments) {
        Exception e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void broadcastMismatchNamesTheOpAndBothShapes() {
        NDArray a = NDArray.zeros(2, 3);
        NDArray b = NDArray.zeros(4, 3);
        assertFailsSaying(() -> a.add(b), "add", "[2, 3]", "[4, 3]", "non-singleton dimension 0");
        assertFailsSaying(() -> a.maximum(b), "maximum", "[2, 3]", "[4, 3]");
        assertFailsSaying(() -> a.lt(b), "lt", "[2, 3]", "[4, 3]");
        assertFailsSaying(() -> a.pow(NDArray.zeros(2, 5)), "pow", "[2, 3]", "[2, 5]", "dimension 1");
    }

    @Test
    void whereBroadcastMismatchNamesAllThreeShapes() {
        NDArray cond = NDArray.of(new boolean[] {true, false, true}, 3);
        assertFailsSaying(() -> NDArray.where(cond, NDArray.zeros(2, 3), NDArray.zeros(4, 1)),
                "where", "condition [3]", "self [2, 3]", "other [4, 1]");
    }

    @Test
    void storageDtypesMustBeConvertedBeforeArithmetic() {
        NDArray half = NDArray.zeros(DType.BF16, 2, 2);
        assertFailsSaying(() -> half.add(NDArray.zeros(2, 2)), "add", "BF16", "convert with to(DType.F32)");
        assertFailsSaying(() -> NDArray.zeros(2, 2).mul(half), "mul", "BF16", "to(DType.F32)");
        assertFailsSaying(half::exp, "exp", "BF16", "to(DType.F32)");
        assertFailsSaying(() -> NDArray.zeros(DType.F16, 3).clamp(0, 1), "clamp", "F16", "to(DType.F32)");
        assertFailsSaying(() -> half.gt(0.5), "gt", "BF16", "to(DType.F32)");
    }

    @Test
    void whereWantsABooleanCondition() {
        NDArray notBool = NDArray.of(new long[] {1, 0}, 2);
        assertFailsSaying(() -> NDArray.where(notBool, NDArray.zeros(2), NDArray.ones(2)),
                "where", "condition to be a boolean tensor", "I64");
    }

    @Test
    void clampRefusesNaNBounds() {
        NDArray x = NDArray.zeros(3);
        assertFailsSaying(() -> x.clamp(Double.NaN, 1), "clamp", "NaN", "min NaN");
        assertFailsSaying(() -> x.clampMax(Double.NaN), "clamp", "NaN", "max NaN");
    }

    @Test
    void arithmeticOnMasksSaysToConvert() {
        NDArray m = NDArray.of(new boolean[] {true, false}, 2);
        assertFailsSaying(() -> m.add(m), "add", "BOOL", "to(DType.I64)");
        assertFailsSaying(() -> m.mul(m), "mul", "BOOL", "to(DType.I64)");
        assertFailsSaying(() -> m.pow(m), "pow", "BOOL", "to(DType.I64)");
        assertFailsSaying(m::neg, "neg", "BOOL", "to(DType.I64)");
        assertFailsSaying(m::relu, "relu", "BOOL");
        assertFailsSaying(() -> m.clamp(0, 1), "clamp", "BOOL", "to(DType.I64)");
        // Subtraction is refused even with an integer on the other side, as in PyTorch.
        assertFailsSaying(() -> m.sub(NDArray.of(new long[] {1, 2}, 2)), "sub", "BOOL", "logicalNot()");
    }

    @Test
    void geluNamesTheAcceptedApproximations() {
        assertFailsSaying(() -> NDArray.zeros(2).gelu("fast"), "gelu", "'none' or 'tanh'", "'fast'");
    }

    @Test
    void integersToNegativeIntegerPowersAreRefused() {
        NDArray base = NDArray.of(new long[] {2, 3}, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> base.pow(NDArray.of(new long[] {1, -1}, 2)));
        assertTrue(e.getMessage().contains("negative integer powers"), e.getMessage());
    }
}
