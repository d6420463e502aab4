package org.weft.tensor.cpu;

import org.weft.tensor.backend.NormKernels;

/** Normalisation, softmax and the fused losses. */
final class CpuNorm implements NormKernels {
}
