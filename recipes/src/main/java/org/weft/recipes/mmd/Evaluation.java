package org.weft.recipes.mmd;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.metrics.MultiLabelTopN;
import org.weft.tensor.NDArray;

/**
 * Scores one head of a {@link TransferModel} on an evaluation set, in evaluation mode and without gradients:
 * the confusion matrix of a single-label task, or the top-N recall and accuracy of a multi-label one (the paper's
 * "TopN recall" and "TopN accuracy", as {@link MultiLabelTopN} reconstructs them).
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

    /**
     * The top-N recall and accuracy ({@link MultiLabelTopN}) of a multi-label head for each of {@code ns} that is at
     * most the number of labels, in one pass over the data.
     */
    static List<MultiLabelTopN> topN(TransferModel model, Head head, DataLoader data, int... ns) {
        int labels = data.dataset().classes().size();
        List<MultiLabelTopN> out = new ArrayList<>();
        for (int n : ns) {
            if (n <= labels) {
                out.add(new MultiLabelTopN(n, labels));
            }
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var noGrad = Grad.disabled()) {
            Iterator<Batch> batches = data.epoch(0, 0);
            while (batches.hasNext()) {
                Batch b = batches.next();
                NDArray scores = logits(model, head, b.images()).data();
                for (MultiLabelTopN top : out) {
                    top.add(scores, b.labels());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }
}
