package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link AvgPool2d}: each output gradient spread over its window with the
 * forward's divisor. The map is linear and its adjoint is average pooling itself, which is
 * therefore its gradient.
 */
final class AvgPool2dBackward extends Function {

    private final Shape inputShape;
    private final AvgPool2dArgs args;

    AvgPool2dBackward(Shape inputShape, AvgPool2dArgs args) {
        this.inputShape = inputShape;
        this.args = args;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(args.backward(in[0].data(), inputShape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new AvgPool2d(args).apply(grad));
    }
}
