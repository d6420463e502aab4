package org.weft.recipes.metrics;

import java.util.Arrays;

import org.weft.tensor.NDArray;

/**
 * Top-k accuracy of a single-label classifier, accumulated over the batches of an evaluation: the fraction of
 * examples whose true class is among the k highest scores ({@code k = 1} is plain accuracy, the paper's
 * CorrectCount / TotalCount). Scores may be logits or probabilities: only their order matters. Ties are broken
 * towards the lower class index, as {@code argmax} and {@link NDArray#topk} do.
 *
 * <pre>{@code
 * TopKAccuracy acc = new TopKAccuracy(1, 5);
 * for (Batch b : test) acc.add(model.call(x).data(), b.labels());
 * double top1 = acc.accuracy(1), top5 = acc.accuracy(5);
 * }</pre>
 */
public final class TopKAccuracy {

    private final int[] ks;
    private final long[] correct;
    private long count;

    /** An accumulator for the given k's (each at least 1, and at most the number of classes when scores come). */
    public TopKAccuracy(int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("TopKAccuracy: expected at least one k, e.g. new TopKAccuracy(1, 5)");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("TopKAccuracy: k must be at least 1, got " + k);
            }
        }
        this.ks = ks.clone();
        this.correct = new long[ks.length];
    }

    /** The top-k accuracy of one batch: {@code scores} [B, C] floating point, {@code labels} [B] class indices. */
    public static double of(NDArray scores, NDArray labels, int k) {
        TopKAccuracy acc = new TopKAccuracy(k);
        acc.add(scores, labels);
        return acc.accuracy(k);
    }

    /** Adds a batch: {@code scores} [B, C] (logits or probabilities), {@code labels} [B] integer class indices. */
    public void add(NDArray scores, NDArray labels) {
        int classes = MetricInputs.checkScores("top-k accuracy", scores);
        int batch = scores.size(0);
        long[] truth = MetricInputs.classLabels("top-k accuracy", labels, batch, classes);
        int kMax = 0;
        for (int k : ks) {
            if (k > classes) {
                throw new IllegalArgumentException("top-k accuracy: k = " + k + " is larger than the number of"
                        + " classes " + classes);
            }
            kMax = Math.max(kMax, k);
        }
        if (batch == 0) {
            return;
        }
        // One topk for the largest k: its first k columns are the top k for every smaller k (best first).
        long[] top = scores.topk(kMax, 1, true)[1].toLongArray();
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < kMax; j++) {
                if (top[i * kMax + j] == truth[i]) {
                    for (int q = 0; q < ks.length; q++) {
                        if (j < ks[q]) {
                            correct[q]++;
                        }
                    }
                    break;
                }
            }
        }
        count += batch;
    }

    /** The fraction of the examples added so far whose class is in their k highest scores; NaN before any. */
    public double accuracy(int k) {
        for (int q = 0; q < ks.length; q++) {
            if (ks[q] == k) {
                return count == 0 ? Double.NaN : (double) correct[q] / count;
            }
        }
        throw new IllegalArgumentException("top-k accuracy: k = " + k + " was not accumulated; this one counts k in "
                + Arrays.toString(ks));
    }

    /** The number of examples added so far. */
    public long count() {
        return count;
    }
}
