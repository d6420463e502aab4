package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/** Sums a broadcast tensor back to the shape it was broadcast from; the inverse of {@link Expand}. */
public final class SumToShape extends Function {

    private final Shape target;
    private Shape inputShape;

    public SumToShape(Shape target) {
        this.target = target;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(in[0].data().sumToShape(target));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.expand(inputShape.dims()));
    }
}
