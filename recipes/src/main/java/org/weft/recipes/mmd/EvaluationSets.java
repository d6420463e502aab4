package org.weft.recipes.mmd;

import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.recipes.data.DataLoader;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.metrics.MultiLabelTopN;

/**
 * The test data of one training and what it reports: {@code accuracy_source} for a model with a source head,
 * {@code accuracy_target} for one with a target head (for a multi-label task, the paper's {@code top3_recall_*},
 * {@code top3_accuracy_*}, {@code top5_recall_*} and {@code top5_accuracy_*} instead, as {@link MultiLabelTopN}
 * defines them; a top-N that does not fit the number of labels is left out). Either loader may be null when its domain is not evaluated. Keeps the last
 * target confusion matrix for the report.
 */
final class EvaluationSets {

    private final DataLoader sourceTest;
    private final DataLoader targetTest;
    private ConfusionMatrix lastTargetConfusion;

    EvaluationSets(DataLoader sourceTest, DataLoader targetTest) {
        this.sourceTest = sourceTest;
        this.targetTest = targetTest;
    }

    Map<String, Double> evaluate(TransferModel model) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (model.hasTarget() && targetTest != null) {
            score(model, Evaluation.Head.TARGET, targetTest, "target", metrics);
        }
        if (model.hasSource() && sourceTest != null) {
            score(model, Evaluation.Head.SOURCE, sourceTest, "source", metrics);
        }
        return metrics;
    }

    /** The target confusion matrix of the last {@link #evaluate}; null before one, or for a multi-label target. */
    ConfusionMatrix lastTargetConfusion() {
        return lastTargetConfusion;
    }

    private void score(TransferModel model, Evaluation.Head head, DataLoader data, String domain,
                       Map<String, Double> metrics) {
        if (data.dataset().isMultiLabel()) {
            for (MultiLabelTopN top : Evaluation.topN(model, head, data, 3, 5)) {
                metrics.put("top" + top.n() + "_recall_" + domain, top.recall());
                metrics.put("top" + top.n() + "_accuracy_" + domain, top.accuracy());
            }
            return;
        }
        ConfusionMatrix matrix = Evaluation.confusion(model, head, data, data.dataset().classes());
        metrics.put("accuracy_" + domain, matrix.accuracy());
        if (head == Evaluation.Head.TARGET) {
            lastTargetConfusion = matrix;
        }
    }
}
