package org.weft.tensor.cpu;

import java.util.Arrays;
import org.weft.tensor.NDArray;

/**
 * Bilinear interpolation of 2-d planes and its gradient. Along each axis every output
 * position blends two neighbouring source positions ({@link Lerp}); the 2-d weight of a
 * source pixel is the product of its row and column weights. The gradient adds each output
 * gradient back to those four pixels with the same weights. Planes are split over the threads;
 * each is read once into a double scratch plane ({@link Lanes}), so one loop serves F32 and
 * F64 and the gradient's sums are accumulated in double, an F32 result rounded once.
 */
final class CpuUpsample {

    private CpuUpsample() {
    }

    /**
     * Along one axis: output position {@code o} is {@code lambda0[o] * in[index0[o]] + lambda1[o] * in[index1[o]]}.
     * The source coordinate is PyTorch's: with {@code alignCorners} the corner pixels' centres
     * meet ({@code o * (in-1)/(out-1)}); without, pixel areas meet
     * ({@code (o + 0.5) * ratio - 0.5}, clamped at 0), where the ratio is {@code 1/scale} when
     * the user gave a scale factor and {@code in/out} otherwise. Equal sizes copy.
     */
    static final class Lerp {
        final int[] index0;
        final int[] index1;
        final double[] lambda0;
        final double[] lambda1;

        Lerp(int inSize, int outSize, boolean alignCorners, double scale) {
            index0 = new int[outSize];
            index1 = new int[outSize];
            lambda0 = new double[outSize];
            lambda1 = new double[outSize];
            double ratio = alignCorners ? (outSize > 1 ? (inSize - 1) / (double) (outSize - 1) : 0)
                    : (scale > 0 ? 1 / scale : inSize / (double) outSize);
            for (int o = 0; o < outSize; o++) {
                if (inSize == outSize) {
                    index0[o] = o;
                    index1[o] = o;
                    lambda0[o] = 1;
                    continue;
                }
                double src = alignCorners ? ratio * o : Math.max(ratio * (o + 0.5) - 0.5, 0);
                int i0 = (int) src;
                index0[o] = i0;
                index1[o] = i0 < inSize - 1 ? i0 + 1 : i0;
                lambda1[o] = Math.min(Math.max(src - i0, 0), 1);
                lambda0[o] = 1 - lambda1[o];
            }
        }
    }

    static void forward(NDArray x, Lerp rows, Lerp cols, NDArray out) {
        int channels = x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        int outH = rows.index0.length;
        int outW = cols.index0.length;
        Nchw xs = Nchw.of(x);
        CpuThreads.parallelFor(x.size(0) * channels, grain(height * width + outH * outW), (from, to) -> {
            double[] in = new double[height * width];
            double[] row = new double[outW];
            for (int plane = from; plane < to; plane++) {
                Lanes.loadPlane(x, xs.plane(plane / channels, plane % channels), xs.rowStride(), xs.colStride(),
                        height, width, in);
                for (int i = 0; i < outH; i++) {
                    int r0 = rows.index0[i] * width;
                    int r1 = rows.index1[i] * width;
                    for (int j = 0; j < outW; j++) {
                        int c0 = cols.index0[j];
                        int c1 = cols.index1[j];
                        double top = cols.lambda0[j] * in[r0 + c0] + cols.lambda1[j] * in[r0 + c1];
                        double bottom = cols.lambda0[j] * in[r1 + c0] + cols.lambda1[j] * in[r1 + c1];
                        row[j] = rows.lambda0[i] * top + rows.lambda1[i] * bottom;
                    }
                    Lanes.store(row, outW, out, (plane * outH + i) * outW, 1);
                }
            }
        });
    }

    static void backward(NDArray gradOut, Lerp rows, Lerp cols, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = rows.index0.length;
        int outW = cols.index0.length;
        int width = gradIn.size(3);
        int planeSize = gradIn.size(2) * width;
        Nchw gs = Nchw.of(gradOut);
        CpuThreads.parallelFor(gradOut.size(0) * channels, grain(planeSize + outH * outW), (from, to) -> {
            double[] g = new double[outW];
            double[] sum = new double[planeSize];
            for (int plane = from; plane < to; plane++) {
                int g0 = gs.plane(plane / channels, plane % channels);
                Arrays.fill(sum, 0);
                for (int i = 0; i < outH; i++) {
                    Lanes.load(gradOut, g0 + i * gs.rowStride(), gs.colStride(), outW, g);
                    int r0 = rows.index0[i] * width;
                    int r1 = rows.index1[i] * width;
                    for (int j = 0; j < outW; j++) {
                        double top = rows.lambda0[i] * g[j];
                        double bottom = rows.lambda1[i] * g[j];
                        sum[r0 + cols.index0[j]] += top * cols.lambda0[j];
                        sum[r0 + cols.index1[j]] += top * cols.lambda1[j];
                        sum[r1 + cols.index0[j]] += bottom * cols.lambda0[j];
                        sum[r1 + cols.index1[j]] += bottom * cols.lambda1[j];
                    }
                }
                Lanes.store(sum, planeSize, gradIn, plane * planeSize, 1);
            }
        });
    }

    /** How many planes of {@code work} elements make a task worth a thread. */
    private static int grain(int work) {
        return Math.max(1, (1 << 14) / Math.max(1, work));
    }
}
