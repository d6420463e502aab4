package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * {@code x[start:end:step]} along one dimension (a view); the gradient is scattered back into
 * zeros of the input's shape by {@link SliceBackward}.
 */
public final class Slice extends Function {

    private final int dim;
    private final int start;
    private final int end;
    private final int step;
    private Shape inputShape;

    public Slice(int dim, int start, int end, int step) {
        this.dim = dim;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        markView();
        return result(in[0].data().slice(dim, start, end, step));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new SliceBackward(inputShape, dim, start, end, step).apply(grad));
    }
}
