package org.weft.recipes.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws {@code numSamples} indices per epoch, index i with probability proportional to {@code weights[i]}
 * (PyTorch's {@code WeightedRandomSampler}, i.e. {@code torch.multinomial}): with replacement every draw is
 * independent; without replacement each draw picks among the indices not yet drawn, with probabilities
 * renormalised over them. A zero weight means the index is never drawn. The draws of epoch e come from a generator
 * seeded by (seed, e).
 */
public final class WeightedRandomSampler implements Sampler {

    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final long seed;
    /** cumulative[i] = weights[0] + … + weights[i], for drawing with replacement by binary search. */
    private final double[] cumulative;
    /** The last index of positive weight: where a draw that rounds up to the total must land. */
    private final int lastPositive;

    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, long seed) {
        if (numSamples <= 0) {
            throw new IllegalArgumentException(
                    "WeightedRandomSampler: numSamples should be a positive integer, got " + numSamples);
        }
        int positive = 0;
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("WeightedRandomSampler: weights must be finite and >= 0, got "
                        + w + " at index " + i);
            }
            if (w > 0) {
                positive++;
            }
            total += w;
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException("WeightedRandomSampler: the weights of the " + weights.length
                    + " examples must have a positive finite sum, got " + total);
        }
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples
                    + " samples without replacement from " + positive + " examples of positive weight");
        }
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.seed = seed;
        this.cumulative = new double[weights.length];
        double sum = 0;
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
            if (weights[i] > 0) {
                last = i;
            }
        }
        this.lastPositive = last;
    }

    @Override
    public int[] indices(int epoch) {
        SplittableRandom random = Seeds.random(seed, Seeds.SAMPLER, epoch);
        return replacement ? withReplacement(random) : withoutReplacement(random);
    }

    private int[] withReplacement(SplittableRandom random) {
        int[] out = new int[numSamples];
        double total = cumulative[cumulative.length - 1];
        for (int s = 0; s < numSamples; s++) {
            out[s] = firstAbove(random.nextDouble() * total);
        }
        return out;
    }

    /** The first i with cumulative[i] > u; zero-weight indices share their predecessor's sum and are never it. */
    private int firstAbove(double u) {
        int lo = 0;
        int hi = lastPositive;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Efraimidis and Spirakis (2006): give index i the key log(u_i) / w_i with u_i uniform on (0, 1]; the indices
     * in decreasing key order are distributed exactly as successive draws without replacement, so the first
     * numSamples of them are the sample (this is also how torch.multinomial does it, with exponential keys).
     */
    private int[] withoutReplacement(SplittableRandom random) {
        int n = weights.length;
        double[] keys = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            double u = 1.0 - random.nextDouble();
            keys[i] = weights[i] > 0 ? Math.log(u) / weights[i] : Double.NEGATIVE_INFINITY;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
        int[] out = new int[numSamples];
        for (int s = 0; s < numSamples; s++) {
            out[s] = order[s];
        }
        return out;
    }
}
