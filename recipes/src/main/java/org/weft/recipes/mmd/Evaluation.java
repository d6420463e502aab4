package org.weft.recipes.mmd;

import java.util.Iterator;
import java.util.List;

import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.tensor.NDArray;

/**
 * Scores one head of a {@link TransferModel} on an evaluation set, in evaluation mode and without gradients:
 * the confusion matrix of a single-label task, or the top-k recall of a multi-label one (the share of the true
 * labels that are among an image's k highest scores, the paper's "TopN recall").
 */
final class Evaluation {

    /** Which head to score. */
    enum Head { SOURCE, TARGET }

    private Evaluation() {
    }

    static Tensor logits(TransferModel model, Head head, NDArray images) {
        Tensor x = Tensor.of(images);
        return head == Head.SOURCE ? model.sourceLogits(model.sourceFeatures(x).pooled())
                : model.targetLogits(model.targetFeatures(x).pooled());
    }

    static ConfusionMatrix confusion(TransferModel model, Head head, DataLoader data, List<String> classes) {
        boolean wasTraining = model.isTraining();
        model.eval();
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        try (var noGrad = Grad.disabled()) {
            Iterator<Batch> batches = data.epoch(0, 0);
            while (batches.hasNext()) {
                Batch b = batches.next();
                long[] predicted = logits(model, head, b.images()).data().argmax(1, false).toLongArray();
                long[] truth = b.labels().toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    matrix.add((int) truth[i], (int) predicted[i]);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return matrix;
    }

    /** Σ over images of (true labels among the top k scores) / Σ of true labels. */
    static double topKRecall(TransferModel model, Head head, DataLoader data, int k) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long hits = 0;
        long positives = 0;
        try (var noGrad = Grad.disabled()) {
            Iterator<Batch> batches = data.epoch(0, 0);
            while (batches.hasNext()) {
                Batch b = batches.next();
                float[] scores = logits(model, head, b.images()).data().toFloatArray();
                long[] counts = topKHits(scores, b.labels().toFloatArray(), b.labels().shape().dims()[1], k);
                hits += counts[0];
                positives += counts[1];
            }
        } finally {
            model.train(wasTraining);
        }
        return positives == 0 ? Double.NaN : (double) hits / positives;
    }

    /**
     * For rows of {@code labels} scores and multi-hot truths: {true labels ranked among the row's top k, true
     * labels}.
     */
    static long[] topKHits(float[] scores, float[] truth, int labels, int k) {
        long hits = 0;
        long positives = 0;
        for (int row = 0; row < truth.length; row += labels) {
            for (int j = 0; j < labels; j++) {
                if (truth[row + j] > 0.5f) {
                    positives++;
                    if (rank(scores, row, labels, j) < k) {
                        hits++;
                    }
                }
            }
        }
        return new long[] {hits, positives};
    }

    /** How many of the row's scores beat label j's (ties go to the lower index, as a stable sort ranks them). */
    private static int rank(float[] scores, int row, int labels, int j) {
        float s = scores[row + j];
        int above = 0;
        for (int l = 0; l < labels; l++) {
            float o = scores[row + l];
            if (o > s || (o == s && l < j)) {
                above++;
            }
        }
        return above;
    }
}
