package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code x^c} for a constant c: d/dx = c x^(c-1), and zero for c = 0 (as in PyTorch, even at x = 0). */
public final class PowScalar extends Function {

    private final double exponent;

    public PowScalar(double exponent) {
        this.exponent = exponent;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().pow(exponent));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (exponent == 0) {
            return grads(grad.zerosLike());
        }
        return grads(grad.mul(saved(0).pow(exponent - 1).mul(exponent)));
    }
}
