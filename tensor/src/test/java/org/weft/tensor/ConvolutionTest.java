package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** conv2d's argument checks: each bad call fails naming what was expected and what came, in PyTorch's words. */
class ConvolutionTest {

    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};

    private static String conv2dError(NDArray x, NDArray w, NDArray b, int[] stride, int[] padding, int[] dilation,
                                      int groups) {
        return assertThrows(IllegalArgumentException.class,
                () -> Convolution.conv2d(x, w, b, stride, padding, dilation, groups)).getMessage();
    }

    @Test
    void inputChannelsMustMatchTheWeight() {
        assertEquals("Given groups=1, weight of size [2, 3, 3, 3], expected input[1, 4, 5, 5] to have 3 channels,"
                        + " but got 4 channels instead",
                conv2dError(NDArray.zeros(1, 4, 5, 5), NDArray.zeros(2, 3, 3, 3), null, ONE, ZERO, ONE, 1));
    }

    @Test
    void groupsMustDivideTheOutputChannels() {
        assertEquals("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size"
                        + " [3, 2, 3, 3] instead",
                conv2dError(NDArray.zeros(1, 4, 5, 5), NDArray.zeros(3, 2, 3, 3), null, ONE, ZERO, ONE, 2));
        assertEquals("Given groups=4, expected weight to be at least 4 at dimension 0, but got weight of size"
                        + " [2, 1, 3, 3] instead",
                conv2dError(NDArray.zeros(1, 4, 5, 5), NDArray.zeros(2, 1, 3, 3), null, ONE, ZERO, ONE, 4));
    }

    @Test
    void groupsMustDivideTheInputChannels() {
        // 5 input channels in 2 groups: no weight [O, C/groups, ...] can match.
        assertEquals("Given groups=2, weight of size [4, 2, 3, 3], expected input[1, 5, 5, 5] to have 4 channels,"
                        + " but got 5 channels instead",
                conv2dError(NDArray.zeros(1, 5, 5, 5), NDArray.zeros(4, 2, 3, 3), null, ONE, ZERO, ONE, 2));
    }

    @Test
    void theKernelMustFitThePaddedInput() {
        assertEquals("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be"
                        + " greater than actual input size",
                conv2dError(NDArray.zeros(1, 4, 2, 2), NDArray.zeros(3, 4, 3, 3), null, ONE, ZERO, ONE, 1));
        // Dilation widens the kernel's reach: 2 * (3 - 1) + 1 = 5 > 4.
        assertEquals("Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be"
                        + " greater than actual input size",
                conv2dError(NDArray.zeros(1, 1, 4, 4), NDArray.zeros(1, 1, 3, 3), null, ONE, ZERO, new int[] {2}, 1));
    }

    @Test
    void biasMustHaveOneElementPerOutputChannel() {
        assertEquals("Given weight of size [3, 4, 3, 3], expected bias to be 1-dimensional with 3 elements, but got"
                        + " bias of size [2] instead",
                conv2dError(NDArray.zeros(1, 4, 5, 5), NDArray.zeros(3, 4, 3, 3), NDArray.zeros(2), ONE, ZERO, ONE, 1));
    }

    @Test
    void inputAndWeightRanksAreChecked() {
        assertEquals("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4, 5]",
                conv2dError(NDArray.zeros(4, 5), NDArray.zeros(3, 4, 3, 3), null, ONE, ZERO, ONE, 1));
        assertEquals("conv2d: expected a 4-dimensional weight [out_channels, in_channels/groups, kH, kW], but got"
                        + " weight of size [3, 4, 3]",
                conv2dError(NDArray.zeros(1, 4, 5, 5), NDArray.zeros(3, 4, 3), null, ONE, ZERO, ONE, 1));
    }

    @Test
    void stridePaddingDilationAndGroupsAreChecked() {
        NDArray x = NDArray.zeros(1, 4, 5, 5);
        NDArray w = NDArray.zeros(3, 4, 3, 3);
        assertEquals("non-positive groups is not supported", conv2dError(x, w, null, ONE, ZERO, ONE, 0));
        assertEquals("non-positive stride is not supported, but got stride [1, 0]",
                conv2dError(x, w, null, new int[] {1, 0}, ZERO, ONE, 1));
        assertEquals("negative padding is not supported, but got padding [-1, -1]",
                conv2dError(x, w, null, ONE, new int[] {-1}, ONE, 1));
        assertEquals("dilation should be greater than zero, but got [0, 0]",
                conv2dError(x, w, null, ONE, ZERO, ZERO, 1));
        assertEquals("conv2d: stride must either be a single int, or a tuple of two ints, but got [1, 1, 1]",
                conv2dError(x, w, null, new int[] {1, 1, 1}, ZERO, ONE, 1));
    }

    @Test
    void dtypesMustAgreeAndBeFloatingPoint() {
        assertEquals("conv2d: expected input and weight to have the same dtype, but got input F64 and weight F32",
                conv2dError(NDArray.zeros(DType.F64, 1, 4, 5, 5), NDArray.zeros(3, 4, 3, 3), null, ONE, ZERO, ONE, 1));
        assertEquals("conv2d: expected input of dtype F32 or F64, but got I64",
                conv2dError(NDArray.zeros(DType.I64, 1, 4, 5, 5), NDArray.zeros(DType.I64, 3, 4, 3, 3), null, ONE,
                        ZERO, ONE, 1));
    }

    @Test
    void backwardOpsRefuseAGradientOfTheWrongShape() {
        NDArray w = NDArray.zeros(3, 4, 3, 3);
        String msg = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2dBackwardInput(
                NDArray.zeros(1, 3, 4, 4), w, Shape.of(1, 4, 5, 5), ONE, ZERO, ONE, 1)).getMessage();
        assertEquals("conv2d backward (input): expected a gradient of the convolution's output shape [1, 3, 3, 3],"
                + " but got [1, 3, 4, 4]", msg);
    }

    @Test
    void outputSizeFollowsTheFormula() {
        // (H + 2 pad - dilation (k - 1) - 1) / stride + 1 = (7 + 2 - 2*2 - 1) / 2 + 1 = 3; W: (6 + 0 - 1 - 1) / 1 + 1 = 5
        NDArray out = Convolution.conv2d(NDArray.zeros(2, 4, 7, 6), NDArray.zeros(6, 2, 3, 2), null,
                new int[] {2, 1}, new int[] {1, 0}, new int[] {2, 1}, 2);
        assertArrayEquals(new int[] {2, 6, 3, 5}, out.dims());
        // An unbatched [C, H, W] input gives an unbatched output.
        assertArrayEquals(new int[] {3, 3, 3}, Convolution.conv2d(NDArray.zeros(4, 5, 5), NDArray.zeros(3, 4, 3, 3),
                null).dims());
    }
}
