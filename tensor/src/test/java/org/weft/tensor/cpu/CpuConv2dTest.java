package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weft.tensor.Convolution;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;

/**
 * The im2col + matrix-product convolution and its two gradients agree with the nested-loop
 * reference on every path: unfolded and pointwise, strided input layouts, groups, both ways
 * the weight gradient is split over threads (batch partial sums, and groups), batch items
 * multiplied side by side on small planes, and large columns unfolded a block of rows at a time.
 */
class CpuConv2dTest {

    /** How the input lies in memory. */
    enum Layout { CONTIGUOUS, CHANNELS_LAST, SPATIALLY_TRANSPOSED }

    private static final int[] ONES = {1, 1};
    private static final int[] ZEROS = {0, 0};

    static java.util.stream.Stream<Arguments> cases() {
        return java.util.stream.Stream.of(
                // n, c, h, w, o, kh, kw, stride, padding, dilation, groups, layout
                Arguments.of(2, 3, 7, 6, 4, 3, 3, ONES, ONES, ONES, 1, Layout.CONTIGUOUS),
                Arguments.of(3, 4, 8, 7, 6, 3, 2, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2,
                        Layout.CONTIGUOUS),
                Arguments.of(1, 4, 6, 6, 4, 3, 3, ONES, ONES, ONES, 4, Layout.CONTIGUOUS),
                Arguments.of(3, 2, 9, 9, 2, 3, 3, new int[] {3, 3}, ZEROS, ONES, 1, Layout.CHANNELS_LAST),
                Arguments.of(4, 5, 5, 4, 3, 1, 1, ONES, ZEROS, ONES, 1, Layout.CONTIGUOUS),
                Arguments.of(4, 4, 5, 4, 6, 1, 1, ONES, ZEROS, ONES, 2, Layout.CHANNELS_LAST),
                Arguments.of(2, 3, 5, 6, 2, 1, 1, ONES, ZEROS, ONES, 1, Layout.SPATIALLY_TRANSPOSED),
                Arguments.of(2, 3, 6, 5, 4, 3, 3, new int[] {2, 2}, new int[] {2, 1}, new int[] {2, 1}, 1,
                        Layout.SPATIALLY_TRANSPOSED),
                // Small planes with several items per product, a remainder chunk among them.
                Arguments.of(5, 4, 7, 7, 6, 1, 1, new int[] {2, 2}, ZEROS, ONES, 1, Layout.CONTIGUOUS),
                Arguments.of(7, 4, 9, 8, 6, 3, 3, new int[] {2, 1}, ONES, ONES, 2, Layout.CHANNELS_LAST),
                Arguments.of(5, 3, 5, 5, 4, 1, 1, ONES, ONES, ONES, 1, Layout.SPATIALLY_TRANSPOSED),
                Arguments.of(9, 6, 4, 4, 6, 1, 1, ONES, ZEROS, ONES, 3, Layout.CONTIGUOUS),
                Arguments.of(1, 6, 5, 5, 3, 1, 1, ONES, ZEROS, ONES, 3, Layout.CHANNELS_LAST),
                // Enough items that chunks hold several even with many threads.
                Arguments.of(40, 3, 5, 4, 4, 3, 3, ONES, ONES, ONES, 1, Layout.CONTIGUOUS),
                // Planes of at least CpuConv2d.SMALL_PLANE output pixels: one product per item.
                Arguments.of(3, 4, 24, 24, 4, 1, 1, ONES, ZEROS, ONES, 2, Layout.SPATIALLY_TRANSPOSED),
                Arguments.of(3, 2, 48, 47, 3, 1, 1, new int[] {2, 2}, ZEROS, ONES, 1, Layout.CHANNELS_LAST),
                Arguments.of(2, 2, 26, 25, 2, 3, 3, ONES, new int[] {2, 1}, new int[] {2, 1}, 1, Layout.CONTIGUOUS),
                // Columns larger than CpuConv2d.COLUMN_BLOCK: unfolded a few output rows at a time,
                // the last block shorter than the others.
                Arguments.of(2, 32, 48, 40, 4, 3, 3, ONES, ONES, ONES, 1, Layout.CHANNELS_LAST),
                Arguments.of(1, 16, 50, 44, 3, 5, 5, ONES, new int[] {3, 3}, new int[] {2, 2}, 1, Layout.CONTIGUOUS));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void agreesWithTheNestedLoopReference(int n, int c, int h, int w, int o, int kh, int kw, int[] stride,
                                          int[] padding, int[] dilation, int groups, Layout layout) {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Random random = new Random(n * 1000 + c * 100 + h * 10 + w);
            NDArray x = input(random, dtype, layout, n, c, h, w);
            NDArray weight = randn(random, dtype, o, c / groups, kh, kw);
            NDArray bias = randn(random, dtype, o);
            Conv2dParams p = new Conv2dParams(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
                    groups);
            double tol = dtype == DType.F32 ? 1e-5 : 1e-12;

            NDArray out = Convolution.conv2d(x, weight, bias, stride, padding, dilation, groups);
            assertClose(Conv2dReference.forward(x, weight, bias, p, out.size(2), out.size(3)), out, tol);

            NDArray gradOut = randn(random, dtype, out.dims());
            NDArray gradIn = Convolution.conv2dBackwardInput(gradOut, weight, x.shape(), stride, padding, dilation,
                    groups);
            assertClose(Conv2dReference.backwardInput(gradOut, weight, p, x.dims()), gradIn, tol);

            NDArray gradWeight = Convolution.conv2dBackwardWeight(gradOut, x, weight.shape(), stride, padding, dilation,
                    groups);
            assertClose(Conv2dReference.backwardWeight(gradOut, x, p, weight.dims()), gradWeight, tol);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void affineEpilogueAgreesWithTheReferenceThenTheMap(int n, int c, int h, int w, int o, int kh, int kw,
                                                        int[] stride, int[] padding, int[] dilation, int groups,
                                                        Layout layout) {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (boolean relu : new boolean[] {false, true}) {
                Random random = new Random(n * 1000 + c * 100 + h * 10 + w + (relu ? 7 : 0));
                NDArray x = input(random, dtype, layout, n, c, h, w);
                NDArray weight = randn(random, dtype, o, c / groups, kh, kw);
                NDArray scale = randn(random, dtype, o);
                NDArray shift = randn(random, dtype, o);
                Conv2dParams p = new Conv2dParams(stride[0], stride[1], padding[0], padding[1], dilation[0],
                        dilation[1], groups);

                NDArray out = Convolution.conv2dAffine(x, weight, scale, shift, relu, stride, padding, dilation,
                        groups);
                double[] want = Conv2dReference.forward(x, weight, null, p, out.size(2), out.size(3));
                double[] sc = scale.toDoubleArray();
                double[] sh = shift.toDoubleArray();
                int pixels = out.size(2) * out.size(3);
                for (int i = 0; i < want.length; i++) {
                    int channel = i / pixels % o;
                    double v = want[i] * sc[channel] + sh[channel];
                    want[i] = relu && v < 0 ? 0 : v;
                }
                assertClose(want, out, dtype == DType.F32 ? 1e-5 : 1e-12);
            }
        }
    }

    @Test
    void affineEpilogueKeepsNaNThroughTheReluAsPyTorchDoes() {
        NDArray x = NDArray.of(new float[] {Float.NaN, -1f, 2f, -3f}, 1, 1, 2, 2);
        NDArray weight = NDArray.of(new float[] {1f}, 1, 1, 1, 1);
        NDArray out = Convolution.conv2dAffine(x, weight, NDArray.of(new float[] {2f}, 1),
                NDArray.of(new float[] {0.5f}, 1), true, ONES, ZEROS, ONES, 1);
        float[] got = out.toFloatArray();
        assertTrue(Float.isNaN(got[0]), "NaN must pass the ReLU, got " + got[0]);
        assertArrayEquals(new float[] {0f, 4.5f, 0f}, Arrays.copyOfRange(got, 1, 4));
    }

    @Test
    void affineRejectsPerChannelArraysOfTheWrongLength() {
        NDArray x = NDArray.zeros(DType.F32, Device.CPU, 1, 2, 3, 3);
        NDArray weight = NDArray.zeros(DType.F32, Device.CPU, 4, 2, 1, 1);
        NDArray three = NDArray.zeros(DType.F32, Device.CPU, 3);
        NDArray four = NDArray.zeros(DType.F32, Device.CPU, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Convolution.conv2dAffine(x, weight, three, four, false, ONES, ZEROS, ONES, 1));
        assertEquals("conv2d_affine: given weight of size [4, 2, 1, 1], expected"
                + " scale to be 1-dimensional with 4 elements, but got size [3]", e.getMessage());
    }

    private static NDArray input(Random random, DType dtype, Layout layout, int n, int c, int h, int w) {
        return switch (layout) {
            case CONTIGUOUS -> randn(random, dtype, n, c, h, w);
            case CHANNELS_LAST -> randn(random, dtype, n, h, w, c).permute(0, 3, 1, 2);
            case SPATIALLY_TRANSPOSED -> randn(random, dtype, n, c, w, h).transpose(2, 3);
        };
    }

    private static NDArray randn(Random random, DType dtype, int... shape) {
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return NDArray.of(v, shape).to(dtype);
    }

    /** Largest difference within {@code tol} of the largest reference magnitude. */
    private static void assertClose(double[] want, NDArray got, double tol) {
        double[] g = got.toDoubleArray();
        assertArrayEquals(new int[] {want.length}, new int[] {g.length});
        double scale = 1e-30;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(g[i] - want[i]));
        }
        assertTrue(worst <= tol * scale, "largest difference " + worst + " against a largest value " + scale);
    }
}
