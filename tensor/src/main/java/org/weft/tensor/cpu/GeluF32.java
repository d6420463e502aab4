package org.weft.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.backend.GeluDerivative;
import org.weft.tensor.backend.UnaryOp;

/**
 * GELU and its gradient on contiguous F32 rows, vectorised: within one ulp of the double
 * reference ({@link UnaryOp#GELU_ERF}, {@link UnaryOp#GELU_TANH}, {@link GeluDerivative}) for
 * every float input.
 *
 * <p>Versions:
 * <ol start="0">
 * <li>{@link #forwardReference}/{@link #backwardReference}: the double definitions, rounded
 *     once. The erf is a series of up to 200 terms or a 120-term continued fraction per
 *     element, and the backward was ten separate passes of Tensor ops.</li>
 * <li>{@link #forward}/{@link #backward}: floats widened to double lanes (half a vector of
 *     floats fills a vector of doubles), one pass, no per-element branches. In double the
 *     square x^2 of a float is exact, so {@code exp(-x^2/2)} has no argument error, and a
 *     float result needs only ~1e-9 relative accuracy to round to within one ulp of the true
 *     value; that makes the error bound below a few lines of arithmetic instead of a fit.</li>
 * </ol>
 *
 * <p>The erf form computes {@code Phi(x)}, the standard normal CDF, two ways and blends:
 * <ul>
 * <li>{@code |x| < 3}: {@code Phi(x) = 1/2 + x P(x^2)} with P the Taylor series of
 *     {@code erf(x/sqrt 2)/2} cut after {@value #TAYLOR_TERMS} terms. The series alternates
 *     with terms falling from the 2nd on (n > x^2/2 = 4.5), so the cut costs at most the first
 *     omitted term, 3^63 / (sqrt(2 pi) 2^31 31! 63) < 4e-15; the largest term is 2.6, so
 *     Horner's rounding costs under 31 * 2.6 * 2^-52 < 2e-14. Against Phi(-3) = 1.3e-3 (the
 *     worst cancellation of 1/2 + x P) that is a relative error under 2e-11.</li>
 * <li>{@code |x| >= 3}: {@code Phi(-t) = phi(t) M(t)}, {@code t = |x|}, with phi the density
 *     and M Mills' ratio, the continued fraction {@code 1/(t+ 1/(t+ 2/(t+ 3/(t+ ...))))}
 *     evaluated forwards (numerator and denominator recurrences, one division) to
 *     {@value #FRACTION_TERMS} terms, which is within 6e-12 of M for t in [3, 16] (checked
 *     against 30-digit arithmetic). Beyond 16 the result is x or a float zero whatever M is,
 *     so t is clamped there to keep the recurrences finite.</li>
 * </ul>
 * Exp is the Vector API's, within a few double ulps. The double result is thus within 1e-10
 * relative of the truth, and rounding it to float lands within 0.5 + 2e-3 ulp of the truth:
 * at most one ulp from the rounded reference, equal to it unless the true value sits within
 * 0.002 ulp of a midpoint. The tanh form and both derivatives use only exp, multiplies and
 * one division, in the same stable forms as the reference, so the same bound holds for
 * them (near the derivative's zero at x = -0.75 as an absolute error of ~1e-16).
 */
final class GeluF32 {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D: each widens to one full double vector. */
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private static final int TAYLOR_TERMS = 31;
    private static final int FRACTION_TERMS = 28;
    private static final double TAYLOR_LIMIT = 3.0;
    private static final double FRACTION_CLAMP = 16.0;

    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double BETA = Math.sqrt(2.0 / Math.PI);
    private static final double KAPPA = 0.044715;

    /** {@code (-1)^n / (sqrt(2 pi) 2^n n! (2n+1))}: erf(x/sqrt 2)/2 = sum of c_n x^(2n+1). */
    private static final double[] TAYLOR = new double[TAYLOR_TERMS];

    static {
        double c = INV_SQRT_2PI; // 1 / (sqrt(2 pi) 2^n n!), built up term by term
        for (int n = 0; n < TAYLOR_TERMS; n++) {
            if (n > 0) {
                c /= -2.0 * n;
            }
            TAYLOR[n] = c / (2 * n + 1);
        }
    }

    private GeluF32() {
    }

    // ------------------------------------------------------------------ version 0: reference

    static float forwardReference(UnaryOp gelu, float x) {
        return (float) gelu.apply(x);
    }

    static float backwardReference(UnaryOp gelu, float grad, float x) {
        return (float) (grad * GeluDerivative.apply(gelu, x));
    }

    // ------------------------------------------------------------------ version 1: vectorised

