package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/**
 * {@code x^e} for two broadcast tensors: d/dx = e x^(e-1), d/de = x^e log(x). As in
 * PyTorch, d/dx is zero where e = 0 (x^0 is the constant one, even at x = 0) and d/de is
 * zero where x = 0 and e >= 0 (0^e is constant there), instead of 0 * inf = NaN.
 */
public final class Pow extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        Tensor y = result(in[0].data().pow(in[1].data()));
        saveForBackward(in[0], in[1], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor e = saved(1);
        Tensor zero = Tensor.scalar(0, grad.dtype());
        Tensor gx = null;
        Tensor ge = null;
        if (needsInputGrad(0)) {
            gx = toInput(0, Tensor.where(e.eq(0.0), zero, grad.mul(e.mul(x.pow(e.sub(1.0))))));
        }
        if (needsInputGrad(1)) {
            Tensor full = grad.mul(saved(2).mul(x.log()));
            ge = toInput(1, Tensor.where(x.eq(0.0), Tensor.where(e.ge(0.0), zero, full), full));
        }
        return grads(gx, ge);
    }
}
