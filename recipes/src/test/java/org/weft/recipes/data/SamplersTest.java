package org.weft.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The samplers' distributions against their closed forms, with bounds of five standard deviations (a false alarm
 * about once in two million runs), and their shapes.
 */
class SamplersTest {

    /** |observed frequency − p| within five binomial standard deviations of n draws. */
    private static void assertFrequency(double p, int hits, int n, String what) {
        double sd = Math.sqrt(p * (1 - p) / n);
        double observed = (double) hits / n;
        assertTrue(Math.abs(observed - p) <= 5 * sd + 1e-12,
                what + ": frequency " + observed + ", expected " + p + " ± " + 5 * sd);
    }

    @Test
    void sequentialSamplerVisitsInOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, new SequentialSampler(4).indices(7));
        assertEquals(0, new SequentialSampler(0).indices(0).length);
    }

    @Test
    void randomSamplerGivesAUniformPermutationFixedBySeedAndEpoch() {
        RandomSampler s = new RandomSampler(5, 42);
        assertArrayEquals(s.indices(3), new RandomSampler(5, 42).indices(3), "same seed and epoch, same order");
        int[] firstCounts = new int[5];
        int epochs = 5000;
        Set<String> distinct = new HashSet<>();
        for (int e = 0; e < epochs; e++) {
            int[] order = s.indices(e);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Arrays.stream(order).sorted().toArray());
            firstCounts[order[0]]++;
            distinct.add(Arrays.toString(order));
        }
        for (int i = 0; i < 5; i++) {
            assertFrequency(0.2, firstCounts[i], epochs, "example " + i + " first");
        }
        assertEquals(120, distinct.size(), "5000 epochs reach all 5! orders");
        assertFalse(Arrays.equals(new RandomSampler(50, 1).indices(0), new RandomSampler(50, 2).indices(0)));
    }

    @Test
    void weightedSamplingWithReplacementFollowsTheWeights() {
        double[] w = {1, 2, 3, 0, 4};
        int n = 100_000;
        WeightedRandomSampler s = new WeightedRandomSampler(w, n, true, 3);
        int[] drawn = s.indices(0);
        assertEquals(n, drawn.length);
        int[] counts = new int[w.length];
        for (int i : drawn) {
            counts[i]++;
        }
        assertEquals(0, counts[3], "a zero weight is never drawn");
        for (int i = 0; i < w.length; i++) {
            assertFrequency(w[i] / 10, counts[i], n, "index " + i);
        }
        assertArrayEquals(drawn, new WeightedRandomSampler(w, n, true, 3).indices(0));
        assertFalse(Arrays.equals(drawn, s.indices(1)), "each epoch draws anew");
    }

    @Test
    void weightedSamplingWithoutReplacementDrawsSuccessivelyFromTheRest() {
        double[] w = {1, 2, 3, 0, 4};
        double total = 10;
        int epochs = 40_000;
        WeightedRandomSampler s = new WeightedRandomSampler(w, 4, false, 9);
        int[] first = new int[5];
        int[] second = new int[5];
        for (int e = 0; e < epochs; e++) {
            int[] d = s.indices(e);
            assertEquals(4, Arrays.stream(d).distinct().count(), "no repeats");
            assertFalse(Arrays.stream(d).anyMatch(i -> i == 3), "a zero weight is never drawn");
            first[d[0]]++;
            second[d[1]]++;
        }
        for (int j = 0; j < 5; j++) {
            // P(second = j) = Σ_{i≠j} P(first = i) · w_j / (total − w_i).
            double p2 = 0;
            for (int i = 0; i < 5; i++) {
                if (i != j) {
                    p2 += w[i] / total * w[j] / (total - w[i]);
                }
            }
            assertFrequency(w[j] / total, first[j], epochs, "first draw " + j);
            assertFrequency(p2, second[j], epochs, "second draw " + j);
        }
    }

    @Test
    void weightedSamplerRejectsWeightsTorchMultinomialRejects() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {1, -1}, 2, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {0, 0}, 2, true, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new WeightedRandomSampler(new double[] {1, Double.NaN}, 2, true, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new WeightedRandomSampler(new double[] {1, Double.POSITIVE_INFINITY}, 2, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {1, 1}, 0, true, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightedRandomSampler(new double[] {1, 0, 1}, 3, false, 0));
        assertTrue(e.getMessage().contains("3 samples") && e.getMessage().contains("2 examples"), e.getMessage());
    }

    @Test
    void batchSamplerCutsTheOrderIntoBatches() {
        List<int[]> keep = BatchSampler.of(new SequentialSampler(7), 3, false).batches(0);
        assertEquals(3, keep.size());
        assertArrayEquals(new int[] {0, 1, 2}, keep.get(0));
        assertArrayEquals(new int[] {6}, keep.get(2));
        List<int[]> drop = BatchSampler.of(new SequentialSampler(7), 3, true).batches(0);
        assertEquals(2, drop.size());
        assertArrayEquals(new int[] {3, 4, 5}, drop.get(1));
        assertThrows(IllegalArgumentException.class, () -> BatchSampler.of(new SequentialSampler(7), 0, false));
    }

    /** Ten identities; identity i has i + 1 images (so identities 0..2 have fewer than M = 4). */
    private static int[] identities() {
        int[] ids = new int[55];
        int at = 0;
        for (int id = 0; id < 10; id++) {
            for (int j = 0; j <= id; j++) {
                ids[at++] = 100 + id; // labels need not start at 0
            }
        }
        return ids;
    }

    @Test
    void identityBatchesHoldKIdentitiesOfMImagesEach() {
        int[] ids = identities();
        int k = 3;
        int m = 4;
        IdentityBatchSampler s = new IdentityBatchSampler(ids, k, m, 11);
        int[] uses = new int[10];
        int epochs = 3000;
        for (int e = 0; e < epochs; e++) {
            List<int[]> batches = s.batches(e);
            assertEquals(3, batches.size(), "floor(10 identities / K=3) batches");
            Set<Integer> usedThisEpoch = new HashSet<>();
            for (int[] batch : batches) {
                assertEquals(k * m, batch.length);
                for (int g = 0; g < k; g++) {
                    int id = ids[batch[g * m]];
                    assertTrue(usedThisEpoch.add(id), "identity " + id + " used twice in epoch " + e);
                    uses[id - 100]++;
                    Set<Integer> images = new HashSet<>();
                    for (int j = 0; j < m; j++) {
                        assertEquals(id, ids[batch[g * m + j]], "a group of M is one identity");
                        images.add(batch[g * m + j]);
                    }
                    if (id - 100 + 1 >= m) {
                        assertEquals(m, images.size(), "identity " + id + " has enough images for M distinct ones");
                    }
                }
            }
        }
        for (int i = 0; i < 10; i++) {
            assertFrequency(0.9, uses[i], epochs, "identity " + i + " used in an epoch");
        }
        assertArrayEquals(s.batches(5).get(1), new IdentityBatchSampler(ids, k, m, 11).batches(5).get(1));
    }

    @Test
    void anIdentityWithFewerThanMImagesIsDrawnWithReplacement() {
        // Identity 7 has 2 images, identity 8 has 6; K = 2 so both are in every batch.
        int[] ids = {7, 8, 8, 7, 8, 8, 8, 8};
        IdentityBatchSampler s = new IdentityBatchSampler(ids, 2, 4, 0);
        int first = 0;
        int draws = 0;
        for (int e = 0; e < 5000; e++) {
            int[] batch = s.batches(e).get(0);
            for (int x : batch) {
                if (ids[x] == 7) {
                    draws++;
                    first += x == 0 ? 1 : 0;
                }
            }
        }
        assertEquals(5000 * 4, draws);
        assertFrequency(0.5, first, draws, "each of identity 7's two images");
    }

    @Test
    void identitySamplerNeedsKIdentities() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IdentityBatchSampler(new int[] {1, 1, 2}, 3, 2, 0));
        assertTrue(e.getMessage().contains("K=3") && e.getMessage().contains("has 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IdentityBatchSampler(new int[] {1, 2}, 1, 0, 0));
    }
}
