package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * Zeros of a full shape with a slice filled from the input: the gradient of {@link Slice}.
 * Its own gradient is the slice again, so second derivatives pass through.
 */
final class SliceBackward extends Function {

    private final Shape fullShape;
    private final int dim;
    private final int start;
    private final int end;
    private final int step;

    public SliceBackward(Shape fullShape, int dim, int start, int end, int step) {
        this.fullShape = fullShape;
        this.dim = dim;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray g = in[0].data();
        NDArray full = NDArray.zeros(g.dtype(), g.device(), fullShape.dims());
        full.slice(dim, start, end, step).copy_(g);
        return result(full);
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.slice(dim, start, end, step));
    }
}
