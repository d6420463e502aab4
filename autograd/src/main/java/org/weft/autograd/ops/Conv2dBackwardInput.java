package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link Conv2d} w.r.t. its input, as an op of {@code (gradOut, weight)}: a
 * transposed convolution. It is linear in each argument, and {@code <result, v>} equals
 * {@code <gradOut, conv2d(v, weight)>}, so its gradient w.r.t. {@code gradOut} is
 * {@code conv2d(v, weight)} and w.r.t. {@code weight} is the weight gradient of that
 * convolution, {@code Conv2dBackwardWeight(gradOut, v)}.
 */
final class Conv2dBackwardInput extends Function {

    private final Shape inputShape;
    private final Conv2dArgs args;

    Conv2dBackwardInput(Shape inputShape, Conv2dArgs args) {
        this.inputShape = inputShape;
        this.args = args;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0], in[1]);
        return result(args.backwardInput(in[0].data(), in[1].data(), inputShape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor gradOut = saved(0);
        Tensor weight = saved(1);
        return grads(
                needsInputGrad(0) ? new Conv2d(args).apply(grad, weight) : null,
                needsInputGrad(1) ? new Conv2dBackwardWeight(weight.shape(), args).apply(gradOut, grad) : null);
    }
}
