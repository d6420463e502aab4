package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * The F32 max-pooling kernels (the 2x2 one and the vector one, {@link MaxPoolF32}) give exactly
 * the maxima and indices of the double-plane reference: on odd sizes, planes narrower and wider
 * than a vector, with padding, dilation, overlapping windows and ceil mode, on a transposed
 * input, and with NaN (which must win its window, the last NaN of several in scan order) and
 * ties (the first maximum in scan order wins).
 */
class CpuPool2dTest {

    @Test
    void maxPoolMatchesReference() {
        Random random = new Random(13);
        // One NaN (in the first plane only: the others take the vector loop), sparse NaN, and NaN
        // in every third element so windows hold several.
        for (int nanPeriod : new int[] {Integer.MAX_VALUE, 29, 3}) {
            for (boolean transposed : new boolean[] {false, true}) {
                // kernel, stride, padding, dilation; the first is the 2x2, stride 2 special case
                for (int[] k : new int[][] {{2, 2, 0, 1}, {3, 2, 1, 1}, {3, 1, 1, 2}, {2, 3, 1, 1}, {3, 2, 0, 1}}) {
                    for (boolean ceil : new boolean[] {false, true}) {
                        // A small plane (one vector of output columns) and a wide one (several, and a ragged last).
                        for (int[] size : new int[][] {{9, 7}, {13, 37}}) {
                            check(input(random, transposed, nanPeriod, size[0], size[1]), k, ceil,
                                    "NaN every " + nanPeriod + ", " + size[0] + "x" + size[1] + " kernel " + k[0]
                                    + " stride " + k[1] + " padding " + k[2] + " dilation " + k[3]
                                    + (ceil ? " ceil mode" : "") + (transposed ? " on a transposed input" : ""));
                        }
                    }
                }
            }
        }
    }

    /** The output size along one axis, as PyTorch's pooling: the last window must start inside the input or its left padding. */
    private static int outSize(int in, int[] k, boolean ceil) {
        int span = in + 2 * k[2] - k[3] * (k[0] - 1) - 1;
        int out = (ceil ? (span + k[1] - 1) / k[1] : span / k[1]) + 1;
        if (ceil && (out - 1) * k[1] >= in + k[2]) {
            out--;
        }
        return out;
    }

    private static void check(NDArray x, int[] k, boolean ceil, String what) {
        int h = x.size(2);
        int w = x.size(3);
        int outH = outSize(h, k, ceil);
        int outW = outSize(w, k, ceil);
        Windows rows = Windows.sliding(h, outH, k[0], k[1], k[2], k[3]);
        Windows cols = Windows.sliding(w, outW, k[0], k[1], k[2], k[3]);
        int[] outDims = {x.size(0), x.size(1), outH, outW};
        NDArray out = NDArray.zeros(DType.F32, x.device(), outDims);
        NDArray idx = NDArray.zeros(DType.I64, x.device(), outDims);
        NDArray outRef = NDArray.zeros(DType.F32, x.device(), outDims);
        NDArray idxRef = NDArray.zeros(DType.I64, x.device(), outDims);
        CpuPool2d.maxPool2d(x, rows, cols, out, idx);
        CpuPool2d.maxPool2dReference(x, rows, cols, outRef, idxRef);
        assertArrayEquals(outRef.toFloatArray(), out.toFloatArray(), what);
        assertArrayEquals(idxRef.toLongArray(), idx.toLongArray(), what);

        // The backward with those indices: overlapping windows (stride below the kernel) add
        // twice to one element, which must sum in the reference's order to agree bit for bit.
        Random random = new Random(outH * 31 + outW);
        float[] g = new float[out.numel()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextGaussian();
        }
        NDArray gradOut = NDArray.of(g, outDims);
        NDArray gradIn = NDArray.zeros(DType.F32, x.device(), x.dims());
        NDArray gradInRef = NDArray.zeros(DType.F32, x.device(), x.dims());
        CpuPool2d.maxPool2dBackward(gradOut, idx, gradIn);
        CpuPool2d.maxPool2dBackwardReference(gradOut, idx, gradInRef);
        assertArrayEquals(gradInRef.toFloatArray(), gradIn.toFloatArray(), "backward, " + what);
    }

    /** Rounded values (so windows hold ties) with NaN every {@code nanPeriod} elements, as a 2 x 3 x h x w array or a transposed view of one. */
    private static NDArray input(Random random, boolean transposed, int nanPeriod, int h, int w) {
        int n = 2 * 3 * h * w;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % nanPeriod == 2 ? Float.NaN : Math.round(random.nextGaussian() * 2) / 2f;
        }
        return transposed ? NDArray.of(v, 2, 3, w, h).transpose(2, 3) : NDArray.of(v, 2, 3, h, w);
    }
}
