package org.weft.tensor.backend;

/** Convolution, pooling and interpolation, forward and backward. */
public interface ConvKernels {
}
