package org.weft.autograd.ops;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;

/**
 * Layer norm over the last dimensions of x (those of {@code normalizedShape}), with optional
 * elementwise weight and bias of that shape (the inputs are x, then the weight and the bias
 * that are present). The gradient flows through each slice's mean and variance.
 */
public final class LayerNorm extends AffineNormalization {

    private final int[] normalizedShape;

    public LayerNorm(int[] normalizedShape, boolean hasWeight, boolean hasBias, double eps) {
        super(hasWeight, hasBias, eps);
        this.normalizedShape = normalizedShape.clone();
    }

    @Override
    Normalization.Normalized normalize(NDArray x, NDArray weight, NDArray bias) {
        return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override
    Normalization.Gradients fusedGradients(NDArray grad, NDArray x, NDArray weight, boolean needX, boolean needW,
                                           boolean needB) {
        return Normalization.layerNormBackward(grad, x, normalizedShape, weight, mean, invstd, needX, needW, needB);
    }

    @Override
    Tensor[] composedGradients(Tensor grad, Tensor x, Tensor weight, boolean needX, boolean needW, boolean needB) {
        int lead = x.dim() - normalizedShape.length;
        int[] over = new int[normalizedShape.length];
        for (int i = 0; i < over.length; i++) {
            over[i] = lead + i;
        }
        int[] leading = new int[lead];
        for (int i = 0; i < lead; i++) {
            leading[i] = i;
        }
        return NormGradients.throughStatistics(grad, x, weight, over, leading, eps, needX, needW, needB);
    }
}
