package org.weft.tensor.cpu;

import java.util.Arrays;

/**
 * Unfolds the input patches of a convolution into the columns of a matrix (im2col), and folds
 * such a matrix back, adding overlapping patches together (col2im, the adjoint, used by the
 * gradient w.r.t. the input). Row {@code (c, ki, kj)} of the column matrix holds, for every
 * output pixel {@code (oy, ox)}, the input element {@code (c, oy*strideH - padH + ki*dilationH,
 * ox*strideW - padW + kj*dilationW)}, or zero where that falls in the padding.
 *
 * <p>For each kernel offset the output pixels whose input lies inside the image form one
 * range per axis, computed once, so the inner loops carry no bounds tests. The loops are
 * written once over float[] or double[]; only the moves of a whole row are typed.
 */
final class Im2Col {

    private Im2Col() {
    }

    /** The first output position whose input coordinate {@code o*stride + shift} is not negative. */
    static int firstInside(int shift, int stride, int outSize) {
        return shift >= 0 ? 0 : Math.min(outSize, ceilDiv(-shift, stride));
    }

    /** One past the last output position whose input coordinate {@code o*stride + shift} is below {@code inSize}. */
    static int endInside(int shift, int stride, int inSize, int outSize) {
        return inSize - shift <= 0 ? 0 : Math.min(outSize, ceilDiv(inSize - shift, stride));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Fills the columns of output rows {@code [oy0, oy1)} of the group's input planes, which
     * start at {@code base} and are walked with {@code x}'s strides, as the block at
     * {@code colOff} of a row-major column matrix whose rows are {@code ld} apart. The whole
     * matrix is {@code [s.patch, s.pixels]} with {@code colOff = 0, ld = s.pixels, oy0 = 0,
     * oy1 = s.outH}; unfolding a few output rows at a time keeps the buffer in cache, and
     * several batch items side by side make one matrix product with more columns. {@code x}
     * and {@code cols} are both float[] or both double[].
     */
    static void im2col(Object x, int base, Nchw xs, ConvShape s, Object cols, int colOff, int ld, int oy0, int oy1) {
        int outW = s.outW;
        int step = s.p.strideW() * xs.colStride();
        int blockPixels = (oy1 - oy0) * outW;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * xs.channelStride();
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = clamp(firstInside(shiftH, s.p.strideH(), s.outH), oy0, oy1);
                int yHi = clamp(endInside(shiftH, s.p.strideH(), s.height, s.outH), yLo, oy1);
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = Math.max(xLo, endInside(shiftW, s.p.strideW(), s.width, outW));
                    int row = colOff + ((c * s.kernelH + ki) * s.kernelW + kj) * ld;
                    zero(cols, row, row + (yLo - oy0) * outW);
                    for (int oy = yLo; oy < yHi; oy++) {
                        int dst = row + (oy - oy0) * outW;
                        int src = plane + (oy * s.p.strideH() + shiftH) * xs.rowStride()
                                + (xLo * s.p.strideW() + shiftW) * xs.colStride();
                        zero(cols, dst, dst + xLo);
                        if (xHi > xLo) { // an empty run's source position may lie before the array
                            CpuCopy.copyRow(x, src, step, cols, dst + xLo, 1, xHi - xLo);
                        }
                        zero(cols, dst + xHi, dst + outW);
                    }
                    zero(cols, row + (yHi - oy0) * outW, row + blockPixels);
                }
            }
        }
    }

    /**
     * Adds every entry of the columns of output rows {@code [oy0, oy1)}, held as in
     * {@link #im2col}, to the input element it was unfolded from, in the contiguous group
     * planes {@code [s.groupIn, s.height, s.width]} at {@code base}.
     */
    static void col2im(Object cols, int colOff, int ld, ConvShape s, Object gradIn, int base, int oy0, int oy1) {
        int outW = s.outW;
        int planeSize = s.height * s.width;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * planeSize;
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = Math.max(oy0, firstInside(shiftH, s.p.strideH(), s.outH));
                int yHi = Math.min(oy1, endInside(shiftH, s.p.strideH(), s.height, s.outH));
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = endInside(shiftW, s.p.strideW(), s.width, outW);
                    int row = colOff + ((c * s.kernelH + ki) * s.kernelW + kj) * ld;
                    for (int oy = yLo; oy < yHi; oy++) {
                        int src = row + (oy - oy0) * outW + xLo;
                        int dst = plane + (oy * s.p.strideH() + shiftH) * s.width + xLo * s.p.strideW() + shiftW;
                        addRow(cols, src, gradIn, dst, s.p.strideW(), xHi - xLo);
                    }
                }
            }
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Zeros {@code a[from, to)} of a float[] or double[]. */
    private static void zero(Object a, int from, int to) {
        if (a instanceof float[] f) {
            Arrays.fill(f, from, to, 0f);
        } else {
            Arrays.fill((double[]) a, from, to, 0d);
        }
    }

    /** {@code to[t + i * ts] += from[f + i]} for {@code i < n}, both float[] or both double[]. */
    private static void addRow(Object from, int f, Object to, int t, int ts, int n) {
        if (from instanceof float[] a) {
            float[] d = (float[]) to;
            for (int i = 0; i < n; i++) {
                d[t + i * ts] += a[f + i];
            }
        } else {
            double[] a = (double[]) from;
            double[] d = (double[]) to;
            for (int i = 0; i < n; i++) {
                d[t + i * ts] += a[f + i];
            }
        }
    }
}
