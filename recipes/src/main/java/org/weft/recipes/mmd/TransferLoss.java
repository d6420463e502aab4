package org.weft.recipes.mmd;

import org.weft.autograd.Tensor;
import org.weft.nn.losses.Losses;
import org.weft.nn.losses.Mmd;
import org.weft.recipes.data.Batch;
import org.weft.tensor.DType;

/**
 * Paper 000's objective on one source batch and one target batch,
 * <pre>
 *   L = Ls + Lt + λw·Lw + λr·LMMD
 * </pre>
 * with the terms a setting leaves out dropped: Ls and Lt are the classification losses of the source head on
 * the source batch and the target head on the target batch; LMMD is the MMD² between the pooled features of the
 * source batch (source branch) and the target batch (target branch); Lw is the model's weight constraint.
 */
public final class TransferLoss {

    /** The total and each term (null where the setting has none), all still in the graph. */
    public record Parts(Tensor total, Tensor source, Tensor target, Tensor constraint, Tensor mmd) {
    }

    private final double lambdaW;
    private final double lambdaR;
    private final boolean useMmd;
    private final boolean useConstraint;
    private final Mmd.Estimator estimator;
    private final Mmd.Kernels kernels;

    public TransferLoss(double lambdaW, double lambdaR, boolean useMmd, boolean useConstraint, Mmd.Estimator estimator,
                        Mmd.Kernels kernels) {
        this.lambdaW = lambdaW;
        this.lambdaR = lambdaR;
        this.useMmd = useMmd;
        this.useConstraint = useConstraint;
        this.estimator = estimator;
        this.kernels = kernels;
    }

    /** The loss of {@code model} on a source and a target batch. */
    public Parts compute(TransferModel model, Batch source, Batch target) {
        Tensor sourcePooled = model.sourceFeatures(Tensor.of(source.images())).pooled();
        Tensor targetPooled = model.targetFeatures(Tensor.of(target.images())).pooled();
        Tensor ls = classification(model.sourceLogits(sourcePooled), source.labels());
        Tensor lt = classification(model.targetLogits(targetPooled), target.labels());
        Tensor total = ls.add(lt);
        Tensor lw = null;
        if (useConstraint) {
            if (model.constraint() == null) {
                throw new IllegalStateException("the loss has a weight-constraint term but the model has no constraint");
            }
            lw = model.constraint().compute();
            total = total.add(lw.mul(lambdaW));
        }
        Tensor mmd = null;
        if (useMmd) {
            mmd = Losses.mmd(sourcePooled, targetPooled, estimator, kernels);
            total = total.add(mmd.mul(lambdaR));
        }
        return new Parts(total, ls, lt, lw, mmd);
    }

    /**
     * Cross-entropy for class indices (I64 {@code [B]}); for multi-hot labels (F32 {@code [B, K]}) the sum over
     * labels of the binary cross-entropy, averaged over the batch.
     */
    public static Tensor classification(Tensor logits, org.weft.tensor.NDArray labels) {
        if (labels.dtype() == DType.I64) {
            return Losses.crossEntropy(logits, Tensor.of(labels));
        }
        Tensor summed = Losses.binaryCrossEntropyWithLogits(logits, Tensor.of(labels), null, null, "sum");
        return summed.div((double) logits.size(0));
    }
}
