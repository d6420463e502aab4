package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The cosine; d/dx = -sin(x). */
public final class Cos extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().cos());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.mul(saved(0).sin()).neg());
    }
}
