package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.AlongDim;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * The values at given positions along one dimension (PyTorch's {@code gather}); the gradient
 * is added back at those positions by {@link ScatterAddAlongDim}, whose gradient is this
 * again, so derivatives of any order pass through.
 */
public final class GatherAlongDim extends Function {

    private final int dim;
    private final NDArray index;
    private Shape inputShape;

    /** {@code index} (I64, not differentiable) has the input's rank. */
    public GatherAlongDim(int dim, NDArray index) {
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(AlongDim.gather(in[0].data(), dim, index));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new ScatterAddAlongDim(inputShape, dim, index).apply(grad));
    }
}
