package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/**
 * Elementwise maximum or minimum of two broadcast tensors. The gradient goes to the operand
 * that was chosen; on ties it is split equally, half to each, as in PyTorch 1.13. Where an
 * operand is NaN no comparison holds and both get the whole gradient, also as PyTorch.
 */
public final class Extremum extends BroadcastingFunction {

    private final boolean maximum;

    private Extremum(boolean maximum) {
        this.maximum = maximum;
    }

    public static Extremum maximum() {
        return new Extremum(true);
    }

    public static Extremum minimum() {
        return new Extremum(false);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        saveForBackward(in[0], in[1]);
        return result(maximum ? in[0].data().maximum(in[1].data()) : in[0].data().minimum(in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor zero = Tensor.scalar(0, grad.dtype());
        Tensor shared = Tensor.where(a.eq(b), grad.mul(0.5), grad);
        Tensor aLoses = maximum ? a.lt(b) : a.gt(b);
        Tensor bLoses = maximum ? a.gt(b) : a.lt(b);
        return grads(
                needsInputGrad(0) ? toInput(0, Tensor.where(aLoses, zero, shared)) : null,
                needsInputGrad(1) ? toInput(1, Tensor.where(bLoses, zero, shared)) : null);
    }

    @Override
    public String name() {
        return maximum ? "MaximumBackward" : "MinimumBackward";
    }
}