    /** {@code o[oo + i] = gelu(x[xo + i])} for i in [0, n). */
    static void forward(UnaryOp gelu, float[] x, int xo, float[] o, int oo, int n) {
        boolean tanh = gelu == UnaryOp.GELU_TANH;
        int step = F.length();
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += step) {
            DoubleVector v = widen(x, xo + i);
            narrow(v.mul(tanh ? tanhFormSigmoid(v) : cdf(v, null)), o, oo + i);
        }
        if (i < n) {
            // The ragged end goes through the same vector code, zero-padded.
            float[] in = new float[step];
            float[] out = new float[step];
            System.arraycopy(x, xo + i, in, 0, n - i);
            forward(gelu, in, 0, out, 0, step);
            System.arraycopy(out, 0, o, oo + i, n - i);
        }
    }

    /** {@code o[oo + i] = g[go + i] * gelu'(x[xo + i])} for i in [0, n). */
    static void backward(UnaryOp gelu, float[] g, int go, float[] x, int xo, float[] o, int oo, int n) {
        boolean tanh = gelu == UnaryOp.GELU_TANH;
        int step = F.length();
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += step) {
            DoubleVector v = widen(x, xo + i);
            DoubleVector d;
            if (tanh) {
                d = tanhDerivative(v);
            } else {
                DoubleVector density = pdf(v);
                d = v.mul(density).add(cdf(v, density));
            }
            narrow(widen(g, go + i).mul(d), o, oo + i);
        }
        if (i < n) {
            float[] gin = new float[step];
            float[] in = new float[step];
            float[] out = new float[step];
            System.arraycopy(g, go + i, gin, 0, n - i);
            System.arraycopy(x, xo + i, in, 0, n - i);
            backward(gelu, gin, 0, in, 0, out, 0, step);
            System.arraycopy(out, 0, o, oo + i, n - i);
        }
    }

    private static DoubleVector widen(float[] a, int at) {
        return (DoubleVector) FloatVector.fromArray(F, a, at).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrow(DoubleVector v, float[] a, int at) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, at);
    }

    /** phi(x) = exp(-x^2/2) / sqrt(2 pi); x^2 of a widened float is exact. */
    private static DoubleVector pdf(DoubleVector x) {
        return x.mul(x).mul(-0.5).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
    }

    /**
     * Phi(x), by the Taylor series inside |x| < 3 and Mills' ratio outside (see the class
     * comment); {@code density} is phi(x) when the caller has it already, else null.
     */
    private static DoubleVector cdf(DoubleVector x, DoubleVector density) {
        DoubleVector t = x.abs();
        VectorMask<Double> inner = t.compare(VectorOperators.LT, TAYLOR_LIMIT);
        DoubleVector result = x; // every lane is overwritten below; NaN lanes stay NaN through both paths
        if (inner.anyTrue()) {
            DoubleVector x2 = x.mul(x);
            DoubleVector p = DoubleVector.broadcast(D, TAYLOR[TAYLOR_TERMS - 1]);
            for (int k = TAYLOR_TERMS - 2; k >= 0; k--) {
                p = p.lanewise(VectorOperators.FMA, x2, TAYLOR[k]);
            }
            result = p.lanewise(VectorOperators.FMA, x, 0.5);
        }
        if (!inner.allTrue()) {
            DoubleVector s = t.min(FRACTION_CLAMP);
            // Convergents A_k/B_k of 1/(s+ 1/(s+ 2/(s+ ...))): X_k = s X_{k-1} + a_k X_{k-2}.
            DoubleVector a2 = DoubleVector.broadcast(D, 1.0);
            DoubleVector a1 = DoubleVector.zero(D);
            DoubleVector b2 = DoubleVector.zero(D);
            DoubleVector b1 = DoubleVector.broadcast(D, 1.0);
            for (int k = 1; k <= FRACTION_TERMS; k++) {
                double ak = k == 1 ? 1.0 : k - 1;
                DoubleVector a = s.fma(a1, a2.mul(ak));
                DoubleVector b = s.fma(b1, b2.mul(ak));
                a2 = a1;
                a1 = a;
                b2 = b1;
                b1 = b;
            }
            DoubleVector lower = (density != null ? density : pdf(x)).mul(a1.div(b1)); // Phi(-t)
            DoubleVector outer = lower.neg().add(1.0).blend(lower, x.compare(VectorOperators.LT, 0.0));
            result = result.blend(outer, inner.not());
        }
        return result;
    }

    /** u = BETA (x + KAPPA x^3), the tanh form's argument. */
    private static DoubleVector tanhArgument(DoubleVector x) {
        return x.mul(x).fma(KAPPA, 1.0).mul(x).mul(BETA);
    }

    /** exp(-2|u|), from which sigmoid(2u) and its complement both follow without cancelling. */
    private static DoubleVector decay(DoubleVector u) {
        return u.abs().mul(-2.0).lanewise(VectorOperators.EXP);
    }

    /** sigmoid(2u) = (1 + tanh u)/2, so that the tanh form is x times it. */
    private static DoubleVector tanhFormSigmoid(DoubleVector x) {
        DoubleVector u = tanhArgument(x);
        return sigmoid2u(u, decay(u), false);
    }

    /** sigmoid(2u), or with {@code complement} 1 - sigmoid(2u), given e = exp(-2|u|). */
    private static DoubleVector sigmoid2u(DoubleVector u, DoubleVector e, boolean complement) {
        DoubleVector onePlusE = e.add(1.0);
        DoubleVector near = DoubleVector.broadcast(D, 1.0).div(onePlusE); // 1/(1+e)
        DoubleVector far = e.div(onePlusE); // e/(1+e)
        VectorMask<Double> positive = u.compare(VectorOperators.GE, 0.0);
        // sigmoid(2u) is 1/(1+e) for u >= 0 and e/(1+e) below; its complement the other way round.
        return complement ? near.blend(far, positive) : far.blend(near, positive);
    }

    /** s + 2 x s (1 - s) u', s = sigmoid(2u), u' = BETA (1 + 3 KAPPA x^2). */
    private static DoubleVector tanhDerivative(DoubleVector x) {
        DoubleVector u = tanhArgument(x);
        DoubleVector e = decay(u);
        DoubleVector s = sigmoid2u(u, e, false);
        DoubleVector c = sigmoid2u(u, e, true);
        DoubleVector du = x.mul(x).fma(3.0 * KAPPA, 1.0).mul(BETA);
        return x.mul(2.0).mul(s).mul(c).mul(du).add(s);
    }
}
