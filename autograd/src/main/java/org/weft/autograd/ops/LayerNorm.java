package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;

/**
 * Layer norm over the last dimensions of x (those of {@code normalizedShape}), with optional
 * elementwise weight and bias of that shape (the inputs are x, then the weight and the bias
 * that are present). The gradient flows through each slice's mean and variance.
 */
public final class LayerNorm extends Function {

    private final int[] normalizedShape;
    private final boolean hasWeight;
    private final boolean hasBias;
    private final double eps;
    private NDArray mean;
    private NDArray invstd;

    public LayerNorm(int[] normalizedShape, boolean hasWeight, boolean hasBias, double eps) {
        this.normalizedShape = normalizedShape.clone();
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor weight = hasWeight ? in[1] : null;
        Tensor bias = hasBias ? in[hasWeight ? 2 : 1] : null;
        Normalization.Normalized r = Normalization.layerNorm(in[0].data(), normalizedShape,
                weight == null ? null : weight.data(), bias == null ? null : bias.data(), eps);
        mean = r.mean();
        invstd = r.invstd();
        saveForBackward(in[0], weight);
        return result(r.output());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor weight = saved(1);
        boolean needX = needsInputGrad(0);
        boolean needW = hasWeight && needsInputGrad(1);
        boolean needB = hasBias && needsInputGrad(hasWeight ? 2 : 1);
        Tensor[] g;
        if (Grad.isEnabled()) { // a graph of the gradient is wanted: build it from tensor ops
            int lead = x.dim() - normalizedShape.length;
            int[] over = new int[normalizedShape.length];
            for (int i = 0; i < over.length; i++) {
                over[i] = lead + i;
            }
            int[] leading = new int[lead];
            for (int i = 0; i < lead; i++) {
                leading[i] = i;
            }
            g = NormGradients.throughStatistics(grad, x, weight, over, leading, eps, needX, needW, needB);
        } else {
            Normalization.Gradients r = Normalization.layerNormBackward(grad.data(), x.data(), normalizedShape,
                    weight == null ? null : weight.data(), mean, invstd, needX, needW, needB);
            g = NormGradients.of(r);
        }
        return NormGradients.forInputs(g, hasWeight, hasBias);
    }
}
