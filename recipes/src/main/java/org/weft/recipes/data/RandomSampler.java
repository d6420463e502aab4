package org.weft.recipes.data;

import java.util.SplittableRandom;

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
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, Seeds.random(seed, Seeds.SAMPLER, epoch));
        return order;
    }

    /** Fisher–Yates: every permutation equally likely. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
