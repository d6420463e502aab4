package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Bilinear interpolation of 2-d planes and its gradient. Along each axis every output
 * position blends two neighbouring source positions ({@link Lerp}); the 2-d weight of a
 * source pixel is the product of its row and column weights. The gradient adds each output
 * gradient back to those four pixels with the same weights. Planes are split over the threads.
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
        int outH = rows.index0.length;
        int outW = cols.index0.length;
        Nchw xs = Nchw.of(x);
        int planes = x.size(0) * channels;
        int grain = Math.max(1, (1 << 14) / Math.max(1, outH * outW));
        switch (x.dtype()) {
            case F32 -> {
                float[] xa = ((CpuStorage) x.storage()).floats();
                float[] oa = ((CpuStorage) out.storage()).floats();
                CpuThreads.parallelFor(planes, grain, (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            int r0 = base + rows.index0[i] * xs.rowStride();
                            int r1 = base + rows.index1[i] * xs.rowStride();
                            for (int j = 0; j < outW; j++, o++) {
                                int c0 = cols.index0[j] * xs.colStride();
                                int c1 = cols.index1[j] * xs.colStride();
                                double top = cols.lambda0[j] * xa[r0 + c0] + cols.lambda1[j] * xa[r0 + c1];
                                double bottom = cols.lambda0[j] * xa[r1 + c0] + cols.lambda1[j] * xa[r1 + c1];
                                oa[o] = (float) (rows.lambda0[i] * top + rows.lambda1[i] * bottom);
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] xa = ((CpuStorage) x.storage()).doubles();
                double[] oa = ((CpuStorage) out.storage()).doubles();
                CpuThreads.parallelFor(planes, grain, (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int base = xs.plane(plane / channels, plane % channels);
                        int o = plane * outH * outW;
                        for (int i = 0; i < outH; i++) {
                            int r0 = base + rows.index0[i] * xs.rowStride();
                            int r1 = base + rows.index1[i] * xs.rowStride();
                            for (int j = 0; j < outW; j++, o++) {
                                int c0 = cols.index0[j] * xs.colStride();
                                int c1 = cols.index1[j] * xs.colStride();
                                double top = cols.lambda0[j] * xa[r0 + c0] + cols.lambda1[j] * xa[r0 + c1];
                                double bottom = cols.lambda0[j] * xa[r1 + c0] + cols.lambda1[j] * xa[r1 + c1];
                                oa[o] = rows.lambda0[i] * top + rows.lambda1[i] * bottom;
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("upsample_bilinear2d kernel: no " + x.dtype() + " version");
        }
    }

    static void backward(NDArray gradOut, Lerp rows, Lerp cols, NDArray gradIn) {
        int channels = gradOut.size(1);
        int outH = rows.index0.length;
        int outW = cols.index0.length;
        int width = gradIn.size(3);
        int planeSize = gradIn.size(2) * width;
        Nchw gs = Nchw.of(gradOut);
        int planes = gradOut.size(0) * channels;
        int grain = Math.max(1, (1 << 14) / Math.max(1, outH * outW));
        switch (gradOut.dtype()) {
            case F32 -> {
                float[] ga = ((CpuStorage) gradOut.storage()).floats();
                float[] ia = ((CpuStorage) gradIn.storage()).floats();
                CpuThreads.parallelFor(planes, grain, (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int g0 = gs.plane(plane / channels, plane % channels);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            int r0 = dst + rows.index0[i] * width;
                            int r1 = dst + rows.index1[i] * width;
                            for (int j = 0; j < outW; j++) {
                                double g = ga[g0 + i * gs.rowStride() + j * gs.colStride()];
                                double top = rows.lambda0[i] * g;
                                double bottom = rows.lambda1[i] * g;
                                ia[r0 + cols.index0[j]] += (float) (top * cols.lambda0[j]);
                                ia[r0 + cols.index1[j]] += (float) (top * cols.lambda1[j]);
                                ia[r1 + cols.index0[j]] += (float) (bottom * cols.lambda0[j]);
                                ia[r1 + cols.index1[j]] += (float) (bottom * cols.lambda1[j]);
                            }
                        }
                    }
                });
            }
            case F64 -> {
                double[] ga = ((CpuStorage) gradOut.storage()).doubles();
                double[] ia = ((CpuStorage) gradIn.storage()).doubles();
                CpuThreads.parallelFor(planes, grain, (from, to) -> {
                    for (int plane = from; plane < to; plane++) {
                        int g0 = gs.plane(plane / channels, plane % channels);
                        int dst = plane * planeSize;
                        for (int i = 0; i < outH; i++) {
                            int r0 = dst + rows.index0[i] * width;
                            int r1 = dst + rows.index1[i] * width;
                            for (int j = 0; j < outW; j++) {
                                double g = ga[g0 + i * gs.rowStride() + j * gs.colStride()];
                                double top = rows.lambda0[i] * g;
                                double bottom = rows.lambda1[i] * g;
                                ia[r0 + cols.index0[j]] += top * cols.lambda0[j];
                                ia[r0 + cols.index1[j]] += top * cols.lambda1[j];
                                ia[r1 + cols.index0[j]] += bottom * cols.lambda0[j];
                                ia[r1 + cols.index1[j]] += bottom * cols.lambda1[j];
                            }
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException("upsample_bilinear2d backward kernel: no " + gradOut.dtype()
                    + " version");
        }
    }
}
