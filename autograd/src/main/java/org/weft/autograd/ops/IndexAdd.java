package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * A copy of x with slice i of src (along one dimension) added to slice {@code index[i]}.
 * The gradient passes unchanged to x; src's slice i reached output slice {@code index[i]},
 * so src's gradient is the output's index_select with the same index.
 */
public final class IndexAdd extends Function {

    private final int dim;

    public IndexAdd(int dim) {
        this.dim = dim;
    }

    /** Inputs: the tensor, the I64 index vector, the source. */
    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[1]);
        return result(in[0].data().indexAdd(dim, in[1].data(), in[2].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(needsInputGrad(0) ? grad : null, null,
                needsInputGrad(2) ? grad.indexSelect(dim, saved(0)) : null);
    }
}
