package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp} of F32 values on the Vector API, within 2 ulp of {@code (float) Math.exp(x)}
 * for every float (tested over a dense sweep of [-105, 89] and the special values): the hot
 * part of softmax, log-softmax, logsumexp and cross-entropy.
 *
 * <p>Versions:
 * <ol start="0">
 * <li>{@link #reference}: {@code Math.exp} in double, rounded once. Softmax of Swin-T's
 *     {@code [1536, 49, 49]} attention logits spent most of its 18 ms here.</li>
 * <li>{@code FloatVector.lanewise(VectorOperators.EXP)}: JDK 17's intrinsic for it needs
 *     Intel's SVML stubs; without them it falls back to lane-by-lane scalar code.</li>
 * <li>{@link #exp(FloatVector)}: range reduction and a polynomial, all in float lanes, no
 *     branches.</li>
 * </ol>
 * Measured once warm, one thread, on the Zen 3 (AVX2, 8 float lanes) these were written on,
 * for the exps of 0.92 million floats and their sum: version 0 10 to 14 ms, version 1 7 ms,
 * version 2 1.2 ms (indicative: the machine was shared).
 *
 * <p>Version 2 writes {@code x = n ln2 + r} with n the integer nearest {@code x / ln2}, so
 * {@code |r| <= ln2 / 2}, and {@code exp(x) = 2^n exp(r)}:
 * <ul>
 * <li>n is rounded by adding and subtracting {@code 1.5 * 2^23}, which leaves n in the low
 *     bits of the sum's representation (no float-to-int conversion needed).</li>
 * <li>{@code r = x - n ln2} in two steps (Cody and Waite): {@code ln2 = C1 + C2} with C1 of
 *     9 significant bits, so {@code n C1} is exact for |n| <= 2^15 and the fused
 *     multiply-adds lose nothing but C2's own rounding, a few 1e-10 absolute.</li>
 * <li>{@code exp(r)} is its Taylor polynomial of degree 7 (Horner, fused multiply-adds):
 *     the first omitted term, {@code (ln2/2)^8 / 8!}, is 5e-9 relative, under a tenth of an
 *     ulp; the rounding of the Horner steps costs under an ulp.</li>
 * <li>{@code 2^n} is built from exponent bits in two halves, {@code 2^(n/2) 2^(n - n/2)},
 *     each a normal float: the result may be subnormal (x below -87.3) or overflow
 *     (x above 88.72) and the last multiplication then rounds once, to a subnormal, 0 or
 *     +inf, as a correctly rounded exp would.</li>
 * <li>x is first clamped to [-105, 89], beyond which the result is 0 or +inf anyway: this
 *     keeps n small enough for the exponent bits. -inf gives 0, +inf gives +inf; NaN goes
 *     through the clamp (max and min propagate it) and the arithmetic as NaN.</li>
 * </ul>
 */
final class ExpF32 {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    /** The high part of ln 2: 0.693359375 = 355/512, exact in 9 bits. */
    private static final float LN2_HI = 0.693359375f;
    /** ln 2 - LN2_HI. */
    private static final float LN2_LO = (float) (Math.log(2) - 0.693359375);
    /** 1.5 * 2^23: adding it to |v| < 2^22 rounds v to an integer kept in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LOWEST = -105f;
    private static final float HIGHEST = 89f;
    /*
     * 1/k!, the Taylor coefficients of exp, as constants: Horner's steps are written out
     * rather than looped over an array, so that the JIT keeps every vector in a register (a
     * vector carried around a loop it did not unroll would be boxed, each step allocating).
     */
    private static final float C2 = 1f / 2;
    private static final float C3 = 1f / 6;
    private static final float C4 = 1f / 24;
    private static final float C5 = 1f / 120;
    private static final float C6 = 1f / 720;
    private static final float C7 = 1f / 5040;

    private ExpF32() {
    }

    // ------------------------------------------------------------------ version 0: reference

    static float reference(float x) {
        return (float) Math.exp(x);
    }

    // ------------------------------------------------------------------ version 2: vectorised

    /** exp of every lane of x. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(LOWEST).min(HIGHEST);
        FloatVector shifted = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER));
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, C7), FloatVector.broadcast(F, C6));
        p = p.fma(r, FloatVector.broadcast(F, C5));
        p = p.fma(r, FloatVector.broadcast(F, C4));
        p = p.fma(r, FloatVector.broadcast(F, C3));
        p = p.fma(r, FloatVector.broadcast(F, C2));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector ni = ((IntVector) shifted.reinterpretAsInts()).sub(ROUNDER_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale1).mul(scale2);
    }

    /** The same computation on one value: the ragged ends of rows, and the specification of the vector version. */
    static float exp(float x) {
        float c = Math.min(Math.max(x, LOWEST), HIGHEST);
        float shifted = Math.fma(c, LOG2E, ROUNDER);
        float n = shifted - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ni = Float.floatToRawIntBits(shifted) - ROUNDER_BITS;
        int half = ni >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
    }

    /** {@code o[oo + i] = exp(x[xo + i])} for i in [0, n). */
    static void exp(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            exp(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = exp(x[xo + i]);
        }
    }

    // ------------------------------------------------------------------ softmax's terms

    /**
     * Below this argument softmax's terms are flushed to zero: {@code exp(-87)} is 1.6e-38,
     * just above the smallest normal float. Such a term is lost in a sum of at least one (the
     * maximum's term), and its quotient by that sum is under 1.6e-38 in any case, but computing
     * it as a subnormal float costs dearly: Swin's masked logits (-100) made every pass over
     * them (exp, scaling, the gradient) about three times slower on the Zen 3 measured.
     */
    static final float FLUSH = -87f;

    /**
     * {@code o[oo + i] = exp(x[xo + i] - shift)}, zero where the argument is below {@link #FLUSH},
     * for i in [0, n); returns their sum, accumulated in float lanes.
     */
    static float expShifted(float[] x, int xo, float shift, float[] o, int oo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector e = flushedExp(FloatVector.fromArray(F, x, xo + i).sub(shift));
            e.intoArray(o, oo + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = flushedExp(x[xo + i] - shift);
            o[oo + i] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code sum exp(x[xo + i] - shift)} for i in [0, n), the terms flushed as {@link #expShifted}'s. */
    static float sumExpShifted(float[] x, int xo, float shift, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            acc = acc.add(flushedExp(FloatVector.fromArray(F, x, xo + i).sub(shift)));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += flushedExp(x[xo + i] - shift);
        }
        return sum;
    }

    /** exp, zero below {@link #FLUSH}; the argument is raised to FLUSH first so no lane computes a subnormal. */
    static FloatVector flushedExp(FloatVector d) {
        return exp(d.max(FLUSH)).blend(0f, d.compare(VectorOperators.LT, FLUSH));
    }

    static float flushedExp(float d) {
        return d < FLUSH ? 0f : exp(d);
    }
}
