package org.weft.nn;

import org.weft.autograd.Tensor;
import org.weft.tensor.random.Generator;

/** {@code y = x Wᵀ + b}, as {@code nn.Linear}; parameters {@code weight [out, in]} and {@code bias [out]}. */
public class Linear extends Module {

    public final int inFeatures;
    public final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: feature counts must be non-negative, got in=" + inFeatures
                    + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        resetParameters(null);
    }

    /**
     * PyTorch's default: Kaiming uniform with a = √5 on the weight, which works out to
     * U(±1/√in), and the same bound for the bias.
     */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", generator);
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound, generator);
        }
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(" + inFeatures + " -> " + outFeatures + "): expected input with "
                    + "last dimension " + inFeatures + ", got shape " + x.shape());
        }
        return x.linear(weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
