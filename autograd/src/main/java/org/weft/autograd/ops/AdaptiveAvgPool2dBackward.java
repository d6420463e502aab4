package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link AdaptiveAvgPool2d}: each output gradient spread evenly over its
 * window. Linear, with adaptive average pooling to the gradient's size as its adjoint and so
 * as its gradient.
 */
final class AdaptiveAvgPool2dBackward extends Function {

    private final Shape inputShape;
    private int[] pooledSize;

    AdaptiveAvgPool2dBackward(Shape inputShape) {
        this.inputShape = inputShape;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        pooledSize = new int[] {in[0].size(2), in[0].size(3)};
        return result(Pooling.adaptiveAvgPool2dBackward(in[0].data(), inputShape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new AdaptiveAvgPool2d(pooledSize).apply(grad));
    }
}
