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

    // --- dropout goes above this line ---
}
