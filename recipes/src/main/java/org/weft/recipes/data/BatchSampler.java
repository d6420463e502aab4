package org.weft.recipes.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one epoch's examples are grouped into batches: a list of batches, each a list of dataset indices. Like a
 * {@link Sampler}, it is a pure function of the epoch.
 */
public interface BatchSampler {

    /** The batches of epoch {@code epoch} (0-based), in order. */
    List<int[]> batches(int epoch);

    /**
     * Cuts the indices of {@code sampler} into consecutive batches of {@code batchSize} (PyTorch's
     * {@code BatchSampler}); the last batch is shorter when the indices do not divide evenly, or left out when
     * {@code dropLast}.
     */
    static BatchSampler of(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("BatchSampler: batchSize must be >= 1, got " + batchSize);
        }
        return epoch -> {
            int[] indices = sampler.indices(epoch);
            int full = indices.length / batchSize;
            boolean partial = !dropLast && indices.length % batchSize != 0;
            List<int[]> batches = new ArrayList<>(full + (partial ? 1 : 0));
            for (int b = 0; b < full; b++) {
                batches.add(Arrays.copyOfRange(indices, b * batchSize, (b + 1) * batchSize));
            }
            if (partial) {
                batches.add(Arrays.copyOfRange(indices, full * batchSize, indices.length));
            }
            return batches;
        };
    }
}
