package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link MaxPool2d}, as an op of {@code (gradOut, indices)}: each output
 * gradient scattered to its window's maximum. It is linear in {@code gradOut}, and its gradient
 * w.r.t. {@code gradOut} is the adjoint: a gather at the same indices, which name elements of
 * each flattened {@code H * W} plane. The pooled input enters only through the indices, which
 * are piecewise constant in it, so there is no gradient w.r.t. the input.
 */
final class MaxPool2dBackward extends Function {

    private final Shape inputShape;

    MaxPool2dBackward(Shape inputShape) {
        this.inputShape = inputShape;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[1]);
        return result(Pooling.maxPool2dBackward(in[0].data(), in[1].data(), inputShape));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (!needsInputGrad(0)) {
            return grads(null, null);
        }
        Tensor indices = saved(0);
        return grads(grad.flatten(2, 3).gather(2, indices.flatten(2, 3)).reshape(indices.dims()), null);
    }
}
