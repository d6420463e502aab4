package org.weft.tensor.cpu;

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
}
