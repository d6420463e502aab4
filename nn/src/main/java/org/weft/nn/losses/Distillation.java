package org.weft.nn.losses;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/**
 * The temperature-softmax distillation loss of Hinton et al.: with {@code p = softmax(target / T)}
 * and {@code q = softmax(input / T)} over the class dimension,
 * <pre>
 *   loss = T² · KL(p ‖ q) = T² · Σ_c p_c · (log p_c - log q_c)
 * </pre>
 * per sample, averaged over the batch by default. The T² keeps the gradient's size independent
 * of T (the softened softmax scales it by 1/T²), so the loss can be mixed with a cross-entropy at
 * any temperature with a fixed weight; at T = 1 it is plain KL.
 *
 * <p>The target's logits are differentiable too: detach them to hold a teacher fixed. In paper
 * 002's step 2, {@code KL(p4 ‖ p3)} is {@code loss(input = S3's logits, target = S4's logits)}.
 */
public final class Distillation {

    static final String OP = "kl_distillation";

    private Distillation() {
    }

    /**
     * The loss of {@code input} logits against {@code target} logits (same shape and dtype:
     * {@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]}, classes in dimension 1, or 0 for one
     * sample) at {@code temperature} > 0; {@code reduction} as {@link KlDivergence}: "batchmean"
     * is the divergence per sample of a batch (for a single sample {@code [C]} it divides by C,
     * as PyTorch's; use "sum" there).
     */
    public static Tensor loss(Tensor input, Tensor target, double temperature, String reduction) {
        Reduction.of(reduction, true);
        Checks.floating(OP, "input", input);
        Checks.sameShape(OP, "target", target, "input", input);
        if (input.dim() == 0) {
            throw new IllegalArgumentException(OP + ": expected logits of 1 or more dimensions, got a 0-d tensor");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(OP + ": temperature must be positive and finite, got " + temperature);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor logQ = Functional.logSoftmax(input.div(temperature), classDim);
        // The target as log-probabilities: p · (log p - log q) with p = exp(log p) is finite even
        // where p underflows to 0, which p · log p computed from p is not.
        Tensor logP = Functional.logSoftmax(target.div(temperature), classDim);
        return KlDivergence.loss(logQ, logP, reduction, true).mul(temperature * temperature);
    }
}
