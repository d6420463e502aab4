package org.weft.nn.losses;

import org.weft.autograd.Tensor;

/**
 * The squared error {@code (x - y)²} per element, reduced, as PyTorch's {@code mse_loss}. Input
 * and target broadcast together (PyTorch warns when their shapes differ; the shape of the
 * unreduced loss is the broadcast one). Both are differentiable.
 */
public final class MeanSquaredError {

    static final String OP = "mse_loss";

    private MeanSquaredError() {
    }

    /** The squared error of {@code input} against {@code target}; {@code reduction} is "mean", "sum" or "none". */
    public static Tensor loss(Tensor input, Tensor target, String reduction) {
        Reduction r = Reduction.of(reduction);
        Checks.floating(OP, "input", input);
        Checks.broadcastable(OP, "input", input, "target", target);
        Tensor diff = input.sub(target);
        return r.apply(diff.mul(diff));
    }
}
