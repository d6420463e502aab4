package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * The Gaussian error linear unit {@code x Phi(x)}, Phi the standard normal CDF, or with
 * {@code approximate = "tanh"} its tanh approximation. The derivatives are written with erf,
 * exp and tanh, so second derivatives follow from those ops' own gradients.
 */
public final class Gelu extends Function {

    private static final double SQRT1_2 = Math.sqrt(0.5);
    /** 1/sqrt(2 pi), the peak of the standard normal density. */
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** sqrt(2/pi) and 0.044715: the constants of the tanh form. */
    private static final double BETA = Math.sqrt(2.0 / Math.PI);
    private static final double KAPPA = 0.044715;

    private final String approximate;

    /** {@code approximate} is "none" (the erf form) or "tanh", as in PyTorch. */
    public Gelu(String approximate) {
        this.approximate = approximate;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().gelu(approximate));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        return grads(grad.mul(approximate.equals("tanh") ? tanhFormDerivative(x) : exactDerivative(x)));
    }

    /** d/dx x Phi(x) = Phi(x) + x phi(x), with Phi(x) = (1 + erf(x/sqrt 2))/2 and phi the density. */
    private static Tensor exactDerivative(Tensor x) {
        Tensor cdf = x.mul(SQRT1_2).erf().add(1.0).mul(0.5);
        Tensor pdf = x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
        return cdf.add(x.mul(pdf));
    }

    /**
     * d/dx of (x/2)(1 + t), t = tanh(u), u = BETA (x + KAPPA x^3):
     * (1 + t)/2 + (x/2)(1 - t^2) BETA (1 + 3 KAPPA x^2).
     */
    private static Tensor tanhFormDerivative(Tensor x) {
        Tensor x2 = x.mul(x);
        Tensor t = x.add(x2.mul(x).mul(KAPPA)).mul(BETA).tanh();
        Tensor outer = t.add(1.0).mul(0.5);
        Tensor sech2 = t.rsub(1.0).mul(t.add(1.0)); // 1 - t^2, without cancellation (see Tanh)
        Tensor inner = x.mul(0.5).mul(sech2).mul(x2.mul(3 * KAPPA).add(1.0).mul(BETA));
        return outer.add(inner);
    }
}
