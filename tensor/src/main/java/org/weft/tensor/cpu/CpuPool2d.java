package org.weft.tensor.cpu;

import java.util.Arrays;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Max and average pooling over 2-d windows, and their gradients. Every (batch item, channel)
 * plane is independent, so the threads split the planes; within a plane the window bounds
 * come precomputed from {@link Windows}, which is where padding, dilation, ceil mode and the
 * adaptive windows are decided. Each plane is read once into a double scratch plane
 * ({@link Lanes}), so one loop serves F32 and F64: maxima are exact either way, average
 * pooling's sums are accumulated in double and an F32 result is rounded once. Inputs are read
 * through their strides, outputs are contiguous.
 */
final class CpuPool2d {

    /** About how many window taps make a plane chunk worth a thread. */
    private static final int GRAIN_TAPS = 1 << 15;

    private CpuPool2d() {
    }

    private static int grain(int tapsPerPlane) {
        return Math.max(1, GRAIN_TAPS / Math.max(1, tapsPerPlane));
    }

    // ------------------------------------------------------------ max pooling

    /**
     * The largest value of each window and its index {@code h * width + w} in the plane. Only
     * a strictly greater value replaces the current maximum, so the first maximum in scan order
     * wins ties; a NaN always replaces it (so NaN propagates), as PyTorch's kernel does.
     */
    static void maxPool2d(NDArray x, Windows rows, Windows cols, NDArray out, NDArray indices) {
        if (x.dtype() != DType.F32) {
            maxPool2dReference(x, rows, cols, out, indices);
            return;
        }
        // The F32 versions: compare the floats in place (a maximum needs no widening) and write
        // straight into the output, where the reference first copies each plane into doubles.
        // 2x2 stride-2 windows have a scalar kernel of their own, other sliding windows the
        // vector kernel (MaxPoolF32), and the loop below is what is left: the scalar fallback.
        int channels = x.size(1);
        int width = x.size(3);
        int outW = cols.start.length;
        int outSize = rows.start.length * outW;
        Nchw xs = Nchw.of(x);
        int rs = xs.rowStride();
        int cs = xs.colStride();
        float[] in = ((CpuStorage) x.storage()).floats();
        float[] max = ((CpuStorage) out.storage()).floats();
        int outOffset = out.offset();
        long[] idx = ((CpuStorage) indices.storage()).longs();
        boolean pairs = isPairs(rows) && isPairs(cols);
        if (!pairs && MaxPoolF32.handles(x.size(2), width, rows, cols)) {
            MaxPoolF32.forward(x, rows, cols, grain(x.size(2) * width + outSize), out, indices);
            return;
        }
        CpuThreads.parallelFor(x.size(0) * channels, grain(x.size(2) * width + outSize), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = xs.plane(plane / channels, plane % channels);
                int o = plane * outSize;
                if (pairs) {
                    maxPool2x2(in, base, rs, cs, width, rows.start.length, outW, max, outOffset + o, idx, o);
                    continue;
                }
                maxPoolPlane(in, base, rs, cs, width, rows, cols, max, outOffset + o, idx, o);
            }
        });
    }

    /** One F32 plane of {@link #maxPool2d}, window by window, tap by tap: the scalar loop any windows take. */
    static void maxPoolPlane(float[] in, int base, int rs, int cs, int width, Windows rows, Windows cols, float[] max,
                             int maxAt, long[] idx, int idxAt) {
        int outW = cols.start.length;
        for (int i = 0, o = 0; i < rows.start.length; i++) {
            for (int j = 0; j < outW; j++, o++) {
                int best = rows.start[i] * width + cols.start[j];
                float m = Float.NEGATIVE_INFINITY;
                for (int h = rows.start[i]; h < rows.end[i]; h += rows.step) {
                    for (int w = cols.start[j]; w < cols.end[j]; w += cols.step) {
                        float v = in[base + h * rs + w * cs];
                        if (v > m || v != v) {
                            m = v;
                            best = h * width + w;
                        }
                    }
                }
                max[maxAt + o] = m;
                idx[idxAt + o] = best;
            }
        }
    }

    /** Whether output {@code o} covers exactly inputs {@code 2o} and {@code 2o + 1}: the usual 2x2, stride 2 pooling. */
    private static boolean isPairs(Windows w) {
        if (w.step != 1) {
            return false;
        }
        for (int o = 0; o < w.start.length; o++) {
            if (w.start[o] != 2 * o || w.end[o] != 2 * o + 2) {
                return false;
            }
        }
        return true;
    }

    /**
     * One plane of 2x2, stride 2 max pooling: the general loop with its four taps written out
     * in scan order, so the same element wins ties and NaN.
     */
    private static void maxPool2x2(float[] in, int base, int rs, int cs, int width, int outH, int outW, float[] max,
                                   int maxAt, long[] idx, int idxAt) {
        for (int i = 0; i < outH; i++) {
            int top = base + 2 * i * rs;
            int bottom = top + rs;
            int o = i * outW;
            for (int j = 0; j < outW; j++, o++) {
                int c0 = 2 * j * cs;
                int first = 2 * i * width + 2 * j;
                int pa = top + c0;
                int pc = bottom + c0;
                float a = in[pa];
                float b = in[pa + cs];
                float c = in[pc];
                float d = in[pc + cs];
                float m;
                int best;
                if (a != a || b != b || c != c || d != d) {
                    // NaN is the maximum, and the last NaN in scan order is where it came from.
                    best = lastNaN(in, pa, pa + cs, pc, pc + cs, first, width);
                    m = Float.NaN;
                } else {
                    // The first maximum in scan order is the first of each row's first maximum, the
                    // top row winning ties. Only indices are selected (conditional moves, no
                    // branches to mispredict on activations where each tap is a coin toss), and
                    // the value is read back at the index, so a -0.0 or 0.0 keeps its sign.
                    int right = b > a ? 1 : 0;
                    int rightBelow = d > c ? 1 : 0;
                    boolean below = Math.max(c, d) > Math.max(a, b);
                    int tap = below ? pc + rightBelow * cs : pa + right * cs;
                    best = below ? first + width + rightBelow : first + right;
                    m = in[tap];
                }
                max[maxAt + o] = m;
                idx[idxAt + o] = best;
            }
        }
    }

    /** The index of the last NaN among four taps whose first is NaN and sits at plane index {@code first}. */
    private static int lastNaN(float[] in, int a, int b, int c, int d, int first, int width) {
        if (Float.isNaN(in[d])) {
            return first + width + 1;
        }
        if (Float.isNaN(in[c])) {
            return first + width;
        }
        return Float.isNaN(in[b]) ? first + 1 : first;
    }

    /** The definition of {@link #maxPool2d}, each plane through a double scratch plane (and the F64 kernel). */
    static void maxPool2dReference(NDArray x, Windows rows, Windows cols, NDArray out, NDArray indices) {
        int channels = x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        int outSize = rows.start.length * cols.start.length;
        Nchw xs = Nchw.of(x);
        long[] idx = ((CpuStorage) indices.storage()).longs();
        CpuThreads.parallelFor(x.size(0) * channels, grain(height * width + outSize), (from, to) -> {
            double[] in = new double[height * width];
            double[] max = new double[outSize];
            for (int plane = from; plane < to; plane++) {
                Lanes.loadPlane(x, xs.plane(plane / channels, plane % channels), xs.rowStride(), xs.colStride(),
                        height, width, in);
                int o = 0;
                for (int i = 0; i < rows.start.length; i++) {
                    for (int j = 0; j < cols.start.length; j++, o++) {
                        int best = rows.start[i] * width + cols.start[j];
                        double m = Double.NEGATIVE_INFINITY;
                        for (int h = rows.start[i]; h < rows.end[i]; h += rows.step) {
                            for (int w = cols.start[j]; w < cols.end[j]; w += cols.step) {
                                double v = in[h * width + w];
                                if (v > m || Double.isNaN(v)) {
                                    m = v;
                                    best = h * width + w;
                                }
                            }
                        }
                        max[o] = m;
                        idx[plane * outSize + o] = best;
                    }
                }
                Lanes.store(max, outSize, out, plane * outSize, 1);
            }
        });
    }

    /**
     * {@code gradIn[n, c] at indices[n, c, i, j] += gradOut[n, c, i, j]}: a window's gradient
     * goes to its maximum. The F32 version adds the floats in place, in the reference's order, so
     * it gives the reference's sums bit for bit without widening every plane to doubles and back.
     */
    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradIn) {
        if (gradOut.dtype() != DType.F32) {
            maxPool2dBackwardReference(gradOut, indices, gradIn);
            return;
        }
        int channels = gradOut.size(1);
        int outH = gradOut.size(2);
        int outW = gradOut.size(3);
        int planeSize = gradIn.size(2) * gradIn.size(3);
        Nchw gs = Nchw.of(gradOut);
        Nchw is = Nchw.of(indices);
        float[] g = ((CpuStorage) gradOut.storage()).floats();
        long[] idx = ((CpuStorage) indices.storage()).longs();
        float[] gi = ((CpuStorage) gradIn.storage()).floats();
        int giOffset = gradIn.offset();
        CpuThreads.parallelFor(gradOut.size(0) * channels, grain(outH * outW), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int n = plane / channels;
                int c = plane % channels;
                int g0 = gs.plane(n, c);
                int x0 = is.plane(n, c);
                int dst = giOffset + plane * planeSize;
                for (int i = 0; i < outH; i++) {
                    int gRow = g0 + i * gs.rowStride();
                    int xRow = x0 + i * is.rowStride();
                    for (int j = 0; j < outW; j++) {
                        gi[dst + (int) idx[xRow + j * is.colStride()]] += g[gRow + j * gs.colStride()];
                    }
                }
            }
        });
    }

    /** The definition of {@link #maxPool2dBackward}, each plane through double scratch rows (and the F64 kernel). */
    static void maxPool2dBackwardReference(NDArray gradOut, NDArray indices, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = gradOut.size(2);
        int outW = gradOut.size(3);
        int planeSize = gradIn.size(2) * gradIn.size(3);
        Nchw gs = Nchw.of(gradOut);
        Nchw is = Nchw.of(indices);
        long[] idx = ((CpuStorage) indices.storage()).longs();
        CpuThreads.parallelFor(gradOut.size(0) * channels, grain(outH * outW), (from, to) -> {
            double[] g = new double[outH * outW];
            int[] at = new int[outH * outW];
            for (int plane = from; plane < to; plane++) {
                int n = plane / channels;
                int c = plane % channels;
                Lanes.loadPlane(gradOut, gs.plane(n, c), gs.rowStride(), gs.colStride(), outH, outW, g);
                int x0 = is.plane(n, c);
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        at[i * outW + j] = (int) idx[x0 + i * is.rowStride() + j * is.colStride()];
                    }
                }
                // Only the (rare) overlapping windows add twice to one element, in gradIn's dtype.
                Lanes.addAt(g, at, outH * outW, gradIn, plane * planeSize);
            }
        });
    }

    // ------------------------------------------------------------ average pooling (fixed and adaptive windows)

    /** The sum of each window divided by its divisor ({@link Windows#divisors}); an empty window gives 0. */
    static void avgPool2d(NDArray x, Windows rows, Windows cols, int[] divisors, NDArray out) {
        int channels = x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        int outSize = rows.start.length * cols.start.length;
        Nchw xs = Nchw.of(x);
        CpuThreads.parallelFor(x.size(0) * channels, grain(height * width + outSize), (from, to) -> {
            double[] in = new double[height * width];
            double[] mean = new double[outSize];
            for (int plane = from; plane < to; plane++) {
                Lanes.loadPlane(x, xs.plane(plane / channels, plane % channels), xs.rowStride(), xs.colStride(),
                        height, width, in);
                int o = 0;
                for (int i = 0; i < rows.start.length; i++) {
                    for (int j = 0; j < cols.start.length; j++, o++) {
                        double sum = 0;
                        for (int h = rows.start[i]; h < rows.end[i]; h++) {
                            for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                sum += in[h * width + w];
                            }
                        }
                        boolean empty = rows.start[i] >= rows.end[i] || cols.start[j] >= cols.end[j];
                        mean[o] = empty ? 0 : sum / divisors[o];
                    }
                }
                Lanes.store(mean, outSize, out, plane * outSize, 1);
            }
        });
    }

    /** Adds {@code gradOut / divisor} to every input element of each window. */
    static void avgPool2dBackward(NDArray gradOut, Windows rows, Windows cols, int[] divisors, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = rows.start.length;
        int outW = cols.start.length;
        int width = gradIn.size(3);
        int planeSize = gradIn.size(2) * width;
        Nchw gs = Nchw.of(gradOut);
        CpuThreads.parallelFor(gradOut.size(0) * channels, grain(planeSize + outH * outW), (from, to) -> {
            double[] g = new double[outH * outW];
            double[] sum = new double[planeSize];
            for (int plane = from; plane < to; plane++) {
                Lanes.loadPlane(gradOut, gs.plane(plane / channels, plane % channels), gs.rowStride(), gs.colStride(),
                        outH, outW, g);
                Arrays.fill(sum, 0);
                int o = 0;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++, o++) {
                        double share = g[o] / divisors[o];
                        for (int h = rows.start[i]; h < rows.end[i]; h++) {
                            for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                sum[h * width + w] += share;
                            }
                        }
                    }
                }
                Lanes.store(sum, planeSize, gradIn, plane * planeSize, 1);
            }
        });
    }
}
