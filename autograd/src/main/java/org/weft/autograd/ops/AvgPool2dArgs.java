package org.weft.autograd.ops;

import org.weft.tensor.NDArray;
import org.weft.tensor.Pooling;
import org.weft.tensor.Shape;

/** The non-tensor arguments of avg_pool2d, which its forward and its gradient op share. */
record AvgPool2dArgs(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {

    AvgPool2dArgs {
        kernelSize = kernelSize.clone();
        stride = stride == null ? null : stride.clone();
        padding = padding.clone();
    }

    NDArray forward(NDArray x) {
        return Pooling.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    NDArray backward(NDArray gradOut, Shape inputShape) {
        return Pooling.avgPool2dBackward(gradOut, inputShape, kernelSize, stride, padding, ceilMode, countIncludePad,
                divisorOverride);
    }
}
