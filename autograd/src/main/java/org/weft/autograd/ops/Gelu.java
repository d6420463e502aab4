package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * The Gaussian error linear unit {@code x Phi(x)}, Phi the standard normal CDF, or with
 * {@code approximate = "tanh"} its tanh approximation. The gradient is one fused pass,
 * {@link GeluBackward}, which is differentiable in turn.
 */
public final class Gelu extends Function {

    private final String approximate;

    /** {@code approximate} is "none" (the erf form) or "tanh", as in PyTorch. */
    public Gelu(String approximate) {
        this.approximate = approximate;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().gelu(approximate));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new GeluBackward(approximate).apply(grad, saved(0)));
    }
}
