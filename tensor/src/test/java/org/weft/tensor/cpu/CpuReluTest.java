package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * The ReLU kernels (vector loops on contiguous F32, typed loops on any strides) give bit for
 * bit what their element-by-element references give, signed zeros and NaN included.
 */
class CpuReluTest {

    /** Values with the edge cases sprinkled in: -0.0, +0.0, NaN and the infinities. */
    private static NDArray values(DType dtype, Random random, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            v[i] = i % 7 == 3 ? special[(i / 7) % special.length] : random.nextGaussian();
        }
        return NDArray.of(v, dims).to(dtype);
    }

    /** The same elements in both dtypes' raw bits, so -0.0 and 0.0 differ and NaN equals NaN. */
    private static long[] bits(NDArray a) {
        double[] v = a.toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    /**
     * Odd sizes (vector body plus a scalar tail) and views: a transpose, a stepped slice, and a
     * channel slice (strided between items, unit stride runs within).
     */
    private static NDArray[] inputs(DType dtype) {
        Random random = new Random(7);
        return new NDArray[] {
            values(dtype, random, 37),
            values(dtype, random, 3, 5, 11),
            values(dtype, random, 9, 13).t(),
            values(dtype, random, 6, 17).slice(1, 1, 16, 2),
            values(dtype, random, 2, 5, 3, 7).slice(1, 1, 4, 1),
            values(dtype, random, 70001)
        };
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void forwardMatchesReference(DType dtype) {
        for (NDArray x : inputs(dtype)) {
            NDArray fast = NDArray.zeros(dtype, x.device(), x.dims());
            NDArray reference = NDArray.zeros(dtype, x.device(), x.dims());
            CpuRelu.forward(x, fast);
            CpuRelu.forwardReference(x, reference);
            assertArrayEquals(bits(reference), bits(fast), "relu of " + x.shape());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void thresholdBackwardMatchesReference(DType dtype) {
        Random random = new Random(11);
        for (NDArray x : inputs(dtype)) {
            NDArray grad = values(dtype, random, x.dims());
            // A transposed gradient as well, so the strided walk sees three different layouts.
            NDArray[] grads = {grad, x.dim() == 2 ? values(dtype, random, x.size(1), x.size(0)).t() : grad};
            for (NDArray g : grads) {
                for (double threshold : new double[] {0, 0.25, 0.1}) {
                    NDArray fast = NDArray.zeros(dtype, x.device(), x.dims());
                    NDArray reference = NDArray.zeros(dtype, x.device(), x.dims());
                    CpuRelu.thresholdBackward(g, x, threshold, fast);
                    CpuRelu.thresholdBackwardReference(g, x, threshold, reference);
                    assertArrayEquals(bits(reference), bits(fast), "threshold " + threshold + " on " + x.shape());
                }
            }
        }
    }
}
