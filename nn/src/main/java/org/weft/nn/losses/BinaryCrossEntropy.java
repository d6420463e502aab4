package org.weft.nn.losses;

import org.weft.autograd.Tensor;

/**
 * Binary cross-entropy on logits, PyTorch's {@code binary_cross_entropy_with_logits}: for a
 * logit x and a target y in [0, 1],
 * <pre>
 *   loss = w · [ (1 - y) · x + (1 + (p - 1) · y) · softplus(-x) ]
 * </pre>
 * which is {@code -w · [p · y · log σ(x) + (1 - y) · log(1 - σ(x))]} without computing σ(x).
 * The per-element weight w (the "weight" argument) and the positive-class weight p
 * ("pos_weight", one per class, broadcast along the last dimension) are optional. A p above 1
 * makes a missed positive cost p times a false positive: the cost-sensitive loss of paper 001
 * (p = 5 for seven of its 13 styles).
 *
 * <p>Composed of differentiable ops, so the gradients of x, y, w and p, and their second
 * derivatives, follow from theirs.
 */
public final class BinaryCrossEntropy {

    static final String OP = "binary_cross_entropy_with_logits";

    private BinaryCrossEntropy() {
    }

    /**
     * The loss of {@code logits} for {@code target} (same shape and dtype); {@code weight} must
     * broadcast to the logits' shape and {@code posWeight} too (usually {@code [classes]});
     * either may be null. {@code reduction} is "mean", "sum" or "none".
     */
    public static Tensor withLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight, String reduction) {
        Reduction r = Reduction.of(reduction);
        Checks.floating(OP, "input", logits);
        Checks.sameShape(OP, "target", target, "input", logits);
        if (weight != null) {
            Checks.broadcastsTo(OP, "weight", weight, "input", logits);
        }
        if (posWeight != null) {
            Checks.broadcastsTo(OP, "pos_weight", posWeight, "input", logits);
        }
        Tensor softplusNegX = softplus(logits.neg());
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1.0).mul(target).add(1.0);
        Tensor loss = target.rsub(1.0).mul(logits)
                .add(logWeight == null ? softplusNegX : logWeight.mul(softplusNegX));
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return r.apply(loss);
    }

    /**
     * {@code log(1 + e^z)} without overflow, exact in value and in first and second derivative
     * everywhere. Mathematically it is {@code max(z, 0) + log1p(e^-|z|)}, but that form's kinks
     * give derivative 0 at z = 0 instead of σ(0) = 1/2 (relu and abs both take slope 0 there);
     * writing {@code -|z|} as {@code z - 2·relu(z)} keeps the value and leaves at z = 0 the slope
     * of the z ≤ 0 side, {@code 0 + σ(0)·1}, which is right.
     */
    static Tensor softplus(Tensor z) {
        Tensor positivePart = z.relu();
        return positivePart.add(z.sub(positivePart.mul(2.0)).exp().log1p());
    }
}
