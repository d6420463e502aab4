package org.weft.tensor.cpu;

import org.weft.tensor.backend.RandomKernels;

/** Random numbers from the counter-based generator. */
final class CpuRandom implements RandomKernels {
}
