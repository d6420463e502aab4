package org.weft.tensor.backend;

/**
 * What a 2-d convolution needs besides its tensors: stride, zero padding and dilation per
 * spatial dimension, and the number of groups the channels are split into.
 */
public record Conv2dParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
}
