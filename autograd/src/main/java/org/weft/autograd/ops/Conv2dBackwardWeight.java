package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link Conv2d} w.r.t. its weight, as an op of {@code (gradOut, x)}. It is
 * linear in each argument, and {@code <result, v>} equals {@code <gradOut, conv2d(x, v)>}, so
 * its gradient w.r.t. {@code gradOut} is {@code conv2d(x, v)} and w.r.t. {@code x} is the input
 * gradient of that convolution, {@code Conv2dBackwardInput(gradOut, v)}.
 */
final class Conv2dBackwardWeight extends Function {

    private final Shape weightShape;
    private final Conv2dArgs args;

    Conv2dBackwardWeight(Shape weightShape, Conv2dArgs args) {
        this.weightShape = weightShape;
        this.args = args;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0], in[1]);
        return result(args.backwardWeight(in[0].data(), in[1].data(), weightShape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor gradOut = saved(0);
        Tensor x = saved(1);
        return grads(
                needsInputGrad(0) ? new Conv2d(args).apply(x, grad) : null,
                needsInputGrad(1) ? new Conv2dBackwardInput(x.shape(), args).apply(gradOut, grad) : null);
    }
}
