package org.weft.recipes.metrics;

import java.util.List;

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
}
