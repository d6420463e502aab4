package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Softmax and log-softmax along dimension 1 of {@code [outer, n, inner]}, one lane (a fixed
 * outer and inner index) at a time, lanes split over the threads.
 *
 * <p>Each lane is loaded once into a double scratch array, then three passes run over it in
 * cache: the maximum, the sum of {@code exp(x - max)}, the normalisation. Subtracting the
 * maximum keeps every exponent at most zero, so nothing overflows however large the logits.
 * When {@code inner > 1} a lane's elements are {@code inner} apart in memory; consecutive
 * lanes then read neighbouring elements of the same cache lines, which stay cached while the
 * lanes of one outer index are processed in order.
 *
 * <p>F32 runs in float on the Vector API ({@link #softmaxRow}, exp from {@link ExpF32}), as
 * PyTorch's CPU kernel does: a contiguous row is read and written in place, any other lane
 * goes through a float scratch array. Terms {@code exp(x - max)} below 1.6e-38 are flushed to
 * zero ({@link ExpF32#FLUSH}: subnormal arithmetic is slow, and such a term changes neither the
 * sum nor its own output by more than that). The double functions below are the reference and
 * serve F64, whose exp stays scalar.
 */
final class CpuSoftmax {

    private CpuSoftmax() {
    }

    static void softmax(NDArray x, boolean log, NDArray out) {
        int outer = x.size(0);
        int n = x.size(1);
        int inner = x.size(2);
        int lanes = outer * inner;
        if (lanes == 0 || n == 0) {
            return;
        }
        if (x.dtype() == DType.F32) {
            softmaxF32(x, log, out);
            return;
        }
        CpuThreads.parallelFor(lanes, Lanes.grain(n), (from, to) -> {
            double[] v = new double[n];
            for (int lane = from; lane < to; lane++) {
                int o = lane / inner;
                int i = lane % inner;
                Lanes.load(x, x.offset() + o * x.stride(0) + i * x.stride(2), x.stride(1), n, v);
                if (log) {
                    logSoftmaxInPlace(v, n);
                } else {
                    softmaxInPlace(v, n);
                }
                Lanes.store(v, n, out, out.offset() + o * out.stride(0) + i * out.stride(2), out.stride(1));
            }
        });
    }

    /** The largest of {@code v[0..n)}; NaN if any element is NaN. */
    static double max(double[] v, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            m = Math.max(m, v[k]);
        }
        return m;
    }

    /**
     * {@code log(sum_k exp(v[k]))}, computed as {@code max + log(sum_k exp(v[k] - max))}: NaN
     * when the largest is +inf, which makes the lane NaN as in PyTorch's log_softmax and
     * cross_entropy (the logsumexp reduction, +inf there, is CpuReduction's).
     */
    static double logSumExp(double[] v, int n) {
        double m = max(v, n);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(v[k] - m);
        }
        return m + Math.log(sum);
    }

    static void softmaxInPlace(double[] v, int n) {
        double m = max(v, n);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double e = Math.exp(v[k] - m);
            v[k] = e;
            sum += e;
        }
        double inv = 1 / sum;
        for (int k = 0; k < n; k++) {
            v[k] *= inv;
        }
    }

    static void logSoftmaxInPlace(double[] v, int n) {
        double lse = logSumExp(v, n);
        for (int k = 0; k < n; k++) {
            v[k] -= lse;
        }
    }

    // ------------------------------------------------------------ F32, vectorised

    private static void softmaxF32(NDArray x, boolean log, NDArray out) {
        int n = x.size(1);
        int inner = x.size(2);
        float[] xs = ((CpuStorage) x.storage()).floats();
        float[] os = ((CpuStorage) out.storage()).floats();
        boolean rows = x.stride(1) == 1 && out.stride(1) == 1;
        CpuThreads.parallelFor(x.size(0) * inner, Lanes.grain(n), (from, to) -> {
            float[] v = rows ? null : new float[n];
            for (int lane = from; lane < to; lane++) {
                int o = lane / inner;
                int i = lane % inner;
                int xo = x.offset() + o * x.stride(0) + i * x.stride(2);
                int oo = out.offset() + o * out.stride(0) + i * out.stride(2);
                if (rows) {
                    softmaxRow(xs, xo, os, oo, n, log);
                } else {
                    gather(xs, xo, x.stride(1), n, v);
                    softmaxRow(v, 0, v, 0, n, log);
                    scatter(v, n, os, oo, out.stride(1));
                }
            }
        });
    }

    /**
     * Softmax (or log-softmax) of {@code x[xo .. xo+n)} into {@code o[oo .. oo+n)}, which may be
     * the same place: the maximum, then the shifted exponentials and their sum in one pass,
     * then the scaling. The sum accumulates in float lanes, as PyTorch's.
     */
    static void softmaxRow(float[] x, int xo, float[] o, int oo, int n, boolean log) {
        float m = max(x, xo, n);
        if (log) {
            float logSum = (float) Math.log(ExpF32.sumExpShifted(x, xo, m, n));
            subtract(x, xo, m, logSum, o, oo, n);
        } else {
            scale(o, oo, 1f / ExpF32.expShifted(x, xo, m, o, oo, n), n);
        }
    }

    /** The largest of {@code x[xo .. xo+n)}; NaN if any is NaN (vector max, like Math.max, propagates it). */
    static float max(float[] x, int xo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.broadcast(ExpF32.F, Float.NEGATIVE_INFINITY);
        for (int upper = ExpF32.F.loopBound(n); i < upper; i += ExpF32.F.length()) {
            acc = acc.max(FloatVector.fromArray(ExpF32.F, x, xo + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    /** {@code o[oo + i] *= s}. */
    static void scale(float[] o, int oo, float s, int n) {
        int i = 0;
        for (int upper = ExpF32.F.loopBound(n); i < upper; i += ExpF32.F.length()) {
            FloatVector.fromArray(ExpF32.F, o, oo + i).mul(s).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] *= s;
        }
    }

    /** {@code o[oo + i] = (x[xo + i] - a) - b}, in that order, as PyTorch's log-softmax. */
    private static void subtract(float[] x, int xo, float a, float b, float[] o, int oo, int n) {
        int i = 0;
        for (int upper = ExpF32.F.loopBound(n); i < upper; i += ExpF32.F.length()) {
            FloatVector.fromArray(ExpF32.F, x, xo + i).sub(a).sub(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = (x[xo + i] - a) - b;
        }
    }

    /** {@code dst[i] = src[offset + i * stride]} for {@code i < n}. */
    static void gather(float[] src, int offset, int stride, int n, float[] dst) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[offset + i * stride];
        }
    }

    /** {@code dst[offset + i * stride] = src[i]} for {@code i < n}. */
    static void scatter(float[] src, int n, float[] dst, int offset, int stride) {
        for (int i = 0; i < n; i++) {
            dst[offset + i * stride] = src[i];
        }
    }
}
