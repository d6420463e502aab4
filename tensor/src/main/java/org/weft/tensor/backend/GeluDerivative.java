package org.weft.tensor.backend;

/**
 * The derivative of GELU in double precision, the reference every backend's GELU backward
 * kernel is held to (as {@link UnaryOp#GELU_ERF} and {@link UnaryOp#GELU_TANH} are for the
 * forward).
 */
public final class GeluDerivative {

    /** 1/sqrt(2 pi), the peak of the standard normal density. */
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** sqrt(2/pi) and 0.044715: the constants of the tanh form. */
    private static final double BETA = Math.sqrt(2.0 / Math.PI);
    private static final double KAPPA = 0.044715;

    private GeluDerivative() {
    }

    /**
     * d/dx of GELU at {@code x}: {@code Phi(x) + x phi(x)} for {@code GELU_ERF}; for
     * {@code GELU_TANH}, with {@code s = sigmoid(2u) = (1 + tanh u)/2} and
     * {@code u = BETA (x + KAPPA x^3)}, {@code s + 2 x s (1 - s) u'}.
     */
    public static double apply(UnaryOp gelu, double x) {
        return switch (gelu) {
            case GELU_ERF -> 0.5 * Erf.erfc(-x / Math.sqrt(2.0)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            case GELU_TANH -> {
                double u = BETA * (x + KAPPA * x * x * x);
                // s and 1 - s from the same exp(-2|u|), so neither cancels (1 - tanh^2 would).
                double e = Math.exp(-2.0 * Math.abs(u));
                double s = u >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                double oneMinusS = u >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
                yield s + 2.0 * x * s * oneMinusS * BETA * (1.0 + 3.0 * KAPPA * x * x);
            }
            default -> throw new IllegalArgumentException("GeluDerivative: " + gelu + " is not a GELU");
        };
    }
}
