package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;

/** Converts to another dtype; the gradient is converted back (none flows to integer inputs). */
public final class ToDType extends Function {

    private final DType target;
    private DType source;

    public ToDType(DType target) {
        this.target = target;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        source = in[0].dtype();
        return result(in[0].data().to(target));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(source.isFloatingPoint() ? grad.to(source) : null);
    }
}
