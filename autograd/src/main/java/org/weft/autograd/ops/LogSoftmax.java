package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Normalization;

/**
 * Log-softmax along one dimension. The gradient is {@code g - softmax(x) * sum(g)} (the sum
 * along the dimension); {@code softmax(x)}, which is {@code exp} of the output, is taken as
 * the {@link Softmax} op of the saved input, so the gradient differentiates again.
 */
public final class LogSoftmax extends Function {

    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(Normalization.logSoftmax(in[0].data(), dim));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor p = new Softmax(dim).apply(saved(0));
        return grads(grad.sub(p.mul(grad.sum(dim, true))));
    }
}
