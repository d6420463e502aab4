package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/** Broadcasts size-one dimensions (a view); each copy's gradient is summed back. */
public final class Expand extends Function {

    private final int[] sizes;
    private Shape inputShape;

    public Expand(int... sizes) {
        this.sizes = sizes.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        markView();
        return result(in[0].data().expand(sizes));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.sumToShape(inputShape));
    }
}
