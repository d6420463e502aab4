package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Normalization;

/**
 * Softmax along one dimension. With {@code y} the output, the gradient is
 * {@code y * (g - sum(g * y))} (the sum along the dimension), written with tensor ops on the
 * saved output, so it differentiates again.
 */
public final class Softmax extends Function {

    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(Normalization.softmax(in[0].data(), dim));
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor y = saved(0);
        return grads(y.mul(grad.sub(grad.mul(y).sum(dim, true))));
    }
}
