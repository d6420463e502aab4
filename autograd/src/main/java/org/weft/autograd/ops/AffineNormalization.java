package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;

/**
 * A normalisation {@code y = (x - mean) * invstd * weight + bias} as an op of x and of the
 * weight and bias that are present, in that order: what {@link BatchNorm} and
 * {@link LayerNorm} share. Backward calls the fused kernel, or, when a graph of the gradient
 * itself is being recorded, the tensor-op form of {@link NormGradients}, so that second
 * derivatives are exact.
 */
abstract class AffineNormalization extends Function {

    private final boolean hasWeight;
    private final boolean hasBias;
    final double eps;
    /** The statistics the forward normalised by, which the fused backward reuses. */
    NDArray mean;
    NDArray invstd;

    AffineNormalization(boolean hasWeight, boolean hasBias, double eps) {
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.eps = eps;
    }

    /** The forward kernel: the output and the statistics it normalised by; weight and bias may be null. */
    abstract Normalization.Normalized normalize(NDArray x, NDArray weight, NDArray bias);

    /** The fused kernel's gradients of input, weight and bias (null where not needed). */
    abstract Normalization.Gradients fusedGradients(NDArray grad, NDArray x, NDArray weight, boolean needX,
                                                    boolean needW, boolean needB);

    /** The same gradients written with tensor ops, {input, weight, bias}. */
    abstract Tensor[] composedGradients(Tensor grad, Tensor x, Tensor weight, boolean needX, boolean needW,
                                        boolean needB);

    @Override
    protected final Tensor forward(Tensor... in) {
        Tensor weight = hasWeight ? in[1] : null;
        Tensor bias = hasBias ? in[hasWeight ? 2 : 1] : null;
        Normalization.Normalized r = normalize(in[0].data(), dataOf(weight), dataOf(bias));
        mean = r.mean();
        invstd = r.invstd();
        saveForBackward(in[0], weight);
        return result(r.output());
    }

    @Override
    protected final Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor weight = saved(1);
        boolean needX = needsInputGrad(0);
        boolean needW = hasWeight && needsInputGrad(1);
        boolean needB = hasBias && needsInputGrad(hasWeight ? 2 : 1);
        Tensor[] g;
        if (Grad.isEnabled()) { // a graph of the gradient is wanted: build it from tensor ops
            g = composedGradients(grad, x, weight, needX, needW, needB);
        } else {
            Normalization.Gradients r = fusedGradients(grad.data(), x.data(), dataOf(weight), needX, needW, needB);
            g = new Tensor[] {constant(r.input()), constant(r.weight()), constant(r.bias())};
        }
        // In the order of the op's inputs, where weight and bias may be absent.
        if (hasWeight && hasBias) {
            return g;
        }
        if (hasWeight) {
            return grads(g[0], g[1]);
        }
        return hasBias ? grads(g[0], g[2]) : grads(g[0]);
    }

    private static NDArray dataOf(Tensor t) {
        return t == null ? null : t.data();
    }

    private static Tensor constant(NDArray a) {
        return a == null ? null : Tensor.of(a);
    }
}
