package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * The slices named by an I64 index vector along one dimension. Slice i of the output came
 * from slice {@code index[i]} of the input, so the gradient is the output's index-added into
 * zeros (repeated indices add up); {@link IndexAdd}'s own gradient is an index_select again.
 */
public final class IndexSelect extends Function {

    private final int dim;
    private Shape inputShape;

    public IndexSelect(int dim) {
        this.dim = dim;
    }

    /** Inputs: the tensor and the I64 index vector. */
    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        saveForBackward(in[1]);
        return result(in[0].data().indexSelect(dim, in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (!needsInputGrad(0)) {
            return grads(null, null);
        }
        Tensor zeros = Tensor.of(NDArray.zeros(grad.dtype(), grad.device(), inputShape.dims()));
        return grads(new IndexAdd(dim).apply(zeros, saved(0), grad), null);
    }
}
