package org.weft.tensor.cpu;

import org.weft.tensor.backend.ConvKernels;

/** Convolution, pooling and interpolation, forward and backward. */
final class CpuConv implements ConvKernels {
}
