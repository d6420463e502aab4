package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to gelu_backward fail with messages that say what was expected and what came. */
class GeluGradientErrorsTest {

    private static void assertFailsSaying(Executable call, String... fragments) {
        Exception e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void mismatchedShapesNameBoth() {
        assertFailsSaying(() -> GeluGradient.backward(NDArray.zeros(2, 3), NDArray.zeros(3, 2), "none"),
                "gelu_backward", "[2, 3]", "[3, 2]");
    }

    @Test
    void dtypesMustBeOneFloatingType() {
        assertFailsSaying(() -> GeluGradient.backward(NDArray.zeros(DType.F64, Device.CPU, 4), NDArray.zeros(4), "tanh"),
                "gelu_backward", "F64", "F32");
        assertFailsSaying(() -> GeluGradient.backward(NDArray.zeros(DType.I64, Device.CPU, 4),
                NDArray.zeros(DType.I64, Device.CPU, 4), "none"), "gelu_backward", "floating-point", "I64");
    }

    @Test
    void approximateIsNoneOrTanh() {
        assertFailsSaying(() -> GeluGradient.backward(NDArray.zeros(4), NDArray.zeros(4), "erf"),
                "approximate", "'none' or 'tanh'", "'erf'");
    }
}
