package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/** Reorders dimensions (a view); the gradient goes through the inverse permutation. */
public final class Permute extends Function {

    private final int[] dims;

    public Permute(int... dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        markView();
        return result(in[0].data().permute(dims));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[Shape.normalizeDim(dims[i], dims.length)] = i;
        }
        return grads(grad.permute(inverse));
    }
}
