package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/** {@code adaptive_avg_pool2d} on a 4-d input; its gradient is {@link AdaptiveAvgPool2dBackward}. */
public final class AdaptiveAvgPool2d extends Function {

    private final int[] outputSize;
    private Shape inputShape;

    /** {@code outputSize}: one value for both spatial dimensions or (oH, oW). */
    public AdaptiveAvgPool2d(int[] outputSize) {
        this.outputSize = outputSize.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(Pooling.adaptiveAvgPool2d(in[0].data(), outputSize));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new AdaptiveAvgPool2dBackward(inputShape).apply(grad));
    }
}
