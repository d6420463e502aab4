package org.weft.recipes.data;

/**
 * Visits every example once per epoch in a shuffled order (PyTorch's {@code RandomSampler} without replacement).
 * The permutation of epoch e is drawn from a generator seeded by (seed, e), so it is new each epoch and the same
 * on every run with that seed.
 */
public final class RandomSampler implements Sampler {

    private final int n;
    private final long seed;

    public RandomSampler(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("RandomSampler: the number of examples must be >= 0, got " + n);
        }
        this.n = n;
        this.seed = seed;
    }

    @Override
    public int[] indices(int epoch) {
        return Permutations.shuffled(n, Seeds.random(seed, Seeds.SAMPLER, epoch));
    }
}
