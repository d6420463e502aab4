package org.weft.recipes.metrics;

import java.util.Arrays;

import org.weft.tensor.NDArray;

/**
 * Top-N recall and top-N accuracy of a multi-label (attribute) classifier, accumulated over the batches of an
 * evaluation, as the DeepFashion attribute benchmark computes them.
 *
 * <p>Paper 000 (section 3) uses "TopN recall" and "TopN accuracy" for its multi-label tasks and defines recall as
 * TP / (TP + FN), "the fraction of the samples whose truth is 1 that are predicted correctly"; its formulas were
 * lost in extraction and it names no implementation. <b>Reconstructed:</b> we take the DeepFashion attribute
 * benchmark's convention as implemented in mmfashion's {@code AttrCalculator} (the public PyTorch code for that
 * benchmark): its recall is TP / (TP + FN) per attribute, and its
 * accuracy is high when everything is predicted 0, the very weakness the paper gives for leading with recall.
 * Precisely:
 * <ul>
 *   <li>For each image, the N labels with the highest scores are <em>predicted</em> (1), all others not (0).
 *       Only the order of the scores matters (logits or sigmoid probabilities give the same result); exact ties
 *       go to the lower label index (mmfashion's reversed argsort sends them to the higher one).
 *   <li>For each label a, over all images: TP_a (true and predicted), FN_a (true, not predicted) and TN_a
 *       (neither).
 *   <li>{@link #recall() top-N recall} = the mean over labels of TP_a / (TP_a + FN_a), over the labels that are
 *       true for at least one image (a macro average: a rare attribute counts as much as a common one).
 *   <li>{@link #accuracy() top-N accuracy} = the mean over all labels of (TP_a + TN_a) / images. With many
 *       labels and few true ones it is close to 1 even for a poor model, which is why the paper leads with
 *       recall.
 * </ul>
 * mmfashion averages the recall only over the 50 labels with the best recall (of DeepFashion's 1000);
 * {@link #recallOfBest(int)} gives that number when a result must be compared with theirs.
 *
 * <p>Two per-image readings of "top-N" are also given, since they are common elsewhere and easy to confuse
 * with the above: {@link #imageRecall()} and {@link #imageHitRate()}.
 */
public final class MultiLabelTopN {

    private final int n;
    private final int labels;
    private final long[] tp;
    private final long[] fn;
    private final long[] tn;
    private long images;
    private long imagesWithTruth;
    private double imageRecallSum;
    private long imageHits;

    /** An accumulator for top-{@code n} over {@code labels} labels (attributes). */
    public MultiLabelTopN(int n, int labels) {
        if (labels < 1 || n < 1 || n > labels) {
            throw new IllegalArgumentException("top-N multi-label metrics: expected 1 <= N <= labels, got N = " + n
                    + " and " + labels + " labels");
        }
        this.n = n;
        this.labels = labels;
        this.tp = new long[labels];
        this.fn = new long[labels];
        this.tn = new long[labels];
    }

    /**
     * Adds a batch: {@code scores} [B, K] floating point (logits or probabilities), {@code truth} [B, K]
     * multi-hot (0 or 1, any dtype).
     */
    public void add(NDArray scores, NDArray truth) {
        String metric = "top-" + n + " multi-label metrics";
        int k = MetricInputs.checkScores(metric, scores);
        if (k != labels) {
            throw new IllegalArgumentException(metric + ": expected scores for " + labels + " labels, got "
                    + scores.shape());
        }
        boolean[] positive = MetricInputs.multiHot(metric, truth, scores);
        int batch = scores.size(0);
        if (batch == 0) {
            return;
        }
        long[] top = scores.topk(n, 1, true)[1].toLongArray();
        boolean[] predicted = new boolean[labels];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(predicted, false);
            for (int j = 0; j < n; j++) {
                predicted[(int) top[i * n + j]] = true;
            }
            int row = i * labels;
            int trueCount = 0;
            int hits = 0;
            for (int a = 0; a < labels; a++) {
                boolean t = positive[row + a];
                boolean p = predicted[a];
                if (t && p) {
                    tp[a]++;
                    hits++;
                } else if (t) {
                    fn[a]++;
                } else if (!p) {
                    tn[a]++;
                }
                trueCount += t ? 1 : 0;
            }
            images++;
            if (trueCount > 0) {
                imagesWithTruth++;
                imageRecallSum += (double) hits / trueCount;
                imageHits += hits > 0 ? 1 : 0;
            }
        }
    }

    /** N. */
    public int n() {
        return n;
    }

    /** The number of images added so far. */
    public long images() {
        return images;
    }

    /**
     * Top-N recall (the paper's): the mean over labels true for at least one image of TP_a / (TP_a + FN_a);
     * NaN when no label was ever true.
     */
    public double recall() {
        return recallOfBest(labels);
    }

    /**
     * The mean of the {@code m} best per-label recalls (over labels true for at least one image), as mmfashion
     * reports with m = 50; NaN when no label was ever true.
     */
    public double recallOfBest(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("recallOfBest: m must be at least 1, got " + m);
        }
        double[] r = perLabelRecall();
        double[] defined = new double[labels];
        int count = 0;
        for (double v : r) {
            if (!Double.isNaN(v)) {
                defined[count++] = v;
            }
        }
        if (count == 0) {
            return Double.NaN;
        }
        Arrays.sort(defined, 0, count);
        int take = Math.min(m, count);
        double sum = 0;
        for (int i = count - take; i < count; i++) {
            sum += defined[i];
        }
        return sum / take;
    }

    /** TP_a / (TP_a + FN_a) for each label; NaN for a label no image has. */
    public double[] perLabelRecall() {
        double[] r = new double[labels];
        for (int a = 0; a < labels; a++) {
            long pos = tp[a] + fn[a];
            r[a] = pos == 0 ? Double.NaN : (double) tp[a] / pos;
        }
        return r;
    }

    /** Top-N accuracy (the paper's): the mean over all labels of (TP_a + TN_a) / images; NaN before any image. */
    public double accuracy() {
        if (images == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int a = 0; a < labels; a++) {
            sum += (double) (tp[a] + tn[a]) / images;
        }
        return sum / labels;
    }

    /**
     * Per-image recall (not the paper's): the mean over images with at least one true label of
     * (true labels among the image's N best) / (true labels of the image); NaN when no image has one.
     */
    public double imageRecall() {
        return imagesWithTruth == 0 ? Double.NaN : imageRecallSum / imagesWithTruth;
    }

    /**
     * Per-image hit rate (not the paper's): the fraction of images with at least one true label whose N best
     * labels include at least one true label; NaN when no image has one.
     */
    public double imageHitRate() {
        return imagesWithTruth == 0 ? Double.NaN : (double) imageHits / imagesWithTruth;
    }
}
