package org.weft.tensor.cpu;

import org.weft.tensor.backend.LinalgKernels;

/** Matrix products: matmul (batched, broadcast), and what builds on it. */
final class CpuLinalg implements LinalgKernels {
}
