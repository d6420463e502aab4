package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/**
 * The elements of {@code src} at the places max pooling chose, as an op of
 * {@code (src, indices)}: the gradient of {@link MaxPool2dBackward} w.r.t. its incoming
 * gradient. Its own gradient is the scatter again, so derivatives of any order follow.
 */
public final class MaxPool2dGather extends Function {

    private Shape srcShape;

    MaxPool2dGather() {
    }

    @Override
    protected Tensor forward(Tensor... in) {
        srcShape = in[0].shape();
        saveForBackward(in[1]);
        return result(Pooling.maxPool2dGather(in[0].data(), in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(needsInputGrad(0) ? new MaxPool2dBackward(srcShape).apply(grad, saved(0)) : null, null);
    }
}
