package org.weft.tensor.backend;

/** Joining, splitting, padding, reordering and indexing arrays. */
public interface IndexKernels {
}
