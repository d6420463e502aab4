package org.weft.autograd.ops;

import java.util.Arrays;
import org.weft.autograd.MultiOutputFunction;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * Consecutive pieces of given sizes along one dimension (views); the input's gradient is the
 * pieces' gradients concatenated back, zeros standing in for pieces that received none.
 */
public final class Split extends MultiOutputFunction {

    private final int[] sizes;
    private final int dim;
    private int d;

    public Split(int[] sizes, int dim) {
        this.sizes = sizes.clone();
        this.dim = dim;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        NDArray[] pieces = in[0].data().split(sizes, dim);
        d = Shape.normalizeDim(dim, in[0].dim());
        markView();
        Tensor[] out = new Tensor[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = result(pieces[i]);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor... grads) {
        return new Tensor[] {Tensor.cat(Arrays.asList(grads), d)};
    }
}
