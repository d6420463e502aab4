package org.weft.autograd.ops;

import org.weft.tensor.Convolution;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/** The non-tensor arguments of conv2d, which its forward and both gradient ops share. */
record Conv2dArgs(int[] stride, int[] padding, int[] dilation, int groups) {

    Conv2dArgs {
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
    }

    NDArray forward(NDArray x, NDArray weight, NDArray bias) {
        return Convolution.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    NDArray backwardInput(NDArray gradOut, NDArray weight, Shape inputShape) {
        return Convolution.conv2dBackwardInput(gradOut, weight, inputShape, stride, padding, dilation, groups);
    }

    NDArray backwardWeight(NDArray gradOut, NDArray x, Shape weightShape) {
        return Convolution.conv2dBackwardWeight(gradOut, x, weightShape, stride, padding, dilation, groups);
    }
}
