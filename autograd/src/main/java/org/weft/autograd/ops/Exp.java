package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code e^x}; its derivative is itself, so backward reuses the saved output. */
public final class Exp extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().exp());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.mul(saved(0)));
    }
}
