package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Max and average pooling over 2-d windows, and their gradients. Every (batch item, channel)
 * plane is independent, so the threads split the planes; within a plane the window bounds
 * come precomputed from {@link Windows}, which is where padding, dilation, ceil mode and the
 * adaptive windows are decided. Inputs are read through their strides, outputs are contiguous.
 * F32 and F64 are the same loops over float[] and double[].
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
        int channels = x.size(1);
        int width = x.size(3);
        int outH = rows.start.length;
        int outW = cols.start.length;
        Nchw xs = Nchw.of(x);
        long[] idx = ((CpuStorage) indices.storage()).longs();
        int planes = x.size(0) * channels;
        int taps = x.size(2) * x.size(3) + outH * outW;
        switch (x.dtype()) {
            case F32 -> {
                float[] xa = ((CpuStorage) x.storage()).floats();
                float[] oa = ((CpuStorage) out.storage()).floats();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++, o++) {
                                int best = rows.start[i] * width + cols.start[j];
                                float max = Float.NEGATIVE_INFINITY;
                                for (int h = rows.start[i]; h < rows.end[i]; h += rows.step) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w += cols.step) {
                                        float v = xa[base + h * xs.rowStride() + w * xs.colStride()];
                                        if (v > max || Float.isNaN(v)) {
                                            max = v;
                                            best = h * width + w;
                                        }
                                    }
                                }
                                oa[o] = max;
                                idx[o] = best;
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] xa = ((CpuStorage) x.storage()).doubles();
                double[] oa = ((CpuStorage) out.storage()).doubles();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++, o++) {
                                int best = rows.start[i] * width + cols.start[j];
                                double max = Double.NEGATIVE_INFINITY;
                                for (int h = rows.start[i]; h < rows.end[i]; h += rows.step) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w += cols.step) {
                                        double v = xa[base + h * xs.rowStride() + w * xs.colStride()];
                                        if (v > max || Double.isNaN(v)) {
                                            max = v;
                                            best = h * width + w;
                                        }
                                    }
                                }
                                oa[o] = max;
                                idx[o] = best;
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("max_pool2d kernel: no " + x.dtype() + " version");
        }
    }

    /** {@code gradIn[n, c] at indices[n, c, i, j] += gradOut[n, c, i, j]}: a window's gradient goes to its maximum. */
    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = gradOut.size(2);
        int outW = gradOut.size(3);
        int planeSize = gradIn.size(2) * gradIn.size(3);
        Nchw gs = Nchw.of(gradOut);
        Nchw is = Nchw.of(indices);
        long[] idx = ((CpuStorage) indices.storage()).longs();
        int planes = gradOut.size(0) * channels;
        switch (gradOut.dtype()) {
            case F32 -> {
                float[] ga = ((CpuStorage) gradOut.storage()).floats();
                float[] ia = ((CpuStorage) gradIn.storage()).floats();
                CpuThreads.parallelFor(planes, grain(outH * outW), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int n = plane / channels;
                        int c = plane % channels;
                        int g0 = gs.plane(n, c);
                        int x0 = is.plane(n, c);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++) {
                                int at = (int) idx[x0 + i * is.rowStride() + j * is.colStride()];
                                ia[dst + at] += ga[g0 + i * gs.rowStride() + j * gs.colStride()];
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] ga = ((CpuStorage) gradOut.storage()).doubles();
                double[] ia = ((CpuStorage) gradIn.storage()).doubles();
                CpuThreads.parallelFor(planes, grain(outH * outW), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int n = plane / channels;
                        int c = plane % channels;
                        int g0 = gs.plane(n, c);
                        int x0 = is.plane(n, c);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++) {
                                int at = (int) idx[x0 + i * is.rowStride() + j * is.colStride()];
                                ia[dst + at] += ga[g0 + i * gs.rowStride() + j * gs.colStride()];
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("max_pool2d backward kernel: no " + gradOut.dtype() + " version");
        }
    }

    // ------------------------------------------------------------ average pooling (fixed and adaptive windows)

    /** The sum of each window divided by its divisor ({@link Windows#divisors}); an empty window gives 0. */
    static void avgPool2d(NDArray x, Windows rows, Windows cols, int[] divisors, NDArray out) {
        int channels = x.size(1);
        int outH = rows.start.length;
        int outW = cols.start.length;
        Nchw xs = Nchw.of(x);
        int planes = x.size(0) * channels;
        int taps = x.size(2) * x.size(3) + outH * outW;
        switch (x.dtype()) {
            case F32 -> {
                float[] xa = ((CpuStorage) x.storage()).floats();
                float[] oa = ((CpuStorage) out.storage()).floats();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++, o++) {
                                float sum = 0;
                                for (int h = rows.start[i]; h < rows.end[i]; h++) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                        sum += xa[base + h * xs.rowStride() + w * xs.colStride()];
                                    }
                                }
                                boolean empty = rows.start[i] >= rows.end[i] || cols.start[j] >= cols.end[j];
                                oa[o] = empty ? 0 : sum / divisors[i * outW + j];
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] xa = ((CpuStorage) x.storage()).doubles();
                double[] oa = ((CpuStorage) out.storage()).doubles();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++, o++) {
                                double sum = 0;
                                for (int h = rows.start[i]; h < rows.end[i]; h++) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                        sum += xa[base + h * xs.rowStride() + w * xs.colStride()];
                                    }
                                }
                                boolean empty = rows.start[i] >= rows.end[i] || cols.start[j] >= cols.end[j];
                                oa[o] = empty ? 0 : sum / divisors[i * outW + j];
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("avg_pool2d kernel: no " + x.dtype() + " version");
        }
    }

    /** Adds {@code gradOut / divisor} to every input element of each window. */
    static void avgPool2dBackward(NDArray gradOut, Windows rows, Windows cols, int[] divisors, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = rows.start.length;
        int outW = cols.start.length;
        int width = gradIn.size(3);
        int planeSize = gradIn.size(2) * width;
        Nchw gs = Nchw.of(gradOut);
        int planes = gradOut.size(0) * channels;
        int taps = planeSize + outH * outW;
        switch (gradOut.dtype()) {
            case F32 -> {
                float[] ga = ((CpuStorage) gradOut.storage()).floats();
                float[] ia = ((CpuStorage) gradIn.storage()).floats();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int g0 = gs.plane(plane / channels, plane % channels);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++) {
                                float share = ga[g0 + i * gs.rowStride() + j * gs.colStride()] / divisors[i * outW + j];
                                for (int h = rows.start[i]; h < rows.end[i]; h++) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                        ia[dst + h * width + w] += share;
                                    }
                                }
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] ga = ((CpuStorage) gradOut.storage()).doubles();
                double[] ia = ((CpuStorage) gradIn.storage()).doubles();
                CpuThreads.parallelFor(planes, grain(taps), (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int g0 = gs.plane(plane / channels, plane % channels);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            for (int j = 0; j < outW; j++) {
                                double share = ga[g0 + i * gs.rowStride() + j * gs.colStride()] / divisors[i * outW + j];
                                for (int h = rows.start[i]; h < rows.end[i]; h++) {
                                    for (int w = cols.start[j]; w < cols.end[j]; w++) {
                                        ia[dst + h * width + w] += share;
                                    }
                                }
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("avg_pool2d backward kernel: no " + gradOut.dtype() + " version");
        }
    }
}
