package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Pooling's output sizes and argument checks, against PyTorch's rules and messages. */
class PoolingTest {

    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};

    @Test
    void tooSmallAnInputNamesBothSizes() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(NDArray.zeros(1, 3, 2, 2), new int[] {3})).getMessage();
        assertEquals("max_pool2d: Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small",
                msg);
        String avg = assertThrows(IllegalArgumentException.class,
                () -> Pooling.avgPool2d(NDArray.zeros(3, 2, 2), new int[] {3})).getMessage();
        assertEquals("avg_pool2d: Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small",
                avg);
    }

    @Test
    void paddingAtMostHalfTheKernel() {
        String msg = assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(NDArray.zeros(1, 4, 5, 5),
                new int[] {2}, null, new int[] {2}, ONE, false)).getMessage();
        assertEquals("max_pool2d: pad should be at most half of kernel size, but got pad=[2, 2] and kernel_size=[2, 2]",
                msg);
    }

    @Test
    void windowArgumentsArePositive() {
        NDArray x = NDArray.zeros(1, 4, 5, 5);
        assertEquals("max_pool2d: stride should be greater than zero, but got dH: 0 dW: 0",
                assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(x, new int[] {2}, ZERO, ZERO, ONE,
                        false)).getMessage());
        assertEquals("max_pool2d: kernel size should be greater than zero, but got kH: 0 kW: 2",
                assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(x, new int[] {0, 2})).getMessage());
        assertEquals("max_pool2d: dilation should be greater than zero, but got dilationH: 0 dilationW: 0",
                assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(x, new int[] {2}, null, ZERO, ZERO,
                        false)).getMessage());
        assertEquals("avg_pool2d: divisor must be not zero",
                assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2d(x, new int[] {2}, null, ZERO,
                        false, true, 0)).getMessage());
    }

    @Test
    void inputMustBeAnImage() {
        assertEquals("max_pool2d: Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but"
                        + " got: [4, 5]",
                assertThrows(IllegalArgumentException.class,
                        () -> Pooling.maxPool2d(NDArray.zeros(4, 5), new int[] {2})).getMessage());
        assertEquals("adaptive_avg_pool2d(): Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for"
                        + " input, but got: [1, 0, 4, 4]",
                assertThrows(IllegalArgumentException.class,
                        () -> Pooling.adaptiveAvgPool2d(NDArray.zeros(1, 0, 4, 4), new int[] {2})).getMessage());
        assertEquals("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received"
                        + " [-1, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> Pooling.adaptiveAvgPool2d(NDArray.zeros(1, 2, 4, 4), new int[] {-1, 2})).getMessage());
    }

    @Test
    void ceilModeDropsALastWindowThatStartsInTheRightPadding() {
        // floor((6 + 2 - 2 + 3) / 4) + 1 = 3 windows in ceil mode, but the third starts at 2*4 - 1 = 7,
        // past the input and its left padding (6 + 1), so PyTorch keeps 2.
        assertEquals(2, Pooling.outputSize(6, 2, 1, 4, 1, true));
        assertEquals(2, Pooling.outputSize(6, 2, 1, 4, 1, false));
        // A last window starting inside the input is kept: 5 = 2*2 + 1 gives 3 in ceil mode, 2 in floor mode.
        assertEquals(3, Pooling.outputSize(5, 2, 0, 2, 1, true));
        assertEquals(2, Pooling.outputSize(5, 2, 0, 2, 1, false));
        assertArrayEquals(new int[] {2, 2, 2, 2}, Pooling.maxPool2d(NDArray.zeros(2, 2, 6, 5), new int[] {2},
                new int[] {4, 3}, ONE, ONE, true).dims());
    }

    @Test
    void maxPoolIndicesPointIntoTheInputPlaneAndTiesGoToTheFirst() {
        // One plane, rows [0, 2, 2] and [1, 2, 0]; 2x2 windows with stride 1.
        NDArray x = NDArray.of(new float[] {0, 2, 2, 1, 2, 0}, 1, 1, 2, 3);
        NDArray[] r = Pooling.maxPool2dWithIndices(x, new int[] {2}, ONE, ZERO, ONE, false);
        assertArrayEquals(new float[] {2, 2}, r[0].toFloatArray());
        // Window 0 holds 2 at flat indices 1 and 4: the first in scan order, 1. Window 1 holds 2 at 1, 2 and 4: 1.
        assertArrayEquals(new long[] {1, 1}, r[1].toLongArray());
    }

    @Test
    void paddingNeverWinsAMaxPool() {
        NDArray x = NDArray.full(-5, DType.F32, 1, 1, 2, 2);
        NDArray[] r = Pooling.maxPool2dWithIndices(x, new int[] {2}, ONE, ONE, ONE, false);
        assertArrayEquals(new float[] {-5, -5, -5, -5, -5, -5, -5, -5, -5}, r[0].toFloatArray());
        // The corner window at (-1, -1) sees only input (0, 0).
        assertEquals(0, r[1].toLongArray()[0]);
    }
}
