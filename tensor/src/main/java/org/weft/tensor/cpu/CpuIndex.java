package org.weft.tensor.cpu;

import org.weft.tensor.backend.IndexKernels;

/** Joining, splitting, padding, reordering and indexing arrays. */
final class CpuIndex implements IndexKernels {
}
