package org.weft.tensor.backend;

/** Random numbers from the counter-based generator. */
public interface RandomKernels {
}
