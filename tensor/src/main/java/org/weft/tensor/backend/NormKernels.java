package org.weft.tensor.backend;

/** Normalisation, softmax and the fused losses. */
public interface NormKernels {
}
