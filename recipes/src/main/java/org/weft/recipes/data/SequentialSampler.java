package org.weft.recipes.data;

/** Visits examples 0, 1, …, n−1 in order every epoch (PyTorch's {@code SequentialSampler}), as evaluation does. */
public final class SequentialSampler implements Sampler {

    private final int n;

    public SequentialSampler(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("SequentialSampler: the number of examples must be >= 0, got " + n);
        }
        this.n = n;
    }

    @Override
    public int[] indices(int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
