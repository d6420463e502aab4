package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * {@code out[i][j] = x[i][index[i][j]]} (for dim 1). Each output element came from one input
 * element, so the gradient is the output's scatter-added into zeros of the input's shape;
 * {@link ScatterAdd}'s own gradient is a gather again, so second derivatives follow.
 */
public final class Gather extends Function {

    private final int dim;
    private Shape inputShape;

    public Gather(int dim) {
        this.dim = dim;
    }

    /** Inputs: the tensor and the I64 index. */
    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        saveForBackward(in[1]);
        return result(in[0].data().gather(dim, in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (!needsInputGrad(0)) {
            return grads(null, null);
        }
        return grads(ScatterAdd.intoZeros(inputShape, dim, saved(0), grad), null);
    }
}
