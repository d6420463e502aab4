package org.weft.autograd;

/**
 * A differentiable op with several outputs (values and indices of a max, the parts of a
 * split). Outputs that receive no gradient get zeros in backward; outputs marked
 * non-differentiable never require grad.
 */
public abstract class MultiOutputFunction extends OpNode {

    /** Computes the outputs; runs with grad mode off. */
    protected abstract Tensor[] forward(Tensor... inputs);

    /** The gradient of each input given one gradient per output. */
    protected abstract Tensor[] backward(Tensor... gradOutputs);

    public final Tensor[] apply(Tensor... inputs) {
        return record(inputs);
    }

    @Override
    final Tensor[] runForward(Tensor[] inputs) {
        return forward(inputs);
    }

    @Override
    final Tensor[] runBackward(Tensor[] gradOutputs) {
        return backward(gradOutputs);
    }
}
