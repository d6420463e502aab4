package org.weft.autograd;

/**
 * The neural-network ops as functions of tensors, PyTorch's {@code torch.nn.functional}:
 * convolution, pooling, normalisation, softmax, losses, dropout. Each records its op so
 * gradients flow; {@code import static org.weft.autograd.Functional.*} reads like PyTorch.
 */
public final class Functional {

    private Functional() {
    }

    // ---------------------------------------------------------------- convolution, pooling, interpolation

    // --- conv2d, pools, interpolate go above this line ---

    // ---------------------------------------------------------------- normalisation, softmax, losses

    // --- batch_norm, layer_norm, softmax, cross_entropy, ... go above this line ---

    // ---------------------------------------------------------------- dropout and random ops

    /** {@link #dropout(Tensor, double, boolean, org.weft.tensor.random.Generator)} with the global generator. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, null);
    }

    /**
     * Zeroes each element with probability {@code p} while training and scales the kept ones
     * by {@code 1 / (1 - p)}, PyTorch's {@code F.dropout}. Evaluation and p = 0 return
     * {@code x} itself; p = 1 gives {@code x * 0}. The mask comes from {@code generator} (the
     * global one if null) and is reused by backward; restoring the generator's state before a
     * call reproduces the mask, which is how gradient checks hold it fixed.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, org.weft.tensor.random.Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!x.dtype().isFloatingPoint() || !x.dtype().isComputeType()) {
            throw new IllegalArgumentException("dropout: expected an F32 or F64 tensor, got " + x.dtype());
        }
        if (!training || p == 0) {
            return x;
        }
        return new org.weft.autograd.ops.Dropout(p, generator).apply(x);
    }

    // --- dropout goes above this line ---
}
