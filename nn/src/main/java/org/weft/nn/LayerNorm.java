package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Normalisation over the last dimensions, as {@code nn.LayerNorm}; {@code weight} and {@code bias} of that shape. */
public class LayerNorm extends Module {

    public final int[] normalizedShape;
    public final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int features) {
        this(new int[] {features}, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return java.util.Arrays.toString(normalizedShape) + ", eps=" + eps;
    }
}
