package org.weft.nn.losses;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.random.Generator;

/**
 * The pairwise verification loss of paper 003 (Geng et al. 2016): the base features of two
 * images {@code f1, f2 [P, D]} (P pairs) go through a pairwise-consistent dropout, an
 * element-wise difference, a ReLU and a fully connected layer to two logits, and a 2-way
 * softmax cross-entropy scores "different" (class 0) against "same identity" (class 1):
 * <pre>
 *   logits = relu(r ⊙ f1 - r ⊙ f2) · Wᵀ + bias,   W [2, D],   loss = cross_entropy(logits, same)
 * </pre>
 * Pairwise-consistent dropout draws one mask r (scaled by 1/(1-p)) for both images of a pair,
 * so that the difference compares the same feature dimensions; since the mask multiplies both,
 * {@code r ⊙ f1 - r ⊙ f2 = r ⊙ (f1 - f2)}, which is how it is computed: ordinary dropout of the
 * difference. W and bias are the verification head's (a {@code Linear(D, 2)}); everything is
 * differentiable.
 */
public final class VerificationLoss {

    static final String OP = "verification_loss";

    /** The class of a pair of images of the same identity; 0 is a pair of different identities. */
    public static final long SAME = 1;

    private VerificationLoss() {
    }

    /** The loss without dropout (evaluation, or p = 0). */
    public static Tensor loss(Tensor first, Tensor second, Tensor weight, Tensor bias, Tensor same, String reduction) {
        return loss(first, second, weight, bias, same, 0, false, null, reduction);
    }

    /**
     * The loss of the pairs {@code (first[k], second[k])} for I64 labels {@code same [P]} (1 for
     * the same identity, 0 for different), with pairwise-consistent dropout of probability
     * {@code p} while {@code training} (masks from {@code generator}, the global one if null);
     * {@code bias} may be null; {@code reduction} is "mean", "sum" or "none".
     */
    public static Tensor loss(Tensor first, Tensor second, Tensor weight, Tensor bias, Tensor same, double p,
                              boolean training, Generator generator, String reduction) {
        Reduction.of(reduction);
        checkHead(first, second, weight, bias);
        if (same == null) {
            throw new NullPointerException(OP + ": same is null");
        }
        if (same.dtype() != DType.I64 || same.dim() != 1 || same.size(0) != first.size(0)) {
            throw new IllegalArgumentException(OP + ": expected I64 labels of shape [" + first.size(0)
                    + "] (1 = same identity, 0 = different), got " + same.dtype() + " " + same.shape());
        }
        Tensor logits = logits(first, second, weight, bias, p, training, generator);
        return Functional.crossEntropy(logits, same, null, -100, reduction, 0);
    }

    /** The two logits (different, same) of each pair, {@code [P, 2]}; see the class comment. */
    public static Tensor logits(Tensor first, Tensor second, Tensor weight, Tensor bias, double p, boolean training,
                                Generator generator) {
        checkHead(first, second, weight, bias);
        Tensor difference = Functional.dropout(first.sub(second), p, training, generator);
        return difference.relu().linear(weight, bias);
    }

    private static void checkHead(Tensor first, Tensor second, Tensor weight, Tensor bias) {
        Checks.floating(OP, "first", first);
        Checks.sameShape(OP, "second", second, "first", first);
        if (first.dim() != 2) {
            throw new IllegalArgumentException(OP + ": expected features of shape [pairs, D], got " + first.shape());
        }
        int features = first.size(1);
        Checks.sameDtype(OP, "weight", weight, "features", first);
        if (weight.dim() != 2 || weight.size(0) != 2 || weight.size(1) != features) {
            throw new IllegalArgumentException(OP + ": expected weight of shape [2, " + features + "], got "
                    + weight.shape());
        }
        if (bias != null) {
            Checks.sameDtype(OP, "bias", bias, "features", first);
            if (bias.dim() != 1 || bias.size(0) != 2) {
                throw new IllegalArgumentException(OP + ": expected bias of shape [2], got " + bias.shape());
            }
        }
    }
}
