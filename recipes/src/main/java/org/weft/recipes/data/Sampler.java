package org.weft.recipes.data;

/**
 * The order in which a loader visits a dataset's examples in one epoch: a list of dataset indices, which may
 * repeat an index (sampling with replacement) or leave some out. The list is a pure function of the epoch, so an
 * epoch resumed mid-way visits what an uninterrupted run would have visited.
 */
public interface Sampler {

    /** The dataset indices of epoch {@code epoch} (0-based), in visiting order. */
    int[] indices(int epoch);
}
