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
 * range per axis, computed once, so the inner loops carry no bounds tests. F32 and F64 are
 * the same code over float[] and double[].
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
     * Fills {@code cols} ({@code [s.patch, s.pixels]}, row-major) from the group's input planes,
     * which start at {@code base} and are walked with {@code x}'s strides.
     */
    static void im2col(float[] x, int base, Nchw xs, ConvShape s, float[] cols) {
        int outW = s.outW;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * xs.channelStride();
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = firstInside(shiftH, s.p.strideH(), s.outH);
                int yHi = Math.max(yLo, endInside(shiftH, s.p.strideH(), s.height, s.outH));
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = Math.max(xLo, endInside(shiftW, s.p.strideW(), s.width, outW));
                    int row = ((c * s.kernelH + ki) * s.kernelW + kj) * s.pixels;
                    Arrays.fill(cols, row, row + yLo * outW, 0f);
                    for (int oy = yLo; oy < yHi; oy++) {
                        int dst = row + oy * outW;
                        int src = plane + (oy * s.p.strideH() + shiftH) * xs.rowStride();
                        Arrays.fill(cols, dst, dst + xLo, 0f);
                        for (int ox = xLo; ox < xHi; ox++) {
                            cols[dst + ox] = x[src + (ox * s.p.strideW() + shiftW) * xs.colStride()];
                        }
                        Arrays.fill(cols, dst + xHi, dst + outW, 0f);
                    }
                    Arrays.fill(cols, row + yHi * outW, row + s.pixels, 0f);
                }
            }
        }
    }

    /**
     * Adds every entry of {@code cols} to the input element it was unfolded from, in the
     * contiguous group planes {@code [s.groupIn, s.height, s.width]} at {@code base}.
     */
    static void col2im(float[] cols, ConvShape s, float[] gradIn, int base) {
        int outW = s.outW;
        int planeSize = s.height * s.width;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * planeSize;
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = firstInside(shiftH, s.p.strideH(), s.outH);
                int yHi = endInside(shiftH, s.p.strideH(), s.height, s.outH);
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = endInside(shiftW, s.p.strideW(), s.width, outW);
                    int row = ((c * s.kernelH + ki) * s.kernelW + kj) * s.pixels;
                    for (int oy = yLo; oy < yHi; oy++) {
                        int src = row + oy * outW;
                        int dst = plane + (oy * s.p.strideH() + shiftH) * s.width;
                        for (int ox = xLo; ox < xHi; ox++) {
                            gradIn[dst + ox * s.p.strideW() + shiftW] += cols[src + ox];
                        }
                    }
                }
            }
        }
    }

    /** {@link #im2col(float[], int, Nchw, ConvShape, float[])} for F64. */
    static void im2col(double[] x, int base, Nchw xs, ConvShape s, double[] cols) {
        int outW = s.outW;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * xs.channelStride();
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = firstInside(shiftH, s.p.strideH(), s.outH);
                int yHi = Math.max(yLo, endInside(shiftH, s.p.strideH(), s.height, s.outH));
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = Math.max(xLo, endInside(shiftW, s.p.strideW(), s.width, outW));
                    int row = ((c * s.kernelH + ki) * s.kernelW + kj) * s.pixels;
                    Arrays.fill(cols, row, row + yLo * outW, 0d);
                    for (int oy = yLo; oy < yHi; oy++) {
                        int dst = row + oy * outW;
                        int src = plane + (oy * s.p.strideH() + shiftH) * xs.rowStride();
                        Arrays.fill(cols, dst, dst + xLo, 0d);
                        for (int ox = xLo; ox < xHi; ox++) {
                            cols[dst + ox] = x[src + (ox * s.p.strideW() + shiftW) * xs.colStride()];
                        }
                        Arrays.fill(cols, dst + xHi, dst + outW, 0d);
                    }
                    Arrays.fill(cols, row + yHi * outW, row + s.pixels, 0d);
                }
            }
        }
    }

    /** {@link #col2im(float[], ConvShape, float[], int)} for F64. */
    static void col2im(double[] cols, ConvShape s, double[] gradIn, int base) {
        int outW = s.outW;
        int planeSize = s.height * s.width;
        for (int c = 0; c < s.groupIn; c++) {
            int plane = base + c * planeSize;
            for (int ki = 0; ki < s.kernelH; ki++) {
                int shiftH = ki * s.p.dilationH() - s.p.padH();
                int yLo = firstInside(shiftH, s.p.strideH(), s.outH);
                int yHi = endInside(shiftH, s.p.strideH(), s.height, s.outH);
                for (int kj = 0; kj < s.kernelW; kj++) {
                    int shiftW = kj * s.p.dilationW() - s.p.padW();
                    int xLo = firstInside(shiftW, s.p.strideW(), outW);
                    int xHi = endInside(shiftW, s.p.strideW(), s.width, outW);
                    int row = ((c * s.kernelH + ki) * s.kernelW + kj) * s.pixels;
                    for (int oy = yLo; oy < yHi; oy++) {
                        int src = row + oy * outW;
                        int dst = plane + (oy * s.p.strideH() + shiftH) * s.width;
                        for (int ox = xLo; ox < xHi; ox++) {
                            gradIn[dst + ox * s.p.strideW() + shiftW] += cols[src + ox];
                        }
                    }
                }
            }
        }
    }
}
