package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.AlongDim;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * Zeros of a shape with the input added at given positions along one dimension: the gradient
 * of every op that selects values by index (max over a dimension, sort, top-k). Its own
 * gradient reads those positions back ({@link GatherAlongDim}).
 */
public final class ScatterAddAlongDim extends Function {

    private final Shape shape;
    private final int dim;
    private final NDArray index;

    /** {@code index} (I64, not differentiable) has the input's shape; the result has {@code shape}. */
    public ScatterAddAlongDim(Shape shape, int dim, NDArray index) {
        this.shape = shape;
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(AlongDim.scatterAdd(shape, dim, index, in[0].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new GatherAlongDim(dim, index).apply(grad));
    }
}
