package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * {@code avg_pool2d} on a 4-d input; its gradient spreads each output gradient over its window
 * ({@link AvgPool2dBackward}).
 */
public final class AvgPool2d extends Function {

    private final AvgPool2dArgs args;
    private Shape inputShape;

    /** {@code stride} null means the kernel size; {@code divisorOverride} null means none. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {
        this(new AvgPool2dArgs(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride));
    }

    AvgPool2d(AvgPool2dArgs args) {
        this.args = args;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(args.forward(in[0].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new AvgPool2dBackward(inputShape, args).apply(grad));
    }
}
