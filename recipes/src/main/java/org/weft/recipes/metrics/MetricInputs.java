package org.weft.recipes.metrics;

import org.weft.tensor.NDArray;

/** The checks every metric makes on what an evaluation hands it, with PyTorch-style messages. */
final class MetricInputs {

    private MetricInputs() {
    }

    /** Checks that {@code scores} is a [B, C] floating-point array of scores or logits; returns C. */
    static int checkScores(String metric, NDArray scores) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(metric + ": expected scores (logits) of shape [batch, classes], got "
                    + scores.shape());
        }
        if (!scores.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(metric + ": expected floating-point scores (logits), got "
                    + scores.dtype());
        }
        return scores.size(1);
    }

    /**
     * The class index of each example: {@code labels} must be integer class indices of shape [B] (B the
     * batch of {@code scores}), each in [0, classes).
     */
    static long[] classLabels(String metric, NDArray labels, int batch, int classes) {
        if (labels.dim() != 1 || labels.size(0) != batch) {
            throw new IllegalArgumentException(metric + ": expected labels of shape [" + batch
                    + "] (one class index per row of the scores), got " + labels.shape());
        }
        if (labels.dtype().isFloatingPoint() || labels.dtype() == org.weft.tensor.DType.BOOL) {
            throw new IllegalArgumentException(metric + ": expected integer class indices (I64) as labels, got "
                    + labels.dtype());
        }
        long[] out = labels.toLongArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0 || out[i] >= classes) {
                throw new IllegalArgumentException(metric + ": label " + out[i] + " of example " + i
                        + " is out of range for " + classes + " classes (expected 0.." + (classes - 1) + ")");
            }
        }
        return out;
    }

    /** The multi-hot labels, row-major [B, K]: {@code labels} must have the scores' shape and hold only 0 and 1. */
    static boolean[] multiHot(String metric, NDArray labels, NDArray scores) {
        if (!labels.shape().equals(scores.shape())) {
            throw new IllegalArgumentException(metric + ": expected multi-hot labels of the scores' shape "
                    + scores.shape() + ", got " + labels.shape());
        }
        double[] v = labels.toDoubleArray();
        boolean[] out = new boolean[v.length];
        int k = scores.size(1);
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                throw new IllegalArgumentException(metric + ": multi-hot labels must be 0 or 1, got " + v[i]
                        + " at [" + i / k + ", " + i % k + "]");
            }
            out[i] = v[i] == 1;
        }
        return out;
    }
}
