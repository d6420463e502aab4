package org.weft.tensor.backend;

/**
 * The sliding window of a 2-d pooling: kernel size, stride, implicit padding and dilation per
 * spatial dimension. Output sizes are not part of it: kernels read them off the output array,
 * which is how {@code ceil_mode} reaches them.
 */
public record PoolWindow(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW) {
}
