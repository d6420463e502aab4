package org.weft.nn.losses;

import org.weft.autograd.Tensor;

/**
 * The Kullback-Leibler divergence of a target distribution from a predicted one, as PyTorch's
 * {@code kl_div(input, target)}: the input holds log-probabilities log q, the target
 * probabilities p (or log p with {@code logTarget}), and each element contributes
 * {@code p · (log p - log q)}, with 0 · log 0 = 0. Summed over a distribution's elements that is
 * KL(p ‖ q); reduction "batchmean" averages it over the batch, which is the divergence per
 * sample ("mean" divides by every element instead, as PyTorch does, warning that it is rarely
 * what is meant).
 */
public final class KlDivergence {

    static final String OP = "kl_div";

    private KlDivergence() {
    }

    /**
     * The pointwise divergence terms of {@code target} from {@code input} (broadcast together),
     * reduced by "none", "sum", "mean" or "batchmean" (the sum divided by the input's first size).
     */
    public static Tensor loss(Tensor input, Tensor target, String reduction, boolean logTarget) {
        Reduction r = Reduction.of(reduction, true);
        Checks.floating(OP, "input", input);
        Checks.broadcastable(OP, "input", input, "target", target);
        Tensor terms;
        if (logTarget) {
            terms = target.exp().mul(target.sub(input));
        } else {
            terms = xlogx(target).sub(target.mul(input));
        }
        // "batchmean" divides by the input's batch size, as PyTorch's, whatever the broadcast shape.
        return r.apply(terms, input.dim() == 0 ? 1 : input.size(0));
    }

    /**
     * {@code p · log p} with the limit 0 at p = 0. The logarithm reads 1 where p = 0, so neither
     * the value nor the gradient there is the 0 · (-inf) = NaN that a plain product gives. (At
     * p = 0 the derivative log p + 1 has no finite value: PyTorch returns NaN, this 0; both say
     * the same for every p > 0.)
     */
    static Tensor xlogx(Tensor p) {
        Tensor safe = Tensor.where(p.eq(0.0), p.onesLike(), p);
        return p.mul(safe.log());
    }
}
