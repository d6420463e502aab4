package org.weft.nn;

import org.weft.autograd.Tensor;
import org.weft.tensor.DType;

/**
 * Stochastic depth, as torchvision's {@code StochasticDepth(p, "row")}: in training, each
 * sample's whole residual branch is dropped with probability {@code p} and kept ones are
 * scaled by 1/(1-p), so the expected output is unchanged; in eval it is the identity.
 */
public class DropPath extends Module {

    public final double p;

    public DropPath(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("drop path probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        int[] maskShape = new int[x.dim()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = x.size(0);
        double keep = 1 - p;
        Tensor mask = Tensor.bernoulli(Tensor.full(keep, x.dtype(), maskShape));
        if (keep > 0) {
            mask = mask.div(keep);
        }
        return x.mul(mask);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
