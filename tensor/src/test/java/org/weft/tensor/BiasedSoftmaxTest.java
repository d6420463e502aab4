package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.random.Generator;

/**
 * The fused window-attention softmax agrees with its composition from separate array ops
 * (add the bias, add the mask window by window, softmax; the gradient {@code y (g - sum(g y))}
 * and its sum over W), in F32 and F64, on contiguous and strided operands, and refuses
 * operands of the wrong shape or dtype naming what it expected. PyTorch agreement is in the
 * conformance suite (norm/softmax_with_bias).
 */
class BiasedSoftmaxTest {

    private static final int[] LAST = {-1};

    /** softmax((logits + bias).view(W/nW, nW, H, N, M) + mask[:, None], -1) from separate ops. */
    private static NDArray composed(NDArray logits, NDArray bias, NDArray mask) {
        NDArray x = logits.add(bias);
        if (mask != null) {
            int[] d = logits.dims();
            int nw = mask.size(0);
            x = x.reshape(d[0] / nw, nw, d[1], d[2], d[3]).add(mask.unsqueeze(1)).reshape(d);
        }
        return Normalization.softmax(x, -1);
    }

    private static void assertClose(NDArray expected, NDArray actual, double tol) {
        assertArrayEquals(expected.dims(), actual.dims());
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i);
        }
    }

    private static void checkAgainstComposition(DType dtype, NDArray logits, NDArray bias, NDArray mask, double tol) {
        NDArray y = BiasedSoftmax.forward(logits, bias, mask);
        assertClose(composed(logits, bias, mask), y, tol);
        NDArray g = NDArray.randn(dtype, new Generator(5), logits.dims());
        BiasedSoftmax.Gradients grads = BiasedSoftmax.backward(y, g, bias.dims(), true, true);
        NDArray gradLogits = y.mul(g.sub(g.mul(y).sum(LAST, true)));
        assertClose(gradLogits, grads.logits(), tol);
        assertClose(gradLogits.sumToShape(bias.shape()), grads.bias(), tol * 10);
        BiasedSoftmax.Gradients biasOnly = BiasedSoftmax.backward(y, g, bias.dims(), false, true);
        assertNull(biasOnly.logits());
        assertClose(grads.bias(), biasOnly.bias(), 0);
    }

    private static NDArray swinMask(DType dtype, Generator gen, int windows, int n) {
        return NDArray.rand(dtype, gen, windows, n, n).lt(0.5).to(dtype).mul(-100.0)
                .to(dtype);
    }

    @Test
    void matchesTheCompositionAtSwinShapes() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Generator gen = new Generator(1);
            NDArray logits = NDArray.randn(dtype, gen, 8, 3, 49, 49);
            NDArray bias = NDArray.randn(dtype, gen, 1, 3, 49, 49);
            checkAgainstComposition(dtype, logits, bias, swinMask(dtype, gen, 4, 49), dtype == DType.F32 ? 1e-6 : 1e-13);
            checkAgainstComposition(dtype, logits, bias, null, dtype == DType.F32 ? 1e-6 : 1e-13);
        }
    }

    @Test
    void matchesTheCompositionOnStridedOperands() {
        Generator gen = new Generator(2);
        NDArray logits = NDArray.randn(DType.F32, gen, 6, 2, 5, 5).transpose(2, 3);
        NDArray bias = NDArray.randn(DType.F32, gen, 2, 5, 10).slice(2, 0, 10, 2);
        NDArray mask = swinMask(DType.F32, gen, 3, 5).transpose(1, 2);
        checkAgainstComposition(DType.F32, logits, bias, mask, 1e-6);
    }

    @Test
    void refusesOperandsOfTheWrongShapeOrDtype() {
        NDArray logits = NDArray.zeros(DType.F32, 4, 2, 3, 3);
        NDArray bias = NDArray.zeros(DType.F32, 1, 2, 3, 3);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> BiasedSoftmax.forward(NDArray.zeros(DType.F32, 2, 3, 3), bias, null)).getMessage();
        assertTrue(msg.contains("softmax_with_bias") && msg.contains("[W, H, N, M]") && msg.contains("[2, 3, 3]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> BiasedSoftmax.forward(logits, NDArray.zeros(DType.F32, 2, 2, 3, 3), null)).getMessage();
        assertTrue(msg.contains("expected a bias [1, 2, 3, 3] or [2, 3, 3]") && msg.contains("[2, 2, 3, 3]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> BiasedSoftmax.forward(logits, bias, NDArray.zeros(DType.F32, 3, 3, 3))).getMessage();
        assertTrue(msg.contains("mask [nW, 3, 3] with nW dividing 4") && msg.contains("[3, 3, 3]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> BiasedSoftmax.forward(logits, NDArray.zeros(DType.F64, 1, 2, 3, 3), null)).getMessage();
        assertTrue(msg.contains("bias is F64 but the input is F32"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> BiasedSoftmax.forward(NDArray.zeros(DType.I64, 4, 2, 3, 3), bias, null)).getMessage();
        assertTrue(msg.contains("floating-point logits"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> BiasedSoftmax.backward(logits,
                NDArray.zeros(DType.F32, 4, 2, 3, 2), bias.dims(), true, true)).getMessage();
        assertTrue(msg.contains("gradient of shape [4, 2, 3, 2] for an output of shape [4, 2, 3, 3]"), msg);
    }
}
