package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/**
 * {@code relu(a + b)} with broadcasting, the end of a residual block, as one op: the sum is
 * rectified in place, so it costs one array and one pass over memory fewer than {@code add}
 * then {@code relu}. The gradient is the output's where the output is positive (zero at 0,
 * passing at NaN, as {@link Relu}), summed back to each input's shape.
 */
public final class AddRelu extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        Tensor y = result(in[0].data().add(in[1].data()).relu_());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor g = new ThresholdBackward(0).apply(grad, saved(0));
        return grads(
                needsInputGrad(0) ? toInput(0, g) : null,
                needsInputGrad(1) ? toInput(1, g) : null);
    }
}
