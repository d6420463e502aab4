package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/**
 * The gradients of a normalisation {@code y = (x - mean) * invstd * weight + bias}, written
 * with tensor ops. {@link AffineNormalization} uses this form when a graph of the gradient
 * itself is being recorded ({@code createGraph}), so that second derivatives are exact;
 * otherwise it calls the fused kernels, which are tested against this form.
 */
final class NormGradients {

    private NormGradients() {
    }

    /**
     * Gradients when x was normalised by its own mean and biased variance over {@code over}:
     * the statistics are recomputed here with tensor ops so the input's gradient, and its
     * derivatives, include the paths through them. {@code weight} is null or broadcasts
     * against x; {@code paramDims} are the dimensions summed for the weight and bias gradients.
     * Returns {input, weight, bias} gradients, null where not needed.
     */
    static Tensor[] throughStatistics(Tensor g, Tensor x, Tensor weight, int[] over, int[] paramDims, double eps,
                                      boolean needInput, boolean needWeight, boolean needBias) {
        double m = count(x, over);
        Tensor mean = x.sum(over, true).div(m);
        Tensor centred = x.sub(mean);
        Tensor invstd = centred.mul(centred).sum(over, true).div(m).add(eps).rsqrt();
        Tensor xhat = centred.mul(invstd);
        Tensor gy = weight == null ? g : g.mul(weight);
        Tensor dx = null;
        if (needInput) {
            // The two subtracted terms are the paths through the mean and through the variance.
            Tensor viaMean = gy.sum(over, true).div(m);
            Tensor viaVar = xhat.mul(gy.mul(xhat).sum(over, true).div(m));
            dx = invstd.mul(gy.sub(viaMean).sub(viaVar));
        }
        return new Tensor[] {dx, needWeight ? sumOver(g.mul(xhat), paramDims) : null,
                needBias ? sumOver(g, paramDims) : null};
    }

    /** Gradients when the statistics were constants (batch norm in evaluation): the op is affine in x. */
    static Tensor[] withFixedStatistics(Tensor g, Tensor x, Tensor weight, Tensor mean, Tensor invstd,
                                        int[] paramDims, boolean needInput, boolean needWeight, boolean needBias) {
        Tensor gy = weight == null ? g : g.mul(weight);
        Tensor dx = needInput ? gy.mul(invstd) : null;
        Tensor dw = needWeight ? sumOver(g.mul(x.sub(mean).mul(invstd)), paramDims) : null;
        return new Tensor[] {dx, dw, needBias ? sumOver(g, paramDims) : null};
    }

    private static Tensor sumOver(Tensor t, int[] dims) {
        return dims.length == 0 ? t : t.sum(dims, false);
    }

    private static double count(Tensor x, int[] over) {
        double m = 1;
        for (int d : over) {
            m *= x.size(d);
        }
        return m;
    }
}
