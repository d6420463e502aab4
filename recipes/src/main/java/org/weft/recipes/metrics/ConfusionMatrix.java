package org.weft.recipes.metrics;

import java.util.List;

import org.weft.tensor.NDArray;

/**
 * Counts of (true class, predicted class) pairs over an evaluation: row = truth, column = prediction.
 * Accuracy is its trace over its total.
 */
public final class ConfusionMatrix {

    private final List<String> classes;
    private final long[][] counts;

    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    /** Counts one example whose class is {@code truth} and which was predicted as {@code predicted}. */
    public void add(int truth, int predicted) {
        if (truth < 0 || truth >= counts.length || predicted < 0 || predicted >= counts.length) {
            throw new IllegalArgumentException("confusion matrix of " + counts.length + " classes: class indices"
                    + " must be in [0, " + counts.length + "), got truth " + truth + " and prediction " + predicted);
        }
        counts[truth][predicted]++;
    }

    /**
     * Counts a batch: each row of {@code scores} [B, C] (logits or probabilities, C = the number of classes) is
     * predicted as its highest-scoring class (the lower index on ties, as {@code argmax}), against
     * {@code labels} [B] integer class indices.
     */
    public void add(NDArray scores, NDArray labels) {
        int c = MetricInputs.checkScores("confusion matrix", scores);
        if (c != counts.length) {
            throw new IllegalArgumentException("confusion matrix of " + counts.length + " classes: expected scores"
                    + " of shape [batch, " + counts.length + "], got " + scores.shape());
        }
        long[] truth = MetricInputs.classLabels("confusion matrix", labels, scores.size(0), c);
        if (truth.length == 0) {
            return;
        }
        long[] predicted = scores.argmax(1, false).toLongArray();
        for (int i = 0; i < truth.length; i++) {
            counts[(int) truth[i]][(int) predicted[i]]++;
        }
    }

    /** The number of classes. */
    public int size() {
        return counts.length;
    }

    /** The number of examples of class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        checkClass(truth);
        checkClass(predicted);
        return counts[truth][predicted];
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c}; NaN when the class had none. */
    public double recall(int c) {
        checkClass(c);
        long row = 0;
        for (long v : counts[c]) {
            row += v;
        }
        return row == 0 ? Double.NaN : (double) counts[c][c] / row;
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c}; NaN when none was. */
    public double precision(int c) {
        checkClass(c);
        long column = 0;
        for (long[] row : counts) {
            column += row[c];
        }
        return column == 0 ? Double.NaN : (double) counts[c][c] / column;
    }

    /** {@link #recall(int)} of every class, in class order. */
    public double[] perClassRecall() {
        double[] r = new double[counts.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = recall(c);
        }
        return r;
    }

    /**
     * The mean of the per-class recalls over the classes that have examples (balanced accuracy,
     * {@code sklearn.metrics.balanced_accuracy_score}); NaN when nothing was counted.
     */
    public double meanClassRecall() {
        double sum = 0;
        int n = 0;
        for (double r : perClassRecall()) {
            if (!Double.isNaN(r)) {
                sum += r;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public List<String> classes() {
        return classes;
    }

    /** A copy of the counts, row = truth, column = prediction. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    /** The fraction of examples on the diagonal; NaN when nothing was counted. */
    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    private void checkClass(int c) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException("confusion matrix of " + counts.length + " classes: class index must"
                    + " be in [0, " + counts.length + "), got " + c);
        }
    }
}
