package org.weft.autograd.ops;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * {@code cond ? a : b} elementwise, the three broadcast together. Each element's gradient
 * goes to the operand it was taken from; the BOOL condition gets none.
 */
public final class Where extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        saveForBackward(in[0]);
        return result(NDArray.where(in[0].data(), in[1].data(), in[2].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor cond = saved(0);
        Tensor zero = Tensor.scalar(0, grad.dtype());
        return grads(
                null,
                needsInputGrad(1) ? toInput(1, Tensor.where(cond, grad, zero)) : null,
                needsInputGrad(2) ? toInput(2, Tensor.where(cond, zero, grad)) : null);
    }
}
