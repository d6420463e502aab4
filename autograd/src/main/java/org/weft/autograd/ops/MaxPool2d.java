package org.weft.autograd.ops;

import org.weft.autograd.MultiOutputFunction;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/**
 * {@code max_pool2d} on a 4-d input, returning the maxima and their I64 indices (not
 * differentiable). The gradient goes to each window's maximum ({@link MaxPool2dBackward}),
 * chosen by the saved indices.
 */
public final class MaxPool2d extends MultiOutputFunction {

    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;
    private Shape inputShape;

    /** {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? null : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        inputShape = in[0].shape();
        NDArray[] r = Pooling.maxPool2dWithIndices(in[0].data(), kernelSize, stride, padding, dilation, ceilMode);
        Tensor indices = result(r[1]);
        markNonDifferentiable(1);
        saveForBackward(indices);
        return new Tensor[] {result(r[0]), indices};
    }

    @Override
    protected Tensor[] backward(Tensor... gradOutputs) {
        return new Tensor[] {new MaxPool2dBackward(inputShape).apply(gradOutputs[0], saved(0))};
    }
}
