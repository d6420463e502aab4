package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;

/**
 * The sums of a 2-d convolution and of its two gradients written as plain nested loops over
 * every (output element, kernel tap) pair, in double precision: the reference the im2col +
 * matrix-product kernels of {@link CpuConv2d} are tested against. Results are row-major
 * double arrays.
 */
final class Conv2dReference {

    private Conv2dReference() {
    }

    /** {@code out[n, o, oy, ox] = bias[o] + sum x[n, c, iy, ix] * w[o, c - first, ki, kj]}. */
    static double[] forward(NDArray x, NDArray w, NDArray bias, Conv2dParams p, int outH, int outW) {
        int[] xd = x.dims();
        int[] wd = w.dims();
        double[] out = new double[xd[0] * wd[0] * outH * outW];
        forEachTap(xd, wd, p, outH, outW, (n, o, oy, ox, c, ki, kj, iy, ix) -> {
            int at = ((n * wd[0] + o) * outH + oy) * outW + ox;
            out[at] += x.getDouble(n, c, iy, ix) * w.getDouble(o, c % wd[1], ki, kj);
        });
        if (bias != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] += bias.getDouble(i / (outH * outW) % wd[0]);
            }
        }
        return out;
    }

    /** Each tap's product sends {@code gradOut * w} back to the input element it read. */
    static double[] backwardInput(NDArray gradOut, NDArray w, Conv2dParams p, int[] inputDims) {
        int[] wd = w.dims();
        int[] gd = gradOut.dims();
        double[] gx = new double[inputDims[0] * inputDims[1] * inputDims[2] * inputDims[3]];
        forEachTap(inputDims, wd, p, gd[2], gd[3], (n, o, oy, ox, c, ki, kj, iy, ix) -> {
            int at = ((n * inputDims[1] + c) * inputDims[2] + iy) * inputDims[3] + ix;
            gx[at] += gradOut.getDouble(n, o, oy, ox) * w.getDouble(o, c % wd[1], ki, kj);
        });
        return gx;
    }

    /** Each tap's product sends {@code gradOut * x} to the weight element it used. */
    static double[] backwardWeight(NDArray gradOut, NDArray x, Conv2dParams p, int[] weightDims) {
        int[] gd = gradOut.dims();
        double[] gw = new double[weightDims[0] * weightDims[1] * weightDims[2] * weightDims[3]];
        forEachTap(x.dims(), weightDims, p, gd[2], gd[3], (n, o, oy, ox, c, ki, kj, iy, ix) -> {
            int at = ((o * weightDims[1] + c % weightDims[1]) * weightDims[2] + ki) * weightDims[3] + kj;
            gw[at] += gradOut.getDouble(n, o, oy, ox) * x.getDouble(n, c, iy, ix);
        });
        return gw;
    }

    private interface Tap {
        void run(int n, int o, int oy, int ox, int c, int ki, int kj, int iy, int ix);
    }

    /** Visits every (output element, input channel of its group, kernel tap) whose input lies inside the image. */
    private static void forEachTap(int[] xd, int[] wd, Conv2dParams p, int outH, int outW, Tap tap) {
        int groupOut = wd[0] / p.groups();
        for (int n = 0; n < xd[0]; n++) {
            for (int o = 0; o < wd[0]; o++) {
                int first = o / groupOut * wd[1];
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        for (int c = first; c < first + wd[1]; c++) {
                            for (int ki = 0; ki < wd[2]; ki++) {
                                int iy = oy * p.strideH() - p.padH() + ki * p.dilationH();
                                for (int kj = 0; kj < wd[3]; kj++) {
                                    int ix = ox * p.strideW() - p.padW() + kj * p.dilationW();
                                    if (iy >= 0 && iy < xd[2] && ix >= 0 && ix < xd[3]) {
                                        tap.run(n, o, oy, ox, c, ki, kj, iy, ix);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
