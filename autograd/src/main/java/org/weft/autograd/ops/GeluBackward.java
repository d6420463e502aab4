package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.GeluGradient;

/**
 * {@code grad * gelu'(x)} from one fused kernel: the gradient of {@link Gelu}. Its own
 * gradient is written with Tensor ops (and itself), so third derivatives pass through too.
 */
final class GeluBackward extends Function {

    /** 1/sqrt(2 pi), the peak of the standard normal density. */
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** sqrt(2/pi) and 0.044715: the constants of the tanh form. */
    private static final double BETA = Math.sqrt(2.0 / Math.PI);
    private static final double KAPPA = 0.044715;

    private final String approximate;

    GeluBackward(String approximate) {
        this.approximate = approximate;
    }

    /** Inputs: the gradient of GELU's output, then GELU's input x. */
    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0], in[1]);
        return result(GeluGradient.backward(in[0].data(), in[1].data(), approximate));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor upstream = saved(0);
        Tensor x = saved(1);
        Tensor dUpstream = needsInputGrad(0) ? new GeluBackward(approximate).apply(grad, x) : null;
        Tensor dx = null;
        if (needsInputGrad(1)) {
            Tensor second = approximate.equals("tanh") ? tanhFormSecondDerivative(x) : exactSecondDerivative(x);
            dx = grad.mul(upstream).mul(second);
        }
        return grads(dUpstream, dx);
    }

    /** d/dx (Phi(x) + x phi(x)) = 2 phi(x) + x phi'(x) = phi(x) (2 - x^2). */
    private static Tensor exactSecondDerivative(Tensor x) {
        Tensor x2 = x.mul(x);
        return x2.mul(-0.5).exp().mul(INV_SQRT_2PI).mul(x2.rsub(2.0));
    }

    /**
     * The tanh form (x/2)(1 + t), t = tanh(u), u = BETA (x + KAPPA x^3), twice differentiated:
     * (1 - t^2) (u' - x t u'^2 + x u''/2), with u' = BETA (1 + 3 KAPPA x^2) and
     * x u''/2 = 3 BETA KAPPA x^2.
     */
    private static Tensor tanhFormSecondDerivative(Tensor x) {
        Tensor x2 = x.mul(x);
        Tensor t = x.add(x2.mul(x).mul(KAPPA)).mul(BETA).tanh();
        Tensor sech2 = t.rsub(1.0).mul(t.add(1.0)); // 1 - t^2, without cancellation (see Tanh)
        Tensor du = x2.mul(3 * KAPPA).add(1.0).mul(BETA);
        Tensor bracket = du.sub(x.mul(t).mul(du.mul(du))).add(x2.mul(3 * BETA * KAPPA));
        return sech2.mul(bracket);
    }
}
