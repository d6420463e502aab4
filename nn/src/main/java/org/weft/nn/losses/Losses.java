package org.weft.nn.losses;

import java.util.List;
import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.tensor.random.Generator;

/**
 * The losses as static functions named after {@code torch.nn.functional}'s, with PyTorch's
 * defaults ({@code reduction = "mean"}), plus the papers' losses (MMD, weight constraint,
 * distillation, pairwise verification). {@code import static org.weft.nn.losses.Losses.*}
 * reads like PyTorch. Each function is documented where it is defined; this class only
 * gathers them.
 */
public final class Losses {

    private Losses() {
    }

    // ---------------------------------------------------------------- classification (org.weft.autograd.Functional)

    /** {@code cross_entropy} of logits and class indices or probabilities, no weights, mean. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return Functional.crossEntropy(logits, target);
    }

    /** {@code cross_entropy} with class weights (or null), ignored index, reduction and label smoothing. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, String reduction,
                                      double labelSmoothing) {
        return Functional.crossEntropy(logits, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@code nll_loss} of log-probabilities and class indices, no weights, mean. */
    public static Tensor nllLoss(Tensor logProbabilities, Tensor target) {
        return Functional.nllLoss(logProbabilities, target);
    }

    /** {@code nll_loss} with class weights (or null), ignored index and reduction. */
    public static Tensor nllLoss(Tensor logProbabilities, Tensor target, Tensor weight, long ignoreIndex,
                                 String reduction) {
        return Functional.nllLoss(logProbabilities, target, weight, ignoreIndex, reduction);
    }

    /** {@code binary_cross_entropy_with_logits}, unweighted, mean. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return BinaryCrossEntropy.withLogits(logits, target, null, null, "mean");
    }

    /** {@link BinaryCrossEntropy#withLogits}: element weights and positive-class weights may be null. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
                                                      String reduction) {
        return BinaryCrossEntropy.withLogits(logits, target, weight, posWeight, reduction);
    }

    // ---------------------------------------------------------------- regression and divergences

    /** {@code mse_loss}, mean. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return MeanSquaredError.loss(input, target, "mean");
    }

    /** {@link MeanSquaredError#loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        return MeanSquaredError.loss(input, target, reduction);
    }

    /** {@code kl_div} of log-probabilities and probabilities, PyTorch's default "mean" over elements. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return KlDivergence.loss(input, target, "mean", false);
    }

    /** {@link KlDivergence#loss}; "batchmean" is the divergence per sample. */
    public static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        return KlDivergence.loss(input, target, reduction, logTarget);
    }

    /** {@link Distillation#loss} averaged per sample ("batchmean"). */
    public static Tensor klDistillation(Tensor input, Tensor target, double temperature) {
        return Distillation.loss(input, target, temperature, "batchmean");
    }

    /** {@link Distillation#loss}. */
    public static Tensor klDistillation(Tensor input, Tensor target, double temperature, String reduction) {
        return Distillation.loss(input, target, temperature, reduction);
    }

    // ---------------------------------------------------------------- domain adaptation and verification

    /** Paper 000's MMD²: biased, five Gaussian kernels around the joint batch's mean squared distance. */
    public static Tensor mmd(Tensor source, Tensor target) {
        return Mmd.mmd(source, target, Mmd.Estimator.BIASED, Mmd.Kernels.paper());
    }

    /** {@link Mmd#mmd}. */
    public static Tensor mmd(Tensor source, Tensor target, Mmd.Estimator estimator, Mmd.Kernels kernels) {
        return Mmd.mmd(source, target, estimator, kernels);
    }

    /** {@link WeightConstraint#loss}: paper 000's Lw over layer pairs with scalars {@code a, b [layers]}. */
    public static Tensor weightConstraint(List<Tensor> source, List<Tensor> target, Tensor a, Tensor b,
                                          WeightConstraint.Form form) {
        return WeightConstraint.loss(source, target, a, b, form);
    }

    /** {@link VerificationLoss#loss} without dropout. */
    public static Tensor verificationLoss(Tensor first, Tensor second, Tensor weight, Tensor bias, Tensor same,
                                          String reduction) {
        return VerificationLoss.loss(first, second, weight, bias, same, reduction);
    }

    /** {@link VerificationLoss#loss} with pairwise-consistent dropout. */
    public static Tensor verificationLoss(Tensor first, Tensor second, Tensor weight, Tensor bias, Tensor same,
                                          double p, boolean training, Generator generator, String reduction) {
        return VerificationLoss.loss(first, second, weight, bias, same, p, training, generator, reduction);
    }
}
