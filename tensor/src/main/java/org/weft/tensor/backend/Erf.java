package org.weft.tensor.backend;

/**
 * The error function and its complement to full double precision, which Java's Math lacks.
 *
 * <p>Near zero a series with only positive terms (no cancellation); in the tails the
 * continued fraction of erfc, evaluated backwards. Both are exact to a few ulp, so numerical
 * gradient checks of GELU in F64 see the true function.
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double SERIES_LIMIT = 2.5;

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < SERIES_LIMIT) {
            return series(x);
        }
        double r = 1.0 - erfcTail(ax);
        return x < 0 ? -r : r;
    }

    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= SERIES_LIMIT) {
            return erfcTail(x);
        }
        if (x <= -SERIES_LIMIT) {
            return 2.0 - erfcTail(-x);
        }
        return 1.0 - series(x);
    }

    /** erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)). */
    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc(x) for x >= 2.5: e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
    private static double erfcTail(double x) {
        if (x > 27.3) {
            return 0.0; // below the smallest double
        }
        int terms = x < 4 ? 120 : 50;
        double f = x;
        for (int k = terms; k >= 1; k--) {
            f = x + (k * 0.5) / f;
        }
        return Math.exp(-x * x) / (SQRT_PI * f);
    }
}
