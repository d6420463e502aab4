package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/** The same elements in a new shape (a view when the strides allow); the gradient is reshaped back. */
public final class Reshape extends Function {

    private final int[] shape;
    private Shape inputShape;

    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        markView();
        return result(in[0].data().reshape(shape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.reshape(inputShape.dims()));
    }
}
