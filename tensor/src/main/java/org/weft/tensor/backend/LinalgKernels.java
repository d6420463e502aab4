package org.weft.tensor.backend;

/** Matrix products: matmul (batched, broadcast), and what builds on it. */
public interface LinalgKernels {
}
