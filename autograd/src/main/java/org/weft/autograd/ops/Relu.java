package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code max(x, 0)}. The gradient passes where the output is positive; like PyTorch, which
 * tests the saved output against zero, it is zero at x = 0 and passes at NaN.
 */
public final class Relu extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().relu());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new ThresholdBackward(0).apply(grad, saved(0)));
    }
}
